package io.tiercube.engine.churn;

import io.tiercube.engine.backend.Dialect;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The churn features of every customer active at the end of an as-of month, as one SELECT over the
 * warehouse views ({@code customers}, {@code usage}, {@code complaints}), written once for both
 * engines, plus the words that turn each feature into a reason an account manager understands.
 * docs/churn.md lists the features and their exact definitions; keep the two in step.
 */
final class Features {

    /**
     * How {@code usage.other_party} hashes a phone number: the generator writes contacts hashed this
     * way (sample-data/README.md), so {@code hash(customers.msisdn)} finds the contacts who are customers.
     */
    static final String CONTACT_HASH = "substr(md5(%s), 1, 16)";

    /** Increases when a definition changes, so an older model file is retrained instead of misread. */
    static final String FEATURE_SET = "warehouse-v1";

    /** Per-service spend buckets: column suffix, the SQL condition on a usage row, and its name in words. */
    record Service(String key, String condition, String words) {
    }

    static final List<Service> SERVICES = List.of(
            new Service("voice_local", "service = 'voice' AND call_type = 'local'", "local call"),
            new Service("voice_long_distance", "service = 'voice' AND call_type = 'long_distance'", "long-distance"),
            new Service("voice_international", "service = 'voice' AND call_type = 'international'", "international call"),
            new Service("voice_roaming", "service = 'voice' AND call_type = 'roaming'", "roaming"),
            new Service("sms", "service = 'sms'", "SMS"),
            new Service("data", "service = 'data'", "data"),
            new Service("vas", "service = 'vas'", "value-added service"));

    /**
     * One model feature.
     *
     * @param name column name in the feature table
     * @param reason SQL (over the feature table's columns) giving the reason in words, or NULL when this
     *     customer's value does not make a sensible reason; {@code mean} is the training mean as a SQL literal
     */
    record Feature(String name, Function<String, String> reason) {
    }

    private static String pct(String col) {
        return "CAST(CAST(round(abs(" + col + ") * 100) AS BIGINT) AS STRING)";
    }

    private static String whole(String expr) {
        return "CAST(CAST(round(" + expr + ") AS BIGINT) AS STRING)";
    }

    private static String change(String col, String words) {
        return "CASE WHEN " + col + " < 0 THEN concat('" + words + " spend down ', " + pct(col) + ", ' % vs previous 3 months')"
                + " WHEN " + col + " > 0 THEN concat('" + words + " spend up ', " + pct(col) + ", ' % vs previous 3 months') END";
    }

    private static String plural(String col, String one, String many) {
        return "concat(" + whole(col) + ", CASE WHEN " + col + " = 1 THEN '" + one + "' ELSE '" + many + "' END)";
    }

    static final List<Feature> CATALOGUE = catalogue();

