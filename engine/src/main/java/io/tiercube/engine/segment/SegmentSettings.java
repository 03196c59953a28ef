package io.tiercube.engine.segment;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Set;

/**
 * The settings of the segment step ({@code sample-data/tiercube.yaml}): the tier policy profiles are
 * rated by, when a month counts as a spike, and the lifecycle rules. Every key is optional.
 *
 * @param tierPolicyRef the {@code tier_policy} value as written (a preset name or a file path)
 * @param policy the policy it names, loaded and validated
 * @param spike the spike rule
 * @param lifecycle the lifecycle rules
 */
public record SegmentSettings(String tierPolicyRef, TierPolicy policy, Spike spike, LifecycleRules lifecycle) {

    /** The policy used when the settings name none. */
    public static final String DEFAULT_POLICY = "telecom-sichuan";

    /**
     * A month is a spike when its spend is more than {@code ratio} times the customer's median monthly
     * spend over the last 6 months and at least {@code minExcess} above that median (and the customer has
     * at least 3 months in the window).
     */
    public record Spike(BigDecimal ratio, BigDecimal minExcess) {
    }

    /**
     * Lifecycle stage rules, applied in this order (first match wins):
     * <ol>
     * <li>E exit: the customer closed in (or before) the month;</li>
     * <li>A acquisition: tenure below {@code acquisitionMonths};</li>
     * <li>D decline: a significant downward spend trend, or no usage at all this month after usage in
     * the months before;</li>
     * <li>B build-up: a significant upward trend, or tenure below {@code buildupMonths};</li>
     * <li>C climax: everyone else (mature and stable).</li>
     * </ol>
     * The trend is the least-squares slope of monthly spend over the last 6 months on the network;
     * it is significant when there are at least {@code minTrendPoints} months, its size is at least
     * {@code minSlope} per month, and its two-sided t-test p-value is below {@code significance}
     * (critical values from commons-math3's t distribution).
     */
    public record LifecycleRules(int acquisitionMonths, int buildupMonths, int minTrendPoints, double significance,
                                 BigDecimal minSlope) {
    }

    public static SegmentSettings defaults() {
        return new SegmentSettings(DEFAULT_POLICY, TierPolicy.preset(DEFAULT_POLICY),
                new Spike(new BigDecimal("1.5"), new BigDecimal("50")),
                new LifecycleRules(3, 6, 3, 0.10, BigDecimal.ONE));
    }

    /** The same settings rated by another policy. */
    public SegmentSettings withPolicy(TierPolicy p) {
        return new SegmentSettings(p.name(), p, spike, lifecycle);
    }

    private static final Set<String> SPIKE = Set.of("ratio", "min_excess");
    private static final Set<String> LIFE = Set.of("acquisition_months", "buildup_months", "min_trend_points",
            "significance", "min_slope");

    /**
     * Reads the settings file. {@code tier_policy} is a preset name or a path relative to the settings
     * file's directory. A missing file is an error (use {@link #defaults()} deliberately instead).
     */
    public static SegmentSettings load(Path file) {
        YamlNode root = YamlNode.read(file);
        return fromYaml(root, file.toAbsolutePath().getParent());
    }

    static SegmentSettings fromYaml(YamlNode root, Path baseDir) {
        // The settings file is shared with other steps (nightly); only our keys are checked strictly.
        SegmentSettings d = defaults();
        String ref = root.text("tier_policy", DEFAULT_POLICY);
        TierPolicy policy = TierPolicy.resolve(ref, baseDir);
        Spike spike = d.spike();
        YamlNode s = root.get("spike");
        if (s != null) {
            s.requireKeys(SPIKE);
            BigDecimal ratio = s.decimal("ratio", d.spike().ratio());
            if (ratio.compareTo(BigDecimal.ONE) <= 0) {
                throw s.get("ratio").error("a spike ratio must be above 1 (a month more than ratio × the median), got " + ratio.toPlainString());
            }
            BigDecimal excess = s.decimal("min_excess", d.spike().minExcess());
            if (excess.signum() < 0) {
                throw s.get("min_excess").error("must not be negative");
            }
            spike = new Spike(ratio, excess);
        }
        LifecycleRules life = d.lifecycle();
        YamlNode l = root.get("lifecycle");
        if (l != null) {
            l.requireKeys(LIFE);
            int acq = l.integer("acquisition_months", life.acquisitionMonths(), 0, 120);
            int build = l.integer("buildup_months", life.buildupMonths(), 0, 240);
            if (build < acq) {
                throw l.error("buildup_months (" + build + ") must not be below acquisition_months (" + acq + ")");
            }
            int pts = l.integer("min_trend_points", life.minTrendPoints(), 3, 6);
            double sig = l.number("significance", life.significance(), 0.0001, 0.5);
            BigDecimal minSlope = l.decimal("min_slope", life.minSlope());
            if (minSlope.signum() < 0) {
                throw l.get("min_slope").error("must not be negative");
            }
            life = new LifecycleRules(acq, build, pts, sig, minSlope);
        }
        return new SegmentSettings(ref, policy, spike, life);
    }
}
