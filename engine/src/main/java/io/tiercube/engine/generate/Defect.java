package io.tiercube.engine.generate;

import java.util.List;
import java.util.Locale;

/**
 * The reject reasons the generator plants, each with its variants: which field is broken and how.
 * Bad rows are always EXTRA rows (a copy of a good row with one defect), so the good data stays whole:
 * accepted rows equal the planted model whatever the bad-row rate.
 */
enum Defect {
    WRONG_COLUMN_COUNT(true),
    MISSING_FIELD(false),
    BAD_NUMBER(false),
    BAD_TIMESTAMP(false),
    BAD_ENUM(false),
    NEGATIVE_VALUE(false),
    DUPLICATE_ID(false),
    UNKNOWN_CUSTOMER(false),
    OUT_OF_RANGE_DATE(false),
    ENCODING(true);

    /** True when the line cannot be written by the SQL COPY and is appended by Java (CSV only). */
    final boolean appended;

    Defect(boolean appended) {
        this.appended = appended;
    }

    String reason() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** One way to break a row: the field named, and the SQL expression (over source row {@code e}) for it. */
    record Variant(String field, String sql, java.util.Map<String, String> also) {
        Variant(String field, String sql) {
            this(field, sql, java.util.Map.of());
        }
    }

    /** Datasets the generator writes. */
    enum Dataset {
        CUSTOMERS, USAGE, COMPLAINTS
    }

    /** Reasons planted in a dataset, in round-robin order. */
    static List<Defect> plantedIn(Dataset ds, GeneratorSettings.Format format) {
        List<Defect> all = switch (ds) {
            case USAGE -> List.of(values());
            case CUSTOMERS -> List.of(WRONG_COLUMN_COUNT, MISSING_FIELD, BAD_NUMBER, BAD_TIMESTAMP, BAD_ENUM,
                    NEGATIVE_VALUE, DUPLICATE_ID, ENCODING);
            case COMPLAINTS -> List.of(WRONG_COLUMN_COUNT, MISSING_FIELD, BAD_NUMBER, BAD_TIMESTAMP, BAD_ENUM,
                    DUPLICATE_ID, UNKNOWN_CUSTOMER, ENCODING);
        };
        return format == GeneratorSettings.Format.CSV ? all : all.stream().filter(d -> !d.appended).toList();
    }

    /**
     * Variants of this defect for a dataset. SQL may use {@code e.<column>}, {@code j} (the bad row's
     * number in its file), and the placeholders {@code $DAY} (file date), {@code $YMD}, {@code $PREV_ID},
     * {@code $UNKNOWN} (an id number of no customer). Appended defects describe the field only.
     */
    List<Variant> variants(Dataset ds) {
        return switch (ds) {
            case USAGE -> usage();
            case CUSTOMERS -> customers();
            case COMPLAINTS -> complaints();
        };
    }

    private List<Variant> usage() {
        return switch (this) {
            case WRONG_COLUMN_COUNT -> List.of(new Variant("other_party", "drop"), new Variant("other_party", "extra"));
            case MISSING_FIELD -> List.of(new Variant("customer_id", "NULL"), new Variant("record_id", "NULL"));
            case BAD_NUMBER -> List.of(new Variant("charge", "'abc'"), new Variant("charge", "'1e309'"),
                    new Variant("charge", "'NaN'"), new Variant("duration_s", "'12x'"));
            case BAD_TIMESTAMP -> List.of(new Variant("event_time", "'yesterday'"),
                    new Variant("event_time", "'$DAY 25:61:00'"),
                    new Variant("event_time", "'2026-02-30 10:00:00'"),
                    new Variant("event_time", "strftime(DATE '$DAY', '%d/%m/%Y') || ' 10:00:00'"));
            case BAD_ENUM -> List.of(new Variant("service", "'fax'", java.util.Map.of("call_type", "NULL")),
                    new Variant("call_type", "'satellite'", java.util.Map.of("service", "'voice'", "product", "'voice-local'")));
            case NEGATIVE_VALUE -> List.of(new Variant("charge", "'-5.00'"), new Variant("duration_s", "'-60'"));
            case DUPLICATE_ID -> List.of(new Variant("record_id", "e.record_id"), new Variant("record_id", "'$PREV_ID'"));
            case UNKNOWN_CUSTOMER -> List.of(new Variant("customer_id", "'C' || lpad(($UNKNOWN + j % 1000)::VARCHAR, 8, '0')"));
            case OUT_OF_RANGE_DATE -> List.of(
                    new Variant("event_time", "strftime(e.event_time::TIMESTAMP - INTERVAL 1 DAY, '%Y-%m-%d %H:%M:%S')"),
                    new Variant("event_time", "strftime(e.event_time::TIMESTAMP + INTERVAL 1 DAY, '%Y-%m-%d %H:%M:%S')"));
            case ENCODING -> List.of(new Variant("product", "gbk"), new Variant("other_party", "latin1"));
        };
    }

    private List<Variant> customers() {
        return switch (this) {
            case WRONG_COLUMN_COUNT -> List.of(new Variant("closed_date", "drop"), new Variant("closed_date", "extra"));
            case MISSING_FIELD -> List.of(new Variant("customer_id", "NULL"), new Variant("plan_id", "NULL"));
            case BAD_NUMBER -> List.of(new Variant("plan_fee", "'abc'"), new Variant("plan_fee", "'NaN'"));
            case BAD_TIMESTAMP -> List.of(new Variant("join_date", "'2026-02-30'"), new Variant("birth_date", "'yesterday'"));
            case BAD_ENUM -> List.of(new Variant("segment", "'vip'"), new Variant("gender", "'X'"),
                    new Variant("channel_type", "'kiosk'"));
            case NEGATIVE_VALUE -> List.of(new Variant("plan_fee", "'-5.00'"));
            case DUPLICATE_ID -> List.of(new Variant("customer_id", "e.customer_id"));
            case ENCODING -> List.of(new Variant("name", "gbk"));
            default -> throw new IllegalStateException(this + " is not planted in customers");
        };
    }

    private List<Variant> complaints() {
        return switch (this) {
            case WRONG_COLUMN_COUNT -> List.of(new Variant("satisfaction", "drop"), new Variant("satisfaction", "extra"));
            case MISSING_FIELD -> List.of(new Variant("customer_id", "NULL"), new Variant("ticket_id", "NULL"));
            case BAD_NUMBER -> List.of(new Variant("satisfaction", "'abc'"));
            case BAD_TIMESTAMP -> List.of(new Variant("opened_at", "'yesterday'"), new Variant("opened_at", "'2026-02-30 10:00:00'"));
            case BAD_ENUM -> List.of(new Variant("category", "'refund'"));
            case DUPLICATE_ID -> List.of(new Variant("ticket_id", "e.ticket_id"));
            case UNKNOWN_CUSTOMER -> List.of(new Variant("customer_id", "'C' || lpad(($UNKNOWN + j % 1000)::VARCHAR, 8, '0')"));
            case ENCODING -> List.of(new Variant("ticket_id", "latin1"));
            default -> throw new IllegalStateException(this + " is not planted in complaints");
        };
    }
}
