package io.tiercube.engine.segment;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The session views every segment computation for one month starts from, all in SQL:
 *
 * <ul>
 * <li>{@code seg_months}: the calendar months of the grid, offset 0 = the month asked, 1 = the month
 * before, ...;</li>
 * <li>{@code seg_usage_m}: spend per customer and calendar month (total and per service);</li>
 * <li>{@code seg_cust}: the latest customer snapshot with month indexes of join and close;</li>
 * <li>{@code seg_grid}: one row per customer and month the customer was on the network (joined, not
 * yet closed, or had usage), from the first month the warehouse holds usage for;</li>
 * <li>{@code seg_base}: one row per customer with the pivoted spend, window counts, sums, exact
 * doubled medians ({@code medx2_*}: the median times two, so the median of 100.00 and 100.01 stays
 * exact), the spend trend ({@code regr_*}) and the customer's attributes.</li>
 * </ul>
 *
 * <p>Months are compared as integers {@code year * 12 + month}. Windows: {@code w1}, {@code w3},
 * {@code w6} end with the month asked; {@code p0} and {@code p1} are the tier policy's window ending
 * with the month asked and the month before.
 */
final class SegmentViews {

    static final List<String> SERVICES = List.of("voice", "sms", "data", "vas", "subscription");
    /** Months of spend a profile carries, and the trend window. */
    static final int PROFILE_MONTHS = 6;

    record Window(String tag, int from, int to) {
    }

    final Backend backend;
    final Warehouse wh;
    final YearMonth month;
    final int maxOff;
    final YearMonth firstDataMonth;
    final List<Window> windows;

    /** Months of the window that {@code seg_usage_m} summed from the facts (the rest were read from {@link CustomerMonths}). */
    final List<YearMonth> summedFromFacts = new ArrayList<>();

    private SegmentViews(Backend backend, Warehouse wh, YearMonth month, int maxOff, YearMonth firstDataMonth, List<Window> windows) {
        this.backend = backend;
        this.wh = wh;
        this.month = month;
        this.maxOff = maxOff;
        this.firstDataMonth = firstDataMonth;
        this.windows = windows;
    }

    static int mi(YearMonth m) {
        return m.getYear() * 12 + m.getMonthValue();
    }

    int mi() {
        return mi(month);
    }

