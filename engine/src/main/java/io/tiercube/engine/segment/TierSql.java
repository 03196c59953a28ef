package io.tiercube.engine.segment;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.warehouse.Warehouse;
import java.math.BigDecimal;
import java.util.List;

/**
 * Compiles a {@link TierPolicy} to SQL over {@code seg_base} ({@link SegmentViews}). Creates:
 *
 * <ul>
 * <li>{@code seg_tier_a0} / {@code seg_tier_a1}: the raw tier (the policy applied to one month alone)
 * for the month asked and the month before: customer_id, region, is_new, metric_num, metric_den,
 * metric, raw_tier;</li>
 * <li>{@code seg_prev_state}: last month's assigned tier and months below it: from last month's profile
 * when it was rated by this same policy (same content hash), else last month's raw tier;</li>
 * <li>{@code seg_tiers}: the assigned tier with hysteresis: customer_id, region, is_new, metric,
 * raw_tier, tier, previous_tier, tier_months_below.</li>
 * </ul>
 *
 * <p>A metric is a fraction {@code metric_num / metric_den} of exact decimals, and a threshold test is
 * {@code metric_num >= threshold * metric_den}: no rounding decides a tier.
 */
final class TierSql {

    private TierSql() {
    }

    /** Where last month's tiers came from. */
    enum PrevSource { PROFILE, RAW }

    static PrevSource create(Backend b, Warehouse wh, SegmentViews v, TierPolicy p) {
        b.createView("seg_tier_a0", rawTierSql(v, p, 0));
        b.createView("seg_tier_a1", rawTierSql(v, p, 1));
        PrevSource src = PrevSource.RAW;
        if (b.registerParquet("seg_prev_profile", wh.monthPartition("profiles", v.month.minusMonths(1)))) {
            long other = b.query("SELECT count(*) AS n FROM seg_prev_profile WHERE tier_policy_hash IS NULL OR tier_policy_hash <> ?",
                    p.hash()).scalarLong();
            if (other == 0) {
                src = PrevSource.PROFILE;
            }
        }
        if (src == PrevSource.PROFILE) {
            b.createView("seg_prev_state", "SELECT customer_id, tier, CAST(tier_months_below AS BIGINT) AS months_below FROM seg_prev_profile");
        } else {
            b.createView("seg_prev_state", "SELECT customer_id, raw_tier AS tier, CAST(0 AS BIGINT) AS months_below FROM seg_tier_a1");
        }
        int k = p.downgradeAfterMonths();
        String held = k == 0 ? "false"
                : "(p.tier IS NOT NULL AND " + rankSql(p, "c.raw_tier") + " > " + rankSql(p, "p.tier")
                + " AND " + rankSql(p, "p.tier") + " >= 0 AND COALESCE(p.months_below, 0) + 1 <= " + k + ")";
        b.createView("seg_tiers", "SELECT c.customer_id, c.region, c.is_new, c.metric, c.raw_tier,"
                + " CASE WHEN " + held + " THEN p.tier ELSE c.raw_tier END AS tier,"
                + " p.tier AS previous_tier,"
                + " CASE WHEN " + held + " THEN COALESCE(p.months_below, 0) + 1 ELSE 0 END AS tier_months_below"
                + " FROM seg_tier_a0 c LEFT JOIN seg_prev_state p ON p.customer_id = c.customer_id");
        return src;
    }

    /** 0 for the top tier ... {@code tiers.size()} for otherwise; -1 for a name the policy does not know. */
    static String rankSql(TierPolicy p, String expr) {
        StringBuilder sb = new StringBuilder("(CASE ").append(expr);
        List<String> names = p.tierNames();
        for (int i = 0; i < names.size(); i++) {
            sb.append(" WHEN '").append(names.get(i)).append("' THEN ").append(i);
        }
        return sb.append(" ELSE -1 END)").toString();
    }

