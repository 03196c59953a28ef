package io.tiercube.engine.segment;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.Warehouse;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Builds {@code profiles/month=YYYY-MM/}: one row per customer on the network in the month, the single
 * customer view (columns in docs/segments.md): background fields, tenure, spend per month and service
 * for the last 6 months, ARPU over 1/3/6 months as mean and median, the spike flag, the spend trend,
 * the lifecycle stage, the tier under the settings' policy (with last month's tier and hysteresis),
 * and the churn score when {@code churn_scores/month=YYYY-MM/} exists. All computed in SQL and
 * written by the engine; only counts come back to Java.
 */
public final class Profiles {

    private Profiles() {
    }

    /** Lifecycle stage letters and names, in order. */
    public static final Map<String, String> STAGES = stageNames();

    private static Map<String, String> stageNames() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("A", "acquisition");
        m.put("B", "build_up");
        m.put("C", "climax");
        m.put("D", "decline");
        m.put("E", "exit");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * What a build wrote.
     *
     * @param rows customers in the partition
     * @param partition the committed directory
     * @param policy the tier policy's name
     * @param previousTierSource {@code profile} when last month's tiers came from last month's profile
     *     (same policy), {@code raw} when they were recomputed from usage
     * @param churnJoined whether churn scores for the month were found and joined
     * @param tierCounts customers per tier, highest first
     * @param stageCounts customers per lifecycle stage A-E
     */
    public record ProfileBuildResult(YearMonth month, long rows, Path partition, String policy, String previousTierSource,
                                     boolean churnJoined, Map<String, Long> tierCounts, Map<String, Long> stageCounts) {
    }