    /** Fails with NOT_FOUND unless the warehouse holds usage for {@code month} and a customer snapshot. */
    static List<YearMonth> requireMonth(Warehouse wh, YearMonth month) {
        List<YearMonth> months = wh.usageMonths();
        if (!months.contains(month)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no usage for " + month + " in the warehouse " + wh.root()
                    + (months.isEmpty() ? ": ingest usage first" : "; months with usage: "
                    + months.stream().map(YearMonth::toString).collect(Collectors.joining(", "))));
        }
        if (wh.latestCustomersSnapshot().isEmpty()) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no customer snapshot in the warehouse " + wh.root() + ": ingest customers first");
        }
        return months;
    }

    /**
     * Creates the views for {@code month}. The backend must have the warehouse views registered
     * ({@code customers}, {@code usage}).
     *
     * @param policyWindow the tier policy's window in months (1-12)
     */
    static SegmentViews create(Backend b, Warehouse wh, YearMonth month, int policyWindow) {
        List<YearMonth> months = requireMonth(wh, month);
        YearMonth first = months.get(0);
        int maxOff = Math.max(PROFILE_MONTHS - 1, policyWindow);
        List<Window> windows = List.of(new Window("w1", 0, 0), new Window("w3", 0, 2), new Window("w6", 0, PROFILE_MONTHS - 1),
                new Window("p0", 0, policyWindow - 1), new Window("p1", 1, policyWindow));
        SegmentViews v = new SegmentViews(b, wh, month, maxOff, first, windows);
        v.createViews();
        return v;
    }

    private void createViews() {
        StringBuilder vals = new StringBuilder();
        for (int off = 0; off <= maxOff; off++) {
            YearMonth m = month.minusMonths(off);
            vals.append(off == 0 ? "" : ", ").append("(").append(off).append(", ").append(mi(m)).append(", '").append(m).append("')");
        }
        backend.createView("seg_months", "SELECT * FROM (VALUES " + vals + ") AS t(off, mi, month)");

        // Months come from their stored sums while their usage is unchanged (the month asked too, when
        // the churn scores stored it first); any month whose usage changed or was never summed, from the
        // facts. Materialised: the profile and tier SQL read it three times, and each read was a scan of the facts.
        List<String> parts = new ArrayList<>();
        List<YearMonth> withUsage = wh.usageMonths();
        for (int off = 0; off <= maxOff; off++) {
            YearMonth m = month.minusMonths(off);
            if (!withUsage.contains(m)) {
                continue;
            }
            Optional<String> stored = CustomerMonths.select(backend, wh, m, "seg_cm_");
            if (stored.isPresent()) {
                parts.add(stored.get());
            } else {
                summedFromFacts.add(m);
                parts.add(CustomerMonths.sumFromFacts(backend, wh, m));
            }
        }
        backend.materialize("seg_usage_m", String.join(" UNION ALL ", parts));

        String closed = "COALESCE(closed_date, CASE WHEN status = 'closed' THEN snapshot_date END)";
        backend.createView("seg_cust", "SELECT customer_id, msisdn, name, gender, birth_date, occupation, income_band, education,"
                + " province, city, district, segment, join_date, plan_id, plan_fee, channel_type, channel, status, closed_date,"
                + " year(join_date) * 12 + month(join_date) AS join_mi,"
                + " year(" + closed + ") * 12 + month(" + closed + ") AS closed_mi FROM customers");

        StringBuilder gsvc = new StringBuilder();
        for (String s : SERVICES) {
            gsvc.append(", COALESCE(u.spend_").append(s).append(", CAST(0 AS DECIMAL(18,2))) AS spend_").append(s);
        }
        backend.createView("seg_grid", "SELECT c.customer_id, m.off, m.mi, m.month,"
                + " COALESCE(u.spend, CAST(0 AS DECIMAL(18,2))) AS spend" + gsvc + ", COALESCE(u.events, 0) AS events"
                + " FROM seg_cust c CROSS JOIN seg_months m"
                + " LEFT JOIN seg_usage_m u ON u.customer_id = c.customer_id AND u.mi = m.mi"
                + " WHERE m.mi >= " + mi(firstDataMonth)
                + " AND (u.customer_id IS NOT NULL OR (COALESCE(c.join_mi, 0) <= m.mi AND (c.closed_mi IS NULL OR c.closed_mi >= m.mi)))");

        StringBuilder ranked = new StringBuilder("SELECT g.*");
        for (Window w : windows) {
            String in = "(g.off BETWEEN " + w.from + " AND " + w.to + ")";
            ranked.append(", ").append(in).append(" AS in_").append(w.tag)
                    .append(", row_number() OVER (PARTITION BY g.customer_id, ").append(in)
                    .append(" ORDER BY g.spend ASC NULLS LAST, g.off DESC NULLS LAST) AS rn_").append(w.tag)
                    .append(", count(*) OVER (PARTITION BY g.customer_id, ").append(in).append(") AS cnt_").append(w.tag);
        }
        backend.createView("seg_ranked", ranked + " FROM seg_grid g");

        StringBuilder agg = new StringBuilder("SELECT customer_id");
        agg.append(", max(CASE WHEN off = 0 THEN 1 ELSE 0 END) AS pop0, max(CASE WHEN off = 1 THEN 1 ELSE 0 END) AS pop1");
        for (int k = 0; k < PROFILE_MONTHS; k++) {
            agg.append(", max(CASE WHEN off = ").append(k).append(" THEN spend END) AS spend_m").append(k);
        }
        for (String s : SERVICES) {
            for (int k = 0; k < PROFILE_MONTHS; k++) {
                agg.append(", max(CASE WHEN off = ").append(k).append(" THEN spend_").append(s).append(" END) AS spend_").append(s).append("_m").append(k);
            }
        }
        agg.append(", COALESCE(max(CASE WHEN off = 0 THEN events END), 0) AS events_m0");
        agg.append(", sum(CASE WHEN off BETWEEN 1 AND ").append(PROFILE_MONTHS - 1).append(" THEN events ELSE 0 END) AS events_before");
        for (Window w : windows) {
            String t = w.tag;
            agg.append(", sum(CASE WHEN in_").append(t).append(" THEN 1 ELSE 0 END) AS n_").append(t);
            agg.append(", sum(CASE WHEN in_").append(t).append(" THEN spend END) AS sum_").append(t);
            agg.append(", max(CASE WHEN in_").append(t).append(" THEN spend END) AS max_").append(t);
            agg.append(", CASE WHEN sum(CASE WHEN in_").append(t).append(" THEN 1 ELSE 0 END) > 0 THEN")
                    .append(" sum(CASE WHEN in_").append(t).append(" AND rn_").append(t).append(" = FLOOR((cnt_").append(t)
                    .append(" + 1) / 2) THEN spend ELSE 0 END)")
                    .append(" + sum(CASE WHEN in_").append(t).append(" AND rn_").append(t).append(" = FLOOR(cnt_").append(t)
                    .append(" / 2) + 1 THEN spend ELSE 0 END) END AS medx2_").append(t);
        }
        agg.append(", max(CASE WHEN in_w6 AND rn_w6 = cnt_w6 THEN month END) AS peak_month");
        String y = "CASE WHEN off <= " + (PROFILE_MONTHS - 1) + " THEN CAST(spend AS DOUBLE) END";
        String x = "CAST(0 - off AS DOUBLE)";
        agg.append(", regr_slope(").append(y).append(", ").append(x).append(") AS trend_slope_raw");
        agg.append(", regr_r2(").append(y).append(", ").append(x).append(") AS trend_r2_raw");
        // DuckDB's regr_count is UINT32: cast before any subtraction.
        agg.append(", CAST(regr_count(").append(y).append(", ").append(x).append(") AS BIGINT) AS trend_n");
        backend.createView("seg_agg", agg + " FROM seg_ranked GROUP BY customer_id");

        backend.createView("seg_base", "SELECT a.*, c.msisdn, c.name, c.gender, c.birth_date, c.occupation, c.income_band,"
                + " c.education, c.province, c.city, c.district, c.segment, c.join_date, c.plan_id, c.plan_fee, c.channel_type,"
                + " c.channel, c.status, c.closed_date, c.join_mi, c.closed_mi, "
                + mi() + " - c.join_mi AS tenure0, " + (mi() - 1) + " - c.join_mi AS tenure1"
                + " FROM seg_agg a JOIN seg_cust c ON c.customer_id = a.customer_id");
    }
}