    /** The raw tier of every customer on the network in month {@code asOf} months before the month asked. */
    static String rawTierSql(SegmentViews v, TierPolicy p, int asOf) {
        String tenure = "tenure" + asOf;
        String newCond = p.newCustomers() == null ? "false"
                : "COALESCE(" + tenure + " < " + p.newCustomers().tenureMonthsBelow() + ", false)";
        String[] main = metricSql(p.metric(), "p" + asOf, tenure);
        String[] nw = p.newCustomers() == null ? new String[] {"CAST(NULL AS DECIMAL(18,2))", "1"}
                : metricSql(p.newCustomers().metric(), "p" + asOf, tenure);
        String region = p.regionLevel();
        String m = "SELECT customer_id, " + region + " AS region, " + newCond + " AS is_new, "
                + "CASE WHEN " + newCond + " THEN " + nw[0] + " ELSE " + main[0] + " END AS metric_num, "
                + "CASE WHEN " + newCond + " THEN " + nw[1] + " ELSE " + main[1] + " END AS metric_den"
                + " FROM seg_base WHERE pop" + asOf + " = 1";
        String withMetric = "SELECT m.*, CAST(m.metric_num AS DOUBLE) / NULLIF(m.metric_den, 0) AS metric,"
                + " (NOT m.is_new AND m.metric_num IS NOT NULL) AS rated FROM (" + m + ") m";
        String ranked = "SELECT r.*, row_number() OVER (ORDER BY CASE WHEN r.rated THEN 0 ELSE 1 END, r.metric DESC NULLS LAST,"
                + " r.customer_id ASC NULLS LAST) AS qrank, sum(CASE WHEN r.rated THEN 1 ELSE 0 END) OVER () AS qn FROM (" + withMetric + ") r";
        boolean quota = p.tiers().stream().anyMatch(t -> t.topPercent() != null);
        String source = quota ? ranked : "SELECT r.*, 0 AS qrank, 0 AS qn FROM (" + withMetric + ") r";

        String tier = p.newCustomers() == null ? chain(p.tiers(), p.otherwise(), true)
                : "CASE WHEN s.is_new THEN " + chain(p.newCustomers().tiers(), p.otherwise(), false)
                + " ELSE " + chain(p.tiers(), p.otherwise(), true) + " END";
        return "SELECT s.customer_id, s.region, s.is_new, s.metric_num, s.metric_den, s.metric, " + tier + " AS raw_tier"
                + " FROM (" + source + ") s";
    }

    private static String chain(List<TierPolicy.Tier> tiers, String otherwise, boolean quotaAllowed) {
        StringBuilder sb = new StringBuilder("(CASE WHEN s.metric_num IS NULL THEN '").append(otherwise).append("'");
        for (TierPolicy.Tier t : tiers) {
            sb.append(" WHEN ").append(condition(t, quotaAllowed)).append(" THEN '").append(t.name()).append("'");
        }
        return sb.append(" ELSE '").append(otherwise).append("' END)").toString();
    }

    private static String condition(TierPolicy.Tier t, boolean quotaAllowed) {
        String op = t.inclusive() ? " >= " : " > ";
        String c = null;
        if (t.threshold() != null) {
            if (t.byRegion().isEmpty()) {
                c = "s.metric_num" + op + num(t.threshold()) + " * s.metric_den";
            } else {
                StringBuilder sb = new StringBuilder("(CASE");
                t.byRegion().forEach((r, th) -> sb.append(" WHEN s.region = '").append(r).append("' THEN s.metric_num")
                        .append(op).append(num(th)).append(" * s.metric_den"));
                sb.append(" ELSE s.metric_num").append(op).append(num(t.threshold())).append(" * s.metric_den END)");
                c = sb.toString();
            }
        }
        if (t.topPercent() != null && quotaAllowed) {
            // In the top x %: rank - 1 < n * x / 100, i.e. rank <= ceil(n * x / 100), compared exactly.
            String q = "(s.rated AND (s.qrank - 1) * 100 < s.qn * " + num(t.topPercent()) + ")";
            c = c == null ? q : "(" + c + " AND " + q + ")";
        }
        return c == null ? "false" : c;
    }

    /** A decimal literal the engine reads exactly. */
    static String num(BigDecimal d) {
        return d.toPlainString();
    }

    /** num / den of a metric over window tag {@code w} of {@code seg_base}. */
    static String[] metricSql(TierPolicy.Metric m, String w, String tenure) {
        String n = "n_" + w;
        String enough = m.fullWindow() ? n + " >= " + m.windowMonths() : n + " > 0";
        return switch (m.type()) {
            case ARPU, AVG_MONTHLY_SPEND -> new String[] {"CASE WHEN " + enough + " THEN sum_" + w + " END", n};
            case MEDIAN_MONTHLY_SPEND -> new String[] {"CASE WHEN " + enough + " THEN medx2_" + w + " END", "2"};
            case POINTS -> new String[] {"CASE WHEN " + enough + " THEN sum_" + w + " * 12 * " + num(m.pointsPerUnit())
                    + " + " + num(m.tenurePointsPerYear()) + " * LEAST(GREATEST(COALESCE(CAST(FLOOR(" + tenure + " / 12) AS BIGINT), 0), 0), "
                    + m.tenureMaxYears() + ") * " + n + " END", n};
            case PLAN_FEE -> new String[] {"plan_fee", "1"};
        };
    }
}