    private static List<Feature> catalogue() {
        List<Feature> f = new ArrayList<>();
        f.add(new Feature("arpu", mean -> "concat('spend this month ', " + whole("arpu") + ", ' (average customer ', " + whole(mean) + ", ')')"));
        f.add(new Feature("arpu_change", mean -> change("arpu_change", "total")));
        for (Service s : SERVICES) {
            String col = "spend_change_" + s.key();
            f.add(new Feature(col, mean -> change(col, s.words())));
        }
        StringBuilder drop = new StringBuilder("CASE largest_drop_service");
        for (Service s : SERVICES) {
            drop.append(" WHEN '").append(s.key()).append("' THEN '").append(s.words()).append("'");
        }
        drop.append(" END");
        f.add(new Feature("largest_service_drop", mean -> "CASE WHEN largest_service_drop > 0 AND largest_drop_service IS NOT NULL THEN concat("
                + drop + ", ' spend down ', " + pct("largest_service_drop") + ", ' % vs previous 3 months') END"));
        f.add(new Feature("spend_slope_6m", mean -> "CASE WHEN spend_slope_6m < 0 THEN concat('spend falling ', " + pct("spend_slope_6m")
                + ", ' % a month over 6 months') WHEN spend_slope_6m > 0 THEN concat('spend rising ', " + pct("spend_slope_6m")
                + ", ' % a month over 6 months') END"));
        f.add(new Feature("active_days", mean -> "concat('active on ', " + plural("active_days", " day", " days")
                + ", ' this month (average customer ', " + whole(mean) + ", ')')"));
        f.add(new Feature("days_since_last_event", mean -> "concat('last call, text or data session ', "
                + plural("days_since_last_event", " day", " days") + ", ' ago (average customer ', " + whole(mean) + ", ')')"));
        f.add(new Feature("tenure_months", mean -> "concat('on the network for ', " + plural("tenure_months", " month", " months") + ")"));
        f.add(new Feature("plan_fee", mean -> "concat('plan fee ', " + whole("plan_fee") + ", ' a month (average customer ', " + whole(mean) + ", ')')"));
        f.add(new Feature("segment_key_account", mean -> "CASE WHEN segment_key_account = 1 THEN 'key account' END"));
        f.add(new Feature("segment_enterprise", mean -> "CASE WHEN segment_enterprise = 1 THEN 'enterprise customer' END"));
        f.add(new Feature("segment_mass_market", mean -> "CASE WHEN segment_mass_market = 1 THEN 'mass-market customer' END"));
        f.add(new Feature("complaints_90d", mean -> "CASE WHEN complaints_90d > 0 THEN concat("
                + plural("complaints_90d", " complaint", " complaints") + ", ' in the last 90 days') END"));
        f.add(new Feature("unresolved_tickets", mean -> "CASE WHEN unresolved_tickets > 0 THEN concat("
                + plural("unresolved_tickets", " unresolved ticket", " unresolved tickets") + ") END"));
        f.add(new Feature("mean_satisfaction", mean -> "CASE WHEN mean_satisfaction IS NOT NULL THEN concat('complaint satisfaction ', "
                + "CAST(round(mean_satisfaction, 1) AS STRING), ' / 5') END"));
        f.add(new Feature("contacts_churned_share", mean -> "CASE WHEN contacts_churned_share > 0 THEN concat("
                + pct("contacts_churned_share") + ", ' % of on-net contacts left in the last 3 months') END"));
        return List.copyOf(f);
    }

    static List<String> names() {
        return CATALOGUE.stream().map(Feature::name).toList();
    }

