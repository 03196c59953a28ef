package io.tiercube.engine.ingest;

import io.tiercube.engine.backend.Dialect;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The validation rules of the input contract, as SQL both engines run. Every column is read as text;
 * each rule is a condition naming the field, the reason code and what was expected. The first rule a
 * row breaks is its reason, so every rejected row has exactly one reason.
 */
final class Validation {

    private static final String INT = "\\d{1,15}";
    private static final String DEC3 = "\\d{1,15}(\\.\\d{1,3})?";
    private static final String MONEY = "\\d{1,15}(\\.\\d{1,2})?";
    private static final String NEG = "-\\d+(\\.\\d+)?";
    private static final String TS = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}";
    private static final String DATE = "\\d{4}-\\d{2}-\\d{2}";

    /** One rule: when {@code when} holds, the row is rejected for {@code field} with {@code reason}. */
    record Rule(String field, RejectReason reason, String when, String detail) {
    }

    private final Dialect d;
    private final Dataset dataset;
    private final List<Rule> rules = new ArrayList<>();
    private final List<String> typed = new ArrayList<>();
    private final List<String> joins = new ArrayList<>();

    private Validation(Dialect d, Dataset dataset) {
        this.d = d;
        this.dataset = dataset;
    }

    /** Rules for the customers file as of a snapshot date. */
    static Validation customers(Dialect d, LocalDate snapshot) {
        Validation v = new Validation(d, Dataset.CUSTOMERS);
        for (String c : List.of("customer_id", "msisdn", "province", "city", "segment", "join_date", "plan_id",
                "plan_fee", "channel_type", "status")) {
            v.required(c);
        }
        v.rule("msisdn", RejectReason.BAD_NUMBER, "NOT " + d.fullMatch("msisdn", "1\\d{10}"), "11 digits starting with 1");
        v.oneOf("gender", List.of("M", "F", "U"));
        v.oneOf("segment", List.of("key_account", "enterprise", "mass_market"));
        v.oneOf("channel_type", List.of("store", "agent", "online", "telesales", "direct"));
        v.oneOf("status", List.of("active", "closed"));
        v.date("birth_date");
        v.date("join_date");
        v.date("closed_date");
        v.number("plan_fee", MONEY, "an amount >= 0 with at most 2 decimals");
        v.rule("closed_date", RejectReason.MISSING_FIELD, "status = 'closed' AND closed_date IS NULL", "required when status is closed");
        v.rule("closed_date", RejectReason.BAD_ENUM, "status = 'active' AND closed_date IS NOT NULL", "empty when status is active");
        String snap = "DATE '" + snapshot + "'";
        v.rule("join_date", RejectReason.OUT_OF_RANGE_DATE, "t_join_date > " + snap, "on or before the snapshot date " + snapshot);
        v.rule("closed_date", RejectReason.OUT_OF_RANGE_DATE, "t_closed_date > " + snap + " OR t_closed_date < t_join_date",
                "between join_date and the snapshot date " + snapshot);
        v.typed.addAll(List.of("customer_id", "msisdn", "name", "COALESCE(gender, 'U') AS gender", "t_birth_date AS birth_date",
                "occupation", "income_band", "education", "province", "city", "district", "segment", "t_join_date AS join_date",
                "plan_id", "CAST(plan_fee AS DECIMAL(18,2)) AS plan_fee", "channel_type", "channel", "status",
                "t_closed_date AS closed_date", snap + " AS snapshot_date"));
        return v;
    }

    /** Rules for daily usage files; {@code knownCustomers} is a view with column customer_id. */
    static Validation usage(Dialect d, String knownCustomers) {
        Validation v = new Validation(d, Dataset.USAGE);
        for (String c : List.of("record_id", "customer_id", "event_time", "service", "product", "charge")) {
            v.required(c);
        }
        v.timestamp("event_time");
        v.oneOf("service", List.of("voice", "sms", "data", "vas", "subscription"));
        v.rule("call_type", RejectReason.MISSING_FIELD, "service = 'voice' AND call_type IS NULL", "required for voice");
        v.rule("call_type", RejectReason.BAD_ENUM, "service = 'voice' AND call_type NOT IN ('local', 'long_distance', 'international', 'roaming')",
                "one of local, long_distance, international, roaming");
        v.rule("call_type", RejectReason.BAD_ENUM, "service <> 'voice' AND call_type IS NOT NULL", "empty unless service is voice");
        v.number("duration_s", INT, "a whole number of seconds >= 0");
        v.number("volume_mb", DEC3, "megabytes >= 0 with at most 3 decimals");
        v.number("charge", MONEY, "an amount >= 0 with at most 2 decimals");
        v.rule("event_time", RejectReason.OUT_OF_RANGE_DATE, "CAST(t_event_time AS DATE) <> CAST(src_day AS DATE)",
                "a time on the file's date");
        v.joins.add("LEFT JOIN (SELECT DISTINCT customer_id AS known_id FROM " + knownCustomers + ") kc ON s.customer_id = kc.known_id");
        v.rule("customer_id", RejectReason.UNKNOWN_CUSTOMER, "kc.known_id IS NULL", "a customer_id present in customers");
        v.typed.addAll(List.of("record_id", "customer_id", "t_event_time AS event_time", "CAST(t_event_time AS DATE) AS event_date",
                "service", "call_type", "product", "COALESCE(CAST(duration_s AS BIGINT), CAST(0 AS BIGINT)) AS duration_s",
                "COALESCE(CAST(volume_mb AS DECIMAL(18,3)), CAST(0 AS DECIMAL(18,3))) AS volume_mb",
                "CAST(charge AS DECIMAL(18,2)) AS charge", "other_party"));
        return v;
    }

    /** Rules for the complaints file as of a date; {@code knownCustomers} as for usage. */
    static Validation complaints(Dialect d, String knownCustomers, LocalDate asOf) {
        Validation v = new Validation(d, Dataset.COMPLAINTS);
        for (String c : List.of("ticket_id", "customer_id", "opened_at", "category")) {
            v.required(c);
        }
        v.timestamp("opened_at");
        v.timestamp("resolved_at");
        v.oneOf("category", List.of("billing", "network", "service", "product", "other"));
        v.rule("satisfaction", RejectReason.BAD_NUMBER, "satisfaction IS NOT NULL AND NOT " + d.fullMatch("satisfaction", "\\d{1,3}"),
                "a whole number 1-5, or empty");
        v.rule("satisfaction", RejectReason.BAD_ENUM, "satisfaction IS NOT NULL AND NOT " + d.fullMatch("satisfaction", "[1-5]"),
                "1-5, or empty");
        v.rule("opened_at", RejectReason.OUT_OF_RANGE_DATE, "CAST(t_opened_at AS DATE) > DATE '" + asOf + "'", "on or before " + asOf);
        v.rule("resolved_at", RejectReason.OUT_OF_RANGE_DATE, "t_resolved_at < t_opened_at", "not before opened_at");
        v.joins.add("LEFT JOIN (SELECT DISTINCT customer_id AS known_id FROM " + knownCustomers + ") kc ON s.customer_id = kc.known_id");
        v.rule("customer_id", RejectReason.UNKNOWN_CUSTOMER, "kc.known_id IS NULL", "a customer_id present in customers");
        v.typed.addAll(List.of("ticket_id", "customer_id", "t_opened_at AS opened_at", "category", "t_resolved_at AS resolved_at",
                "CAST(satisfaction AS BIGINT) AS satisfaction"));
        return v;
    }

    private void rule(String field, RejectReason reason, String when, String detail) {
        rules.add(new Rule(field, reason, when, detail));
    }

    private void required(String c) {
        rule(c, RejectReason.MISSING_FIELD, c + " IS NULL", "a value");
    }

    private void oneOf(String c, List<String> values) {
        String in = values.stream().map(d::literal).collect(Collectors.joining(", "));
        rule(c, RejectReason.BAD_ENUM, c + " IS NOT NULL AND " + c + " NOT IN (" + in + ")", "one of " + String.join(", ", values));
    }

    private void number(String c, String regex, String expected) {
        rule(c, RejectReason.NEGATIVE_VALUE, c + " IS NOT NULL AND " + d.fullMatch(c, NEG), expected);
        rule(c, RejectReason.BAD_NUMBER, c + " IS NOT NULL AND NOT " + d.fullMatch(c, regex), expected);
    }

    private void timestamp(String c) {
        rule(c, RejectReason.BAD_TIMESTAMP, c + " IS NOT NULL AND t_" + c + " IS NULL", "YYYY-MM-DD HH:MM:SS, a real date and time");
    }

    private void date(String c) {
        rule(c, RejectReason.BAD_TIMESTAMP, c + " IS NOT NULL AND t_" + c + " IS NULL", "YYYY-MM-DD, a real date");
    }

    /**
     * Rejects files are read by people and copied into tickets: personal data in them is masked the
     * same way as in exports (138****1234, 张*, birth year only).
     */
    private static String masked(String c) {
        return switch (c) {
            case "msisdn" -> "CASE WHEN length(msisdn) >= 8 THEN concat(substr(msisdn, 1, 3), '****', substr(msisdn, 8)) ELSE msisdn END";
            case "name" -> "CASE WHEN length(name) > 0 THEN concat(substr(name, 1, 1), '*') END";
            case "birth_date" -> "CASE WHEN length(birth_date) >= 4 THEN concat(substr(birth_date, 1, 4), '-**-**') END";
            default -> c;
        };
    }

    /** Parsed values referenced by rules as {@code t_<column>}: NULL unless the text has the exact shape. */
    private List<String> parsed() {
        List<String> out = new ArrayList<>();
        for (String c : dataset.columns()) {
            if (c.endsWith("_time") || c.endsWith("_at")) {
                out.add("CASE WHEN " + d.fullMatch(c, TS) + " THEN " + d.parseTimestamp(c) + " END AS t_" + c);
            } else if (c.endsWith("_date")) {
                out.add("CASE WHEN " + d.fullMatch(c, DATE) + " THEN " + d.parseDate(c) + " END AS t_" + c);
            }
        }
        return out;
    }

    /**
     * The judged rows: every input column, the parsed values, and {@code reason}, {@code field},
     * {@code detail} (NULL for accepted rows). {@code existingKeys} is a view of keys already in the
     * warehouse outside the partitions being replaced (column k), or null.
     */
    String judged(String rawView, String existingKeys) {
        List<String> cols = dataset.columns();
        String trimmed = cols.stream().map(c -> "NULLIF(TRIM(" + c + "), '') AS " + c).collect(Collectors.joining(", "));
        String raw = "concat_ws(',', " + cols.stream().map(c -> "COALESCE(" + masked(c) + ", '')").collect(Collectors.joining(", ")) + ")";
        // Each condition is evaluated once (into rule_no); field, reason and detail are looked up from it.
        StringBuilder ruleNo = new StringBuilder("CASE");
        StringBuilder field = new StringBuilder("CASE rule_no");
        StringBuilder reason = new StringBuilder("CASE rule_no");
        StringBuilder detail = new StringBuilder("CASE rule_no");
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            ruleNo.append(" WHEN ").append(r.when).append(" THEN ").append(i + 1);
            field.append(" WHEN ").append(i + 1).append(" THEN ").append(d.literal(r.field));
            reason.append(" WHEN ").append(i + 1).append(" THEN ").append(d.literal(r.reason.code()));
            detail.append(" WHEN ").append(i + 1).append(" THEN ").append(d.literal("expected " + r.detail));
        }
        ruleNo.append(" END");
        field.append(" END");
        reason.append(" END");
        detail.append(" END");
        String key = dataset.key();
        String existingJoin = existingKeys == null ? "" : " LEFT JOIN (SELECT DISTINCT k FROM " + existingKeys + ") ek ON j.k0 = ek.k";
        String existingHit = existingKeys == null ? "FALSE" : "ek.k IS NOT NULL";
        return "WITH s0 AS (SELECT src_file, CAST(src_line AS BIGINT) AS src_line, src_day, " + raw + " AS raw, " + trimmed
                + " FROM " + rawView + "), "
                + "s AS (SELECT s0.*, " + String.join(", ", parsed()) + " FROM s0), "
                + "j0 AS (SELECT s.*, s." + key + " AS k0, " + ruleNo + " AS rule_no FROM s " + String.join(" ", joins) + "), "
                + "j AS (SELECT j0.*, " + field + " AS rule_field, " + reason + " AS rule_reason, " + detail + " AS rule_detail FROM j0), "
                + "r AS (SELECT j.*, " + existingHit + " AS seen_before, row_number() OVER (PARTITION BY j.k0, "
                + "CASE WHEN j.rule_reason IS NULL THEN 0 ELSE 1 END ORDER BY j.src_file, j.src_line) AS key_rank FROM j" + existingJoin + ") "
                + "SELECT r.*, CASE WHEN rule_reason IS NOT NULL THEN rule_reason WHEN key_rank > 1 OR seen_before THEN 'duplicate_id' END AS reason, "
                + "CASE WHEN rule_reason IS NOT NULL THEN rule_field WHEN key_rank > 1 OR seen_before THEN " + d.literal(key) + " END AS field, "
                + "CASE WHEN rule_reason IS NOT NULL THEN rule_detail WHEN key_rank > 1 THEN 'expected a unique " + key + " (seen earlier in this input)' "
                + "WHEN seen_before THEN 'expected a unique " + key + " (already in the warehouse)' END AS detail FROM r";
    }

    /** The typed warehouse columns of accepted rows, selected from the judged view. */
    String accepted(String judgedView, List<String> extraColumns) {
        List<String> cols = new ArrayList<>(typed);
        cols.add("src_file");
        cols.add("src_line");
        cols.addAll(extraColumns);
        return "SELECT " + String.join(", ", cols) + " FROM " + judgedView + " WHERE reason IS NULL";
    }

    /** Rejected rows of the judged view plus the structural rejects, in the rejects-file columns. */
    static String rejects(String judgedView, String structuralView) {
        return "SELECT src_file AS file, src_line AS line, field, reason, raw, detail, src_day FROM " + judgedView
                + " WHERE reason IS NOT NULL UNION ALL SELECT file, CAST(line AS BIGINT) AS line, COALESCE(field, '') AS field, reason, "
                + "COALESCE(raw, '') AS raw, detail, src_day FROM " + structuralView;
    }
}