    /**
     * Builds and commits the profile partition of {@code month}, replacing any earlier one, and
     * re-registers the warehouse views. Takes no lock: the caller (nightly, or {@code segment build})
     * holds the writer lock. The backend must have the warehouse views registered.
     *
     * @throws io.tiercube.engine.UserError NOT_FOUND when the warehouse has no usage for the month or no customers
     */
    public static ProfileBuildResult build(Backend backend, Warehouse wh, SegmentSettings settings, YearMonth month) {
        TierPolicy policy = settings.policy();
        SegmentViews v = SegmentViews.create(backend, wh, month, policy.windowMonths());
        TierSql.PrevSource prev = TierSql.create(backend, wh, v, policy);
        boolean churn = backend.registerParquet("seg_churn", wh.monthPartition("churn_scores", month));
        String sql = profileSql(v, settings, churn);
        Path staging = wh.newStaging("profiles");
        backend.writeParquet(sql, staging.resolve("p"), List.of());
        Path target = wh.monthPartition("profiles", month);
        wh.commit(staging.resolve("p"), target);
        try {
            Warehouse.deleteTree(staging);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // Kept for the next months' windows, which then read these sums instead of the facts.
        CustomerMonths.save(backend, wh, v.summedFromFacts);
        wh.registerViews(backend);
        backend.registerParquet("seg_profile_new", target);
        Map<String, Long> tiers = new LinkedHashMap<>();
        policy.tierNames().forEach(t -> tiers.put(t, 0L));
        Table t = backend.query("SELECT tier, count(*) AS n FROM seg_profile_new GROUP BY tier");
        long rows = 0;
        for (int i = 0; i < t.size(); i++) {
            tiers.put(t.getString(i, "tier"), t.getLong(i, "n"));
            rows += t.getLong(i, "n");
        }
        Map<String, Long> stages = new LinkedHashMap<>();
        STAGES.keySet().forEach(s -> stages.put(s, 0L));
        Table s = backend.query("SELECT lifecycle_stage, count(*) AS n FROM seg_profile_new GROUP BY lifecycle_stage");
        for (int i = 0; i < s.size(); i++) {
            stages.put(s.getString(i, "lifecycle_stage"), s.getLong(i, "n"));
        }
        return new ProfileBuildResult(month, rows, target, policy.name(), prev.name().toLowerCase(java.util.Locale.ROOT), churn,
                tiers, stages);
    }

    /** The profile SELECT over the views of {@link SegmentViews} and {@link TierSql}. */
    static String profileSql(SegmentViews v, SegmentSettings settings, boolean churn) {
        TierPolicy p = settings.policy();
        SegmentSettings.LifecycleRules life = settings.lifecycle();
        int mi = v.mi();
        StringBuilder sb = new StringBuilder("SELECT '").append(v.month).append("' AS month, b.customer_id,"
                + " b.gender, b.occupation, b.income_band, b.education, b.province, b.city, b.district, b.segment,"
                + " b.join_date, b.plan_id, b.plan_fee, b.channel_type, b.channel,");
        sb.append(" CASE WHEN b.closed_mi IS NOT NULL AND b.closed_mi <= ").append(mi).append(" THEN 'closed' ELSE 'active' END AS status,");
        sb.append(" b.closed_date, CAST(b.tenure0 AS BIGINT) AS tenure_months, CAST(b.n_w6 AS BIGINT) AS months_in_window,");
        for (int k = 0; k < SegmentViews.PROFILE_MONTHS; k++) {
            sb.append(" CAST(b.spend_m").append(k).append(" AS DECIMAL(18,2)) AS spend_m").append(k).append(",");
        }
        for (String s : SegmentViews.SERVICES) {
            for (int k = 0; k < SegmentViews.PROFILE_MONTHS; k++) {
                sb.append(" CAST(b.spend_").append(s).append("_m").append(k).append(" AS DECIMAL(18,2)) AS spend_").append(s)
                        .append("_m").append(k).append(",");
            }
        }
        sb.append(" CAST(b.events_m0 AS BIGINT) AS usage_events_m0,");
        sb.append(" CAST(b.spend_m0 AS DOUBLE) AS arpu_1m,");
        for (String w : List.of("3", "6")) {
            sb.append(" CAST(b.sum_w").append(w).append(" AS DOUBLE) / NULLIF(b.n_w").append(w).append(", 0) AS arpu_").append(w).append("m_mean,");
            sb.append(" CAST(b.medx2_w").append(w).append(" AS DOUBLE) / 2 AS arpu_").append(w).append("m_median,");
        }
        String spike = spikeSql(settings.spike());
        sb.append(" ").append(spike).append(" AS spike_flag,");
        sb.append(" CASE WHEN ").append(spike).append(" THEN b.peak_month END AS spike_month,");
        String n = "b.trend_n";
        String enough = "(" + n + " >= " + life.minTrendPoints() + ")";
        sb.append(" CASE WHEN ").append(enough).append(" THEN b.trend_slope_raw END AS trend_slope,");
        sb.append(" CASE WHEN ").append(enough).append(" THEN b.trend_r2_raw END AS trend_r2,");
        // A perfect fit (r² = 1 up to rounding: engines differ in the last bits) has no finite t.
        sb.append(" CASE WHEN ").append(enough).append(" AND b.trend_r2_raw < 0.999999999999 THEN (CASE WHEN b.trend_slope_raw < 0 THEN -1.0 ELSE 1.0 END)"
                + " * SQRT(b.trend_r2_raw * (").append(n).append(" - 2) / (1 - b.trend_r2_raw)) END AS trend_t,");
        sb.append(" CAST(").append(n).append(" AS BIGINT) AS trend_n,");
        String sig = significantSql(life);
        sb.append(" ").append(sig).append(" AS trend_significant,");
        String stage = stageSql(life, mi, sig);
        sb.append(" ").append(stage).append(" AS lifecycle_stage,");
        StringBuilder stageName = new StringBuilder("CASE ").append(stage);
        STAGES.forEach((k, name) -> stageName.append(" WHEN '").append(k).append("' THEN '").append(name).append("'"));
        sb.append(" ").append(stageName).append(" END AS lifecycle_name,");
        sb.append(" '").append(p.name()).append("' AS tier_policy, '").append(p.hash()).append("' AS tier_policy_hash,");
        sb.append(" t.metric AS tier_metric, t.raw_tier AS tier_raw, t.tier, t.previous_tier, CAST(t.tier_months_below AS BIGINT) AS tier_months_below,");
        if (churn) {
            sb.append(" CAST(ch.churn_score AS DOUBLE) AS churn_score, ch.churn_band, ch.churn_reasons");
        } else {
            sb.append(" CAST(NULL AS DOUBLE) AS churn_score, CAST(NULL AS STRING) AS churn_band, CAST(NULL AS STRING) AS churn_reasons");
        }
        sb.append(" FROM seg_base b JOIN seg_tiers t ON t.customer_id = b.customer_id");
        if (churn) {
            sb.append(" LEFT JOIN seg_churn ch ON ch.customer_id = b.customer_id");
        }
        sb.append(" WHERE b.pop0 = 1");
        return sb.toString();
    }

    /** Spike: at least 3 months, and the highest month above ratio × median and at least min_excess above it. */
    static String spikeSql(SegmentSettings.Spike s) {
        return "COALESCE(b.n_w6 >= 3 AND b.max_w6 * 2 > " + TierSql.num(s.ratio()) + " * b.medx2_w6"
                + " AND b.max_w6 * 2 - b.medx2_w6 >= " + TierSql.num(s.minExcess().multiply(BigDecimal.valueOf(2))) + ", false)";
    }

    /**
     * Two-sided t-test of the slope at the settings' significance: t² = r²(n-2)/(1-r²) is compared with
     * the squared critical value of Student's t with n-2 degrees of freedom (from commons-math3, one per
     * possible n, inlined as a CASE); a perfect fit (r² = 1) is significant.
     */
    static String significantSql(SegmentSettings.LifecycleRules life) {
        StringBuilder crit = new StringBuilder("(CASE b.trend_n");
        for (int n = 3; n <= SegmentViews.PROFILE_MONTHS; n++) {
            double t = new TDistribution(n - 2).inverseCumulativeProbability(1 - life.significance() / 2);
            crit.append(" WHEN ").append(n).append(" THEN CAST(").append(BigDecimal.valueOf(t * t).toPlainString()).append(" AS DOUBLE)");
        }
        crit.append(" END)");
        return "COALESCE(b.trend_n >= " + life.minTrendPoints() + " AND ABS(b.trend_slope_raw) >= " + TierSql.num(life.minSlope())
                + " AND (b.trend_r2_raw >= 1 OR b.trend_r2_raw * (b.trend_n - 2) > " + crit + " * (1 - b.trend_r2_raw)), false)";
    }

    /** The lifecycle rules of {@link SegmentSettings.LifecycleRules}, first match wins. */
    static String stageSql(SegmentSettings.LifecycleRules life, int mi, String significant) {
        return "(CASE WHEN b.closed_mi IS NOT NULL AND b.closed_mi <= " + mi + " THEN 'E'"
                + " WHEN COALESCE(b.tenure0 < " + life.acquisitionMonths() + ", false) THEN 'A'"
                + " WHEN " + significant + " AND b.trend_slope_raw < 0 THEN 'D'"
                + " WHEN b.events_m0 = 0 AND b.events_before > 0 THEN 'D'"
                + " WHEN " + significant + " AND b.trend_slope_raw > 0 THEN 'B'"
                + " WHEN COALESCE(b.tenure0 < " + life.buildupMonths() + ", false) THEN 'B'"
                + " ELSE 'C' END)";
    }
}