    static Feature feature(String name) {
        for (Feature f : CATALOGUE) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    private static int index(YearMonth m) {
        return m.getYear() * 12 + m.getMonthValue();
    }

    private static String date(LocalDate d) {
        return "DATE '" + d + "'";
    }

    /**
     * The feature SELECT: one row per customer active at the end of {@code asOf} (joined on or before
     * that day, not closed by it). Columns: {@code customer_id}, every catalogue feature as DOUBLE,
     * {@code largest_drop_service}, and {@code churned} (0/1: closed within {@code horizon} months after
     * the as-of month) when {@code horizon > 0}.
     *
     * @param firstDataMonth the first month with usage: earlier months count as unknown, not as zero spend
     * @param hasComplaints whether a {@code complaints} view exists (otherwise nobody has complained)
     */
    static String sql(Dialect d, YearMonth asOf, YearMonth firstDataMonth, int horizon, boolean hasComplaints) {
        return sql(d, asOf, asOf.atEndOfMonth(), firstDataMonth, horizon, hasComplaints, Stored.NONE);
    }

    /**
     * Months of the window whose per-customer sums are read from a view of {@code customer_months}
     * rows ({@link io.tiercube.engine.segment.CustomerMonths#COLUMNS}) instead of the facts: the
     * features then scan the facts of the months not stored, and for contacts those of the as-of month
     * and the two before it. The as-of month is stored only when its sums cover the data up to the
     * as-of day (they hold every usage day of the month). {@code facts} is the usage view to read
     * those from: {@code usage}, or one over just the months read. {@code contacts}, when not null,
     * is a view of (customer_id, other_party) rows covering the contacts' three months (stored pairs
     * or facts), read instead of the facts.
     */
    record Stored(String view, List<YearMonth> months, String facts, String contacts) {
        static final Stored NONE = new Stored(null, List.of(), "usage", null);
    }

    static String sql(Dialect d, YearMonth asOf, LocalDate dataEnd, YearMonth firstDataMonth, int horizon, boolean hasComplaints) {
        return sql(d, asOf, dataEnd, firstDataMonth, horizon, hasComplaints, Stored.NONE);
    }

    /** The facts' dates of the window {@code from}..{@code to} outside the stored months, as a condition on event_date. */
    private static String factDates(LocalDate from, LocalDate to, Stored stored) {
        List<String> ranges = new ArrayList<>();
        LocalDate start = null;
        for (YearMonth m = YearMonth.from(from); !m.isAfter(YearMonth.from(to)); m = m.plusMonths(1)) {
            boolean fromFacts = !stored.months().contains(m);
            if (fromFacts && start == null) {
                start = m.atDay(1).isBefore(from) ? from : m.atDay(1);
            }
            if (!fromFacts && start != null) {
                ranges.add("event_date >= " + date(start) + " AND event_date <= " + date(m.minusMonths(1).atEndOfMonth()));
                start = null;
            }
        }
        if (start != null) {
            ranges.add("event_date >= " + date(start) + " AND event_date <= " + date(to));
        }
        return ranges.isEmpty() ? "1 = 0" : ranges.size() == 1 ? ranges.get(0) : "(" + String.join(") OR (", ranges) + ")";
    }

    /**
     * As {@link #sql(Dialect, YearMonth, YearMonth, int, boolean)}, for data that ends on {@code dataEnd}
     * (inside the as-of month for a month-to-date run): everything is then as of that day, and the
     * month's spend and active days are extrapolated to the whole month (x days-in-month / days covered),
     * so that a half-month does not read as a 50 % drop.
     */
    static String sql(Dialect d, YearMonth asOf, LocalDate dataEnd, YearMonth firstDataMonth, int horizon, boolean hasComplaints,
                      Stored stored) {
        LocalDate end = dataEnd.isBefore(asOf.atEndOfMonth()) && !dataEnd.isBefore(asOf.atDay(1)) ? dataEnd : asOf.atEndOfMonth();
        String e = date(end);
        String scale = end.getDayOfMonth() == asOf.lengthOfMonth() ? ""
                : " * " + LogisticModel.lit(asOf.lengthOfMonth() / (double) end.getDayOfMonth());
        int mm = index(asOf);
        int first = index(firstDataMonth);
        LocalDate windowStart = asOf.minusMonths(5).atDay(1);
        LocalDate available = windowStart.isBefore(firstDataMonth.atDay(1)) ? firstDataMonth.atDay(1) : windowStart;
        StringBuilder s = new StringBuilder("WITH base AS (\n")
                .append("  SELECT customer_id, msisdn, segment, join_date, closed_date, CAST(plan_fee AS DOUBLE) AS plan_fee,\n")
                .append("         year(join_date) * 12 + month(join_date) AS join_idx\n")
                .append("  FROM customers\n")
                .append("  WHERE join_date <= ").append(e).append(" AND (closed_date IS NULL OR closed_date > ").append(e).append(")\n")
                .append("), u AS (\n")
                .append("  SELECT customer_id, event_date, service, call_type, charge, year(event_date) * 12 + month(event_date) AS mi\n")
                .append("  FROM ").append(stored.facts()).append(" WHERE ").append(factDates(windowStart, end, stored)).append("\n")
                // One row per customer and month with the total and each service's spend, summed from the
                // facts for the months not stored: the shape customer_months holds the others in.
                .append("), cm AS (\n")
                .append("  SELECT customer_id, mi, sum(charge) AS spend");
        for (Service sv : SERVICES) {
            s.append(", sum(CASE WHEN ").append(sv.condition()).append(" THEN charge ELSE 0 END) AS spend_").append(sv.key());
        }
        s.append(" FROM u GROUP BY customer_id, mi\n");
        if (!stored.months().isEmpty()) {
            s.append("  UNION ALL SELECT customer_id, mi, spend");
            for (Service sv : SERVICES) {
                s.append(", spend_").append(sv.key());
            }
            s.append(" FROM ").append(stored.view()).append("\n");
        }
        // Per customer and spend (total, each service): this month's and the previous 3 months' sums.
        List<String> spends = new ArrayList<>(List.of("total"));
        SERVICES.forEach(sv -> spends.add(sv.key()));
        s.append("), w AS (\n  SELECT customer_id");
        for (String k : spends) {
            String col = k.equals("total") ? "spend" : "spend_" + k;
            s.append(",\n    CAST(COALESCE(sum(CASE WHEN mi = ").append(mm).append(" THEN ").append(col).append(" END), 0) AS DOUBLE)")
                    .append(scale).append(" AS now_").append(k)
                    .append(",\n    CAST(COALESCE(sum(CASE WHEN mi BETWEEN ").append(mm - 3).append(" AND ").append(mm - 1).append(" THEN ")
                    .append(col).append(" END), 0) AS DOUBLE) AS prev_").append(k);
        }
        s.append("\n  FROM cm GROUP BY customer_id\n");
        // The previous months' average counts only months since joining and since the data begins.
        String months = "NULLIF(CAST(GREATEST(0, " + (mm - 1) + " - GREATEST(" + (mm - 3) + ", " + first + ", b.join_idx) + 1) AS DOUBLE), 0)";
        s.append("), wp AS (\n  SELECT w.customer_id");
        for (String k : spends) {
            s.append(", w.now_").append(k).append(", w.prev_").append(k).append(" / ").append(months).append(" AS avg_").append(k);
        }
        s.append("\n  FROM w JOIN base b ON b.customer_id = w.customer_id\n");
        // Relative change vs the previous 3 months' average, only where that average is at least 1 (else 0),
        // clipped to [-100 %, +300 %] so one tiny month cannot dominate.
        s.append("), wc AS (\n  SELECT customer_id, now_total");
        for (String k : spends) {
            s.append(",\n    CAST(CASE WHEN avg_").append(k).append(" >= 1 THEN GREATEST(-1.0, LEAST(3.0, (now_").append(k).append(" - avg_")
                    .append(k).append(") / NULLIF(avg_").append(k).append(", 0))) ELSE 0.0 END AS DOUBLE) AS chg_").append(k);
        }
        s.append("\n  FROM wp\n");
        // The service with the largest drop: the lowest change, ties to the first service by name.
        List<String> byName = SERVICES.stream().map(Service::key).sorted().toList();
        String low = "LEAST(" + byName.stream().map(k -> "chg_" + k).collect(java.util.stream.Collectors.joining(", ")) + ")";
        s.append("), ch AS (\n  SELECT customer_id, now_total AS arpu, chg_total AS arpu_change");
        for (Service sv : SERVICES) {
            s.append(", chg_").append(sv.key()).append(" AS spend_change_").append(sv.key());
        }
        s.append(",\n    CASE WHEN ").append(low).append(" < 0 THEN -").append(low).append(" END AS largest_service_drop,\n    CASE");
        for (String k : byName) {
            s.append(" WHEN ").append(low).append(" < 0 AND chg_").append(k).append(" = ").append(low).append(" THEN '").append(k).append("'");
        }
        s.append(" END AS largest_drop_service\n  FROM wc\n");
        s                .append("), grid AS (\n")
                .append("  SELECT b.customer_id, ").append(mm).append(" - g.k AS mi FROM base b CROSS JOIN (")
                .append("SELECT 0 AS k UNION ALL SELECT 1 AS k UNION ALL SELECT 2 AS k UNION ALL SELECT 3 AS k UNION ALL SELECT 4 AS k UNION ALL SELECT 5 AS k) g\n")
                .append("  WHERE ").append(mm).append(" - g.k >= GREATEST(").append(first).append(", b.join_idx)\n")
                .append("), series AS (\n")
                .append("  SELECT grid.customer_id, grid.mi, CAST(COALESCE(mt.spend, 0) AS DOUBLE)")
                .append(scale.isEmpty() ? "" : " * CASE WHEN grid.mi = " + mm + " THEN " + scale.substring(3) + " ELSE " + LogisticModel.lit(1.0) + " END")
                .append(" AS spend\n")
                .append("  FROM grid LEFT JOIN cm mt ON mt.customer_id = grid.customer_id AND mt.mi = grid.mi\n")
                .append("), sl AS (\n")
                .append("  SELECT customer_id, regr_slope(spend, CAST(mi - ").append(mm).append(" AS DOUBLE)) AS slope, avg(spend) AS avg_spend,")
                .append(" count(*) AS months FROM series GROUP BY customer_id\n")
                .append("), act AS (\n");
        String act = "SELECT customer_id, count(DISTINCT CASE WHEN event_date >= " + date(asOf.atDay(1))
                + " THEN event_date END) AS active_days, max(event_date) AS last_event FROM u WHERE service <> 'subscription' GROUP BY customer_id";
        if (stored.months().isEmpty()) {
            s.append("  ").append(act).append("\n");
        } else {
            s.append("  SELECT customer_id, sum(active_days) AS active_days, max(last_event) AS last_event FROM (").append(act)
                    .append(" UNION ALL SELECT customer_id, CASE WHEN mi = ").append(mm).append(" THEN active_days ELSE CAST(0 AS BIGINT) END")
                    .append(" AS active_days, last_event FROM ").append(stored.view()).append(" WHERE last_event IS NOT NULL) a GROUP BY customer_id\n");
        }
        if (hasComplaints) {
            s.append("), cp AS (\n")
                    .append("  SELECT customer_id,\n")
                    .append("    sum(CASE WHEN CAST(opened_at AS DATE) > ").append(date(end.minusDays(90))).append(" THEN 1 ELSE 0 END) AS complaints_90d,\n")
                    .append("    sum(CASE WHEN resolved_at IS NULL OR CAST(resolved_at AS DATE) > ").append(e).append(" THEN 1 ELSE 0 END) AS unresolved_tickets,\n")
                    .append("    avg(CASE WHEN CAST(opened_at AS DATE) > ").append(date(end.minusDays(180)))
                    .append(" AND resolved_at IS NOT NULL AND CAST(resolved_at AS DATE) <= ").append(e)
                    .append(" THEN CAST(satisfaction AS DOUBLE) END) AS mean_satisfaction\n")
                    .append("  FROM complaints WHERE CAST(opened_at AS DATE) <= ").append(e).append(" GROUP BY customer_id\n");
        } else {
            s.append("), cp AS (\n")
                    .append("  SELECT CAST(NULL AS STRING) AS customer_id, CAST(NULL AS BIGINT) AS complaints_90d,")
                    .append(" CAST(NULL AS BIGINT) AS unresolved_tickets, CAST(NULL AS DOUBLE) AS mean_satisfaction FROM customers WHERE 1 = 0\n");
        }
        // Only numbers of customers count: keeping those before the DISTINCT leaves it a fraction of the pairs.
        s.append("), hc AS (\n")
                .append("  SELECT ").append(String.format(CONTACT_HASH, "msisdn")).append(" AS party, closed_date FROM customers WHERE msisdn IS NOT NULL\n")
                .append("), ct AS (\n");
        if (stored.contacts() == null) {
            s.append("  SELECT DISTINCT customer_id, other_party FROM ").append(stored.facts()).append("\n")
                    .append("  WHERE event_date >= ").append(date(asOf.minusMonths(2).atDay(1))).append(" AND event_date <= ").append(e)
                    .append(" AND other_party IN (SELECT party FROM hc)\n");
        } else {
            s.append("  SELECT DISTINCT customer_id, other_party FROM ").append(stored.contacts()).append(" WHERE other_party IN (SELECT party FROM hc)\n");
        }
        s.append("), cc AS (\n")
                .append("  SELECT ct.customer_id, count(*) AS contacts,\n")
                .append("    sum(CASE WHEN hc.closed_date > ").append(date(asOf.minusMonths(3).atEndOfMonth())).append(" AND hc.closed_date <= ").append(e)
                .append(" THEN 1 ELSE 0 END) AS churned_contacts\n")
                .append("  FROM ct JOIN hc ON hc.party = ct.other_party GROUP BY ct.customer_id\n")
                .append(")\n");
        s.append("SELECT b.customer_id,\n")
                .append("  CAST(COALESCE(ch.arpu, 0.0) AS DOUBLE) AS arpu,\n")
                .append("  CAST(COALESCE(ch.arpu_change, 0.0) AS DOUBLE) AS arpu_change");
        for (Service sv : SERVICES) {
            s.append(",\n  CAST(COALESCE(ch.spend_change_").append(sv.key()).append(", 0.0) AS DOUBLE) AS spend_change_").append(sv.key());
        }
        s.append(",\n  CAST(COALESCE(ch.largest_service_drop, 0.0) AS DOUBLE) AS largest_service_drop");
        s.append(",\n  CAST(CASE WHEN sl.months >= 3 THEN GREATEST(-1.0, LEAST(1.0, COALESCE(sl.slope / NULLIF(sl.avg_spend, 0), 0.0)))")
                .append(" ELSE 0.0 END AS DOUBLE) AS spend_slope_6m");
        s.append(",\n  CAST(COALESCE(act.active_days, 0) AS DOUBLE)").append(scale).append(" AS active_days");
        s.append(",\n  CAST(COALESCE(").append(d.daysBetween(e, "act.last_event")).append(", ")
                .append(d.daysBetween(e, "GREATEST(" + date(available) + ", b.join_date)")).append(") AS DOUBLE) AS days_since_last_event");
        s.append(",\n  CAST(").append(d.monthsBetween(e, "b.join_date")).append(" AS DOUBLE) AS tenure_months");
        s.append(",\n  CAST(COALESCE(b.plan_fee, 0.0) AS DOUBLE) AS plan_fee");
        s.append(",\n  CAST(CASE WHEN b.segment = 'key_account' THEN 1.0 ELSE 0.0 END AS DOUBLE) AS segment_key_account");
        s.append(",\n  CAST(CASE WHEN b.segment = 'enterprise' THEN 1.0 ELSE 0.0 END AS DOUBLE) AS segment_enterprise");
        s.append(",\n  CAST(CASE WHEN b.segment = 'mass_market' THEN 1.0 ELSE 0.0 END AS DOUBLE) AS segment_mass_market");
        s.append(",\n  CAST(COALESCE(cp.complaints_90d, 0) AS DOUBLE) AS complaints_90d");
        s.append(",\n  CAST(COALESCE(cp.unresolved_tickets, 0) AS DOUBLE) AS unresolved_tickets");
        s.append(",\n  cp.mean_satisfaction");
        s.append(",\n  CAST(COALESCE(CAST(cc.churned_contacts AS DOUBLE) / NULLIF(CAST(cc.contacts AS DOUBLE), 0), 0.0) AS DOUBLE) AS contacts_churned_share");
        s.append(",\n  ch.largest_drop_service");
        if (horizon > 0) {
            s.append(",\n  CASE WHEN b.closed_date IS NOT NULL AND b.closed_date <= ").append(date(asOf.plusMonths(horizon).atEndOfMonth()))
                    .append(" THEN 1 ELSE 0 END AS churned");
        }
        s.append("\nFROM base b\n")
                .append("LEFT JOIN ch ON ch.customer_id = b.customer_id\n")
                .append("LEFT JOIN sl ON sl.customer_id = b.customer_id\n")
                .append("LEFT JOIN act ON act.customer_id = b.customer_id\n")
                .append("LEFT JOIN cp ON cp.customer_id = b.customer_id\n")
                .append("LEFT JOIN cc ON cc.customer_id = b.customer_id");
        return s.toString();
    }
}
