package io.tiercube.engine.generate;

import io.tiercube.engine.UserError;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Locale;

/**
 * What {@link DataGenerator} makes: how many customers, which days, which seed, how many bad rows.
 *
 * @param customers number of (good) customers, 1 … 50,000,000
 * @param months number of months of usage, 1 … 36, ending at {@code end}
 * @param end last day of usage (inclusive); when it is the last day of its month the data covers
 *     whole calendar months, otherwise the M months before it ({@code end - M months + 1 day} … end)
 * @param seed the pseudo-random seed: the same settings give byte-identical files
 * @param badRowRate fraction of extra, deliberately broken usage rows, 0 … 0.2 (default 0.002);
 *     customers and complaints get a handful (at least two per applicable reason) when it is above 0
 * @param format {@code csv} (gzipped, the operator drop format) or {@code parquet} (all columns as text)
 * @param eventsPerDay mean usage records per active customer and day, besides the monthly plan fee,
 *     0.05 … 100 (default 3.3, ≈ 100 records per customer and month)
 */
public record GeneratorSettings(int customers, int months, LocalDate end, long seed, double badRowRate,
                                Format format, double eventsPerDay) {

    /** Output file format. */
    public enum Format {
        CSV, PARQUET;

        public static Format parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserError(UserError.Kind.BAD_QUERY, "unknown format '" + text + "': expected csv or parquet");
            }
        }

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final LocalDate DEFAULT_END = LocalDate.of(2026, 10, 31);
    public static final long DEFAULT_SEED = 7;
    public static final double DEFAULT_BAD_ROW_RATE = 0.002;
    public static final double DEFAULT_EVENTS_PER_DAY = 3.3;

    public GeneratorSettings {
        if (customers < 1 || customers > 50_000_000) {
            throw new UserError(UserError.Kind.BAD_QUERY, "--customers must be between 1 and 50000000, got " + customers);
        }
        if (months < 1 || months > 36) {
            throw new UserError(UserError.Kind.BAD_QUERY, "--months must be between 1 and 36, got " + months);
        }
        if (end == null) {
            throw new UserError(UserError.Kind.BAD_QUERY, "--end is required (a date such as 2026-10-31)");
        }
        if (end.getYear() < 1990 || end.getYear() > 2200) {
            throw new UserError(UserError.Kind.BAD_QUERY, "--end must be a date between 1990 and 2200, got " + end);
        }
        if (!(badRowRate >= 0 && badRowRate <= 0.2)) {
            throw new UserError(UserError.Kind.BAD_QUERY, "--bad-rows must be a fraction between 0 and 0.2, got " + badRowRate);
        }
        if (!(eventsPerDay >= 0.05 && eventsPerDay <= 100)) {
            throw new UserError(UserError.Kind.BAD_QUERY, "--events-per-day must be between 0.05 and 100, got " + eventsPerDay);
        }
        if (format == null) {
            format = Format.CSV;
        }
    }

    /** Defaults for everything but the size. */
    public static GeneratorSettings of(int customers, int months) {
        return new GeneratorSettings(customers, months, DEFAULT_END, DEFAULT_SEED, DEFAULT_BAD_ROW_RATE, Format.CSV,
                DEFAULT_EVENTS_PER_DAY);
    }

    public GeneratorSettings withSeed(long s) {
        return new GeneratorSettings(customers, months, end, s, badRowRate, format, eventsPerDay);
    }

    public GeneratorSettings withEnd(LocalDate e) {
        return new GeneratorSettings(customers, months, e, seed, badRowRate, format, eventsPerDay);
    }

    public GeneratorSettings withBadRowRate(double r) {
        return new GeneratorSettings(customers, months, end, seed, r, format, eventsPerDay);
    }

    public GeneratorSettings withFormat(Format f) {
        return new GeneratorSettings(customers, months, end, seed, badRowRate, f, eventsPerDay);
    }

    public GeneratorSettings withEventsPerDay(double e) {
        return new GeneratorSettings(customers, months, end, seed, badRowRate, format, e);
    }

    /** First day of usage. */
    public LocalDate start() {
        if (end.equals(YearMonth.from(end).atEndOfMonth())) {
            return YearMonth.from(end).minusMonths(months - 1L).atDay(1);
        }
        return end.minusMonths(months).plusDays(1);
    }

    /** File extension of the data files, with its dot. */
    String extension() {
        return format == Format.CSV ? ".csv.gz" : ".parquet";
    }
}
