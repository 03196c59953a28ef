package io.tiercube.engine.segment;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.Warehouse;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tiers of one month under any policy, computed from usage in SQL (the same SQL the profile uses, so
 * under the profile's policy the answers agree): the pyramid with target against actual shares, and
 * the movement matrix against the month before.
 */
public final class Tiers {

    private Tiers() {
    }

    /**
     * One tier of the pyramid. Shares are fractions 0-1 of all customers on the network in the month;
     * revenue is the month's spend.
     *
     * @param targetShare the policy's target share, or null
     * @param arpu revenue / customers, or null for an empty tier
     */
    public record TierRow(String tier, long customers, double share, Double targetShare, BigDecimal revenue,
                          double revenueShare, Double arpu) {
    }

    /**
     * Customers moving from one tier last month to one this month.
     *
     * @param from last month's tier, or null for customers new this month
     * @param to this month's tier, or null for customers who left
     * @param kind {@code upgrade}, {@code downgrade}, {@code held}, {@code new} or {@code left}
     */
    public record Movement(String from, String to, long customers, String kind) {
    }

    /**
     * The tiers of a month.
     *
     * @param previousSource {@code profile} when last month's tiers came from last month's profile
     *     (same policy, so with its hysteresis state), {@code raw} when recomputed from usage
     */
    public record TierReport(YearMonth month, String policy, long customers, BigDecimal revenue, List<TierRow> pyramid,
                             List<Movement> movements, long upgrades, long downgrades, long held, long entered, long left,
                             String previousSource) {
    }

    /** Computes the pyramid and movements. The backend must have the warehouse views registered. */
    public static TierReport report(Backend b, Warehouse wh, TierPolicy policy, YearMonth month) {
        SegmentViews v = SegmentViews.create(b, wh, month, policy.windowMonths());
        TierSql.PrevSource src = TierSql.create(b, wh, v, policy);
        Table t = b.query("SELECT t.tier, count(*) AS n, sum(b.spend_m0) AS revenue FROM seg_tiers t"
                + " JOIN seg_base b ON b.customer_id = t.customer_id GROUP BY t.tier");
        Table m = b.query("SELECT previous_tier AS from_tier, tier AS to_tier, count(*) AS n FROM seg_tiers GROUP BY previous_tier, tier"
                + " UNION ALL SELECT p.tier AS from_tier, CAST(NULL AS STRING) AS to_tier, count(*) AS n FROM seg_prev_state p"
                + " LEFT JOIN seg_tiers t ON t.customer_id = p.customer_id WHERE t.customer_id IS NULL GROUP BY p.tier");
        return fromCounts(policy, month, t, m, src.name().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * The tier report from two small tables: customers and revenue per tier ({@code tier, n, revenue})
     * and movements ({@code from_tier, to_tier, n}; a NULL from_tier is a customer new to the tiers,
     * a NULL to_tier one who left). Used by {@link #report} and by readers that take the counts from
     * a month's profile instead of recomputing the tiers.
     */
    public static TierReport fromCounts(TierPolicy policy, YearMonth month, Table t, Table m, String previousTierSource) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, BigDecimal> revenue = new LinkedHashMap<>();
        for (String name : policy.tierNames()) {
            counts.put(name, new long[1]);
            revenue.put(name, BigDecimal.ZERO);
        }
        long total = 0;
        BigDecimal totalRevenue = BigDecimal.ZERO;
        for (int i = 0; i < t.size(); i++) {
            String name = t.getString(i, "tier");
            long n = t.getLong(i, "n");
            BigDecimal r = t.getDecimal(i, "revenue");
            r = r == null ? BigDecimal.ZERO : r;
            counts.computeIfAbsent(name, k -> new long[1])[0] += n;
            revenue.merge(name, r, BigDecimal::add);
            total += n;
            totalRevenue = totalRevenue.add(r);
        }
        List<TierRow> pyramid = new ArrayList<>();
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long n = e.getValue()[0];
            BigDecimal r = revenue.get(e.getKey()).setScale(2, java.math.RoundingMode.UNNECESSARY);
            BigDecimal target = policy.tiers().stream().filter(x -> x.name().equals(e.getKey())).map(TierPolicy.Tier::targetPercent)
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            pyramid.add(new TierRow(e.getKey(), n, total == 0 ? 0.0 : (double) n / total,
                    target == null ? null : target.doubleValue() / 100.0, r,
                    totalRevenue.signum() == 0 ? 0.0 : r.doubleValue() / totalRevenue.doubleValue(),
                    n == 0 ? null : r.divide(BigDecimal.valueOf(n), MathContext.DECIMAL64).doubleValue()));
        }

        List<Movement> moves = new ArrayList<>();
        long up = 0;
        long down = 0;
        long held = 0;
        long entered = 0;
        long left = 0;
        for (int i = 0; i < m.size(); i++) {
            String from = m.getString(i, "from_tier");
            String to = m.getString(i, "to_tier");
            long n = m.getLong(i, "n");
            String kind;
            if (from == null) {
                kind = "new";
                entered += n;
            } else if (to == null) {
                kind = "left";
                left += n;
            } else {
                int c = Integer.compare(policy.rank(to), policy.rank(from));
                kind = c < 0 ? "upgrade" : c > 0 ? "downgrade" : "held";
                if (c < 0) {
                    up += n;
                } else if (c > 0) {
                    down += n;
                } else {
                    held += n;
                }
            }
            moves.add(new Movement(from, to, n, kind));
        }
        moves.sort(java.util.Comparator.comparing((Movement x) -> x.from() == null ? -1 : policy.rank(x.from()))
                .thenComparing(x -> x.to() == null ? Integer.MAX_VALUE : policy.rank(x.to())));
        return new TierReport(month, policy.name(), total, totalRevenue.setScale(2, java.math.RoundingMode.UNNECESSARY), pyramid,
                List.copyOf(moves), up, down, held, entered, left, previousTierSource);
    }

    /**
     * One row per customer, ordered by customer_id: customer_id, the policy's region level (city by
     * default), metric (rounded to cents), tier, previous_tier. Small months only: the result is held
     * in memory; use {@link #writeCustomersCsv} for large ones.
     */
    public static Table customers(Backend b, Warehouse wh, TierPolicy policy, YearMonth month) {
        return b.query(customersSql(b, wh, policy, month));
    }

    /** Writes {@link #customers} as a CSV file (by the engine, so any size). */
    public static void writeCustomersCsv(Backend b, Warehouse wh, TierPolicy policy, YearMonth month, Path file) {
        b.writeCsv(customersSql(b, wh, policy, month), file);
    }

    private static String customersSql(Backend b, Warehouse wh, TierPolicy policy, YearMonth month) {
        SegmentViews v = SegmentViews.create(b, wh, month, policy.windowMonths());
        TierSql.create(b, wh, v, policy);
        return "SELECT customer_id, region AS " + policy.regionLevel() + ", CAST(metric AS DECIMAL(18,2)) AS metric, tier, previous_tier"
                + " FROM seg_tiers ORDER BY customer_id ASC NULLS LAST";
    }
}
