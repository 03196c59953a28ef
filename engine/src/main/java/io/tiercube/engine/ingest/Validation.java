package io.tiercube.engine.ingest;

import io.tiercube.engine.backend.Dialect;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        v.knownCustomer(knownCustomers);
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
        v.knownCustomer(knownCustomers);
        v.typed.addAll(List.of("ticket_id", "customer_id", "t_opened_at AS opened_at", "category", "t_resolved_at AS resolved_at",
                "CAST(satisfaction AS BIGINT) AS satisfaction"));
        return v;
    }

    private void rule(String field, RejectReason reason, String when, String detail) {
        rules.add(new Rule(field, reason, when, detail));
    }

    /** customer_id must be in the customers snapshot (a view with column customer_id). */
    private void knownCustomer(String knownCustomers) {
        String when;
        if (d.subqueryInExpressions()) {
            when = "NOT (s.customer_id IN (SELECT customer_id FROM " + knownCustomers + "))";
        } else {
            joins.add("LEFT JOIN (SELECT DISTINCT customer_id AS known_id FROM " + knownCustomers + ") kc ON s.customer_id = kc.known_id");
            when = "kc.known_id IS NULL";
        }
        rule("customer_id", RejectReason.UNKNOWN_CUSTOMER, when, "a customer_id present in customers");
    }

    private void required(String c) {
        rule(c, RejectReason.MISSING_FIELD, c + " IS NULL", "a value");
    }

    private void oneOf(String c, List<String> values) {
        String in = values.stream().map(d::literal).collect(Collectors.joining(", "));
        rule(c, RejectReason.BAD_ENUM, c + " IS NOT NULL AND " + c + " NOT IN (" + in + ")", "one of " + String.join(", ", values));
    }

    private void number(String c, String regex, String expected) {
        // The prefix test first: a full regex match on every row cost 0.6 s of 2.2 s for the three numbers at 20 M rows.
        rule(c, RejectReason.NEGATIVE_VALUE, c + " IS NOT NULL AND " + c + " LIKE '-%' AND " + d.fullMatch(c, NEG), expected);
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

    private static boolean isTimestamp(String column) {
        return column.endsWith("_time") || column.endsWith("_at");
    }

    /**
     * A timestamp column's text as the checked rows hold it: only for rows that break a rule, or
     * whose year the parsed value would not print back with four digits. Every other row's text is
     * exactly its parsed value printed back (it had the shape and parsed), so the rejects' raw text
     * of a duplicate is rebuilt from it ({@link #raw}); the text of every row cost 0.4 s and 11 %
     * of the checked rows' memory at 20 M rows.
     */
    private String heldText(String c) {
        return "CASE WHEN rule_no IS NOT NULL OR year(t_" + c + ") < 1000 THEN " + c + " END AS " + c;
    }

    /** Parsed values referenced by rules, by name ({@code t_<column>}): NULL unless the text has the exact shape. */
    private Map<String, String> parsed() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String c : dataset.columns()) {
            if (isTimestamp(c)) {
                out.put("t_" + c, "CASE WHEN " + d.fullMatch(c, TS) + " THEN " + d.parseTimestamp(c) + " END");
            } else if (c.endsWith("_date")) {
                out.put("t_" + c, "CASE WHEN " + d.fullMatch(c, DATE) + " THEN " + d.parseDate(c) + " END");
            }
        }
        return out;
    }

    /**
     * Every input row with its file's number ({@code src_no}) and line, trimmed text, parsed values,
     * its key's 64-bit hash ({@code key_hash}) and the number of the first rule it breaks
     * ({@code rule_no}, NULL for rows that pass). Written once; duplicates, accepted rows and rejects
     * are read from it. It holds no more than that: file names, the reason texts and the masked raw
     * row are derived for the rows that need them only ({@link #accepted}, {@link #rejects}), since
     * they would otherwise be written for every row (most of this step's cost at 100 M rows), and
     * a timestamp's text is held only where its parsed value cannot give it back ({@link #heldText}).
     *
     * @param rawView the normalised rows: src_no, src_line, then the contract's columns, all text
     * @param filesView one row per input file: src_no, src_file (its name) and src_day (text, empty if none)
     */
    String checked(String rawView, String filesView) {
        List<String> cols = dataset.columns();
        // The normaliser trimmed the spaces around every value (TRIM here cost more than the rules).
        String trimmed = cols.stream().map(c -> "NULLIF(" + c + ", '') AS " + c).collect(Collectors.joining(", "));
        StringBuilder ruleNo = new StringBuilder("CASE");
        for (int i = 0; i < rules.size(); i++) {
            ruleNo.append(" WHEN ").append(rules.get(i).when).append(" THEN ").append(i + 1);
        }
        ruleNo.append(" END");
        Map<String, String> parsed = parsed();
        String parsedAs = parsed.entrySet().stream().map(e -> e.getValue() + " AS " + e.getKey()).collect(Collectors.joining(", "));
        // Every column but the file's day, which only the rules read: a column less to hold.
        List<String> kept = new ArrayList<>(List.of("src_no", "src_line"));
        kept.addAll(cols);
        kept.addAll(parsed.keySet());
        String held = kept.stream().map(c -> cols.contains(c) && isTimestamp(c) ? heldText(c) : c).collect(Collectors.joining(", "));
        return "SELECT " + held + ", key_hash, rule_no FROM ("
                + "WITH s0 AS (SELECT r.src_no, CAST(r.src_line AS BIGINT) AS src_line, f.src_day, " + trimmed + " FROM " + rawView
                + " r JOIN " + filesView + " f ON r.src_no = f.src_no), "
                + "s AS (SELECT s0.*, " + parsedAs + " FROM s0) "
                + "SELECT " + kept.stream().map(c -> "s." + c).collect(Collectors.joining(", ")) + ", "
                + d.hash64("s." + dataset.key()) + " AS key_hash, " + ruleNo + " AS rule_no FROM s " + String.join(" ", joins) + ") c";
    }

    /** {@code CASE rule_no WHEN 1 THEN … END} over one property of the rules. */
    private String byRuleNo(java.util.function.Function<Rule, String> property) {
        StringBuilder sb = new StringBuilder("CASE rule_no");
        for (int i = 0; i < rules.size(); i++) {
            sb.append(" WHEN ").append(i + 1).append(" THEN ").append(d.literal(property.apply(rules.get(i))));
        }
        return sb.append(" END").toString();
    }

    /** The row's fields (trimmed) as one comma-joined text, personal data masked. */
    private String raw() {
        return "concat_ws(',', " + dataset.columns().stream()
                .map(c -> "COALESCE(" + masked(c) + (isTimestamp(c) ? ", " + d.formatTimestamp("t_" + c) : "") + ", '')")
                .collect(Collectors.joining(", ")) + ")";
    }

    /**
     * Rows that pass every rule but repeat a key: seen earlier in this input (by file number, which
     * follows the files' order, then line), or
     * already in the warehouse's days of the month ({@code existingKeys}: a view with column k, or null). Columns:
     * src_no, src_line, detail. Only rows whose key's 64-bit hash ({@code key_hash}, written by
     * {@link #checked}) occurs twice, or in the warehouse, are ranked by their key's text, so the cost
     * is one aggregation of hashes, not a window or a join over every key. With {@code existingKeys},
     * the SQL takes two parameters, the lowest and highest key that passes ({@link #passingKeyRange}):
     * earlier keys outside them cannot repeat one, and the range lets the Parquet reader skip row
     * groups by their statistics (when keys follow the days, as record ids that start with the date
     * do: the check for a day against a month of 95 M keys went from 3.2 s to 0.9 s).
     */
    String duplicates(String checkedView, String existingKeys) {
        // Written out at each use rather than as a shared CTE: DuckDB materializes a CTE read twice,
        // which here is a copy of every passing row.
        String a = "(SELECT key_hash, " + dataset.key() + " AS k0, src_no, src_line FROM " + checkedView + " WHERE rule_no IS NULL)";
        String h = "SELECT key_hash AS kh FROM " + a + " a GROUP BY key_hash HAVING count(*) > 1";
        // One wording whether the earlier row is in this batch or in a day loaded before: a rerun
        // after a crash moves that boundary, and must still write the same rejects file.
        String detail = d.literal("expected a unique " + dataset.key() + " (an earlier row has it)") + " AS detail";
        String ranked = "SELECT a.src_no, a.src_line, a.k0, row_number() OVER (PARTITION BY a.k0 ORDER BY a.src_no, a.src_line) AS key_rank"
                + " FROM " + a + " a JOIN cand ON a.key_hash = cand.kh";
        if (existingKeys == null) {
            return "WITH cand AS (" + h + "), r AS (" + ranked + ") "
                    + "SELECT src_no, src_line, " + detail + " FROM r WHERE key_rank > 1";
        }
        String ek = "SELECT DISTINCT k, " + d.hash64("k") + " AS kh FROM " + existingKeys + " WHERE k BETWEEN ? AND ? AND "
                + d.hash64("k") + " IN (SELECT key_hash FROM " + a + " a)";
        return "WITH ek AS (" + ek + "), cand AS (" + h + " UNION SELECT kh FROM ek), r AS (" + ranked + ") "
                + "SELECT r.src_no, r.src_line, " + detail + " FROM r LEFT JOIN ek ON r.k0 = ek.k WHERE r.key_rank > 1 OR ek.k IS NOT NULL";
    }

    /** One row: the lowest ({@code lo}) and highest ({@code hi}) key of the checked rows that pass, NULL when none do. */
    String passingKeyRange(String checkedView) {
        return "SELECT min(" + dataset.key() + ") AS lo, max(" + dataset.key() + ") AS hi FROM " + checkedView + " WHERE rule_no IS NULL";
    }

    /**
     * The typed warehouse columns of accepted rows, passing every rule and not a duplicate, with
     * src_file and src_line; {@code extraColumns} may name the checked rows' columns as {@code c.}.
     */
    String accepted(String checkedView, String duplicatesView, String filesView, List<String> extraColumns) {
        List<String> cols = new ArrayList<>(typed);
        cols.add("f.src_file");
        cols.add("c.src_line");
        cols.addAll(extraColumns);
        return "SELECT " + String.join(", ", cols) + " FROM " + checkedView + " c JOIN " + filesView + " f ON c.src_no = f.src_no"
                + " LEFT JOIN (SELECT src_no AS d_no, src_line AS d_line FROM " + duplicatesView + ") dup"
                + " ON c.src_no = dup.d_no AND c.src_line = dup.d_line WHERE c.rule_no IS NULL AND dup.d_line IS NULL";
    }

    /** Rejected rows (a broken rule, a duplicate key, or structural) in the rejects-file columns. */
    String rejects(String checkedView, String duplicatesView, String structuralView, String filesView) {
        String broken = "(SELECT f.src_file, f.src_day, c.* FROM " + checkedView + " c JOIN " + filesView + " f ON c.src_no = f.src_no"
                + " WHERE c.rule_no IS NOT NULL) x";
        String duplicated = "(SELECT f.src_file, f.src_day, c.*, dup.detail AS dup_detail FROM " + checkedView + " c JOIN " + duplicatesView
                + " dup ON c.src_no = dup.src_no AND c.src_line = dup.src_line JOIN " + filesView + " f ON c.src_no = f.src_no) x";
        return "SELECT src_file AS file, src_line AS line, " + byRuleNo(Rule::field) + " AS field, " + byRuleNo(r -> r.reason.code())
                + " AS reason, " + raw() + " AS raw, " + byRuleNo(r -> "expected " + r.detail) + " AS detail, src_day FROM " + broken
                + " UNION ALL SELECT src_file, src_line, " + d.literal(dataset.key()) + ", 'duplicate_id', " + raw() + ", dup_detail, src_day FROM "
                + duplicated
                + " UNION ALL SELECT file, CAST(line AS BIGINT) AS line, COALESCE(field, '') AS field, reason, "
                + "COALESCE(raw, '') AS raw, detail, src_day FROM " + structuralView;
    }
}
