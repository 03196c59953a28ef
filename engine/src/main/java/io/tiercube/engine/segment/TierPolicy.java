package io.tiercube.engine.segment;

import io.tiercube.engine.UserError;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A VIP tier policy: which metric rates a customer, the tiers (highest first, first match wins), the
 * tier for everyone else, an optional rule for new customers and optional hysteresis. Loaded from
 * YAML (see docs/segments.md) or one of the presets of DOMAIN.md ({@link #PRESETS}).
 *
 * <p>Every bound states whether it is inclusive ({@code at_least}: metric &ge; threshold) or exclusive
 * ({@code above}: metric &gt; threshold); thresholds compare exactly (decimal arithmetic, no rounding).
 *
 * @param name policy name (lower-case letters, digits, '-' and '_')
 * @param source where it came from ({@code preset:NAME} or a file path)
 * @param metric what rates existing customers
 * @param regionLevel the customer column {@code by_region} keys match: province, city or district
 * @param tiers highest first
 * @param otherwise the tier of everyone who matches no tier (and of customers with no metric)
 * @param newCustomers the separate rule for new customers, or null
 * @param downgradeAfterMonths hysteresis: consecutive months a customer may rate below its tier
 *     before it is moved down (0 = move at once)
 * @param hash a short hash of the policy's content, so a profile knows which policy rated it
 */
public record TierPolicy(String name, String source, Metric metric, String regionLevel, List<Tier> tiers,
                         String otherwise, NewCustomerRule newCustomers, int downgradeAfterMonths, String hash) {

    /** The presets shipped with tiercube, reproducing the schemes in DOMAIN.md. */
    public static final List<String> PRESETS = List.of("telecom-sichuan", "mobile-sichuan", "unicom-yibin");

    /** The metrics a policy can rate by. */
    public enum MetricType {
        /** Mean monthly spend over the window's months the customer was on the network. */
        ARPU,
        /** Mean monthly spend over the window ({@code full_window: true} by default: no rating until the window is full). */
        AVG_MONTHLY_SPEND,
        /** Median monthly spend over the window: robust to one-off spikes. */
        MEDIAN_MONTHLY_SPEND,
        /** Annualised spend times {@code points_per_unit}, plus {@code tenure_points_per_year} per full year of tenure. */
        POINTS,
        /** The monthly fee of the customer's plan (for new customers). */
        PLAN_FEE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * How a customer is measured.
     *
     * @param windowMonths months ending with the month rated (1-12; 1 for plan_fee)
     * @param fullWindow when true, a customer with fewer months on the network than the window gets no
     *     metric (and so the {@code otherwise} tier)
     */
    public record Metric(MetricType type, int windowMonths, boolean fullWindow, BigDecimal pointsPerUnit,
                         BigDecimal tenurePointsPerYear, int tenureMaxYears) {
    }

    /**
     * One tier. A customer belongs to it when its metric passes the threshold (its region's, if
     * {@code byRegion} names it) and, for a quota tier, ranks in the top {@code topPercent} % of rated
     * customers (cumulative from the top: the quota counts customers of higher tiers too).
     *
     * @param threshold the default lower bound, or null for a quota-only tier
     * @param inclusive true for {@code at_least} (&ge;), false for {@code above} (&gt;)
     * @param byRegion lower bounds for named regions, same inclusiveness
     * @param topPercent quota in percent (0-100], or null
     * @param targetPercent intended share of all customers, reported beside the actual share, or null
     */
    public record Tier(String name, BigDecimal threshold, boolean inclusive, Map<String, BigDecimal> byRegion,
                       BigDecimal topPercent, BigDecimal targetPercent) {

        /** The threshold that applies in a region. */
        public BigDecimal thresholdIn(String region) {
            BigDecimal r = region == null ? null : byRegion.get(region);
            return r != null ? r : threshold;
        }
    }

    /**
     * Customers whose tenure (calendar months since the join month) is below {@code tenureMonthsBelow}
     * are rated by this rule instead; its tiers use names of the main list.
     */
    public record NewCustomerRule(int tenureMonthsBelow, Metric metric, List<Tier> tiers) {
    }

    /** All tier names, highest first, ending with {@link #otherwise}. */
    public List<String> tierNames() {
        List<String> out = new ArrayList<>();
        tiers.forEach(t -> out.add(t.name()));
        out.add(otherwise);
        return out;
    }

    /** 0 for the highest tier, counting down; {@code tiers().size()} for {@code otherwise}; -1 if unknown. */
    public int rank(String tier) {
        return tierNames().indexOf(tier);
    }

    /** The months of history the metric needs (the window; 1 for plan fee). */
    public int windowMonths() {
        return metric.windowMonths();
    }

    // ------------------------------------------------------------------ loading

    /**
     * A preset by name, or a policy file: a name in {@link #PRESETS} wins; otherwise {@code nameOrFile}
     * is a path, resolved against {@code baseDir} when relative (null: the current directory).
     */
    public static TierPolicy resolve(String nameOrFile, Path baseDir) {
        if (PRESETS.contains(nameOrFile)) {
            return preset(nameOrFile);
        }
        Path p = Path.of(nameOrFile);
        if (!p.isAbsolute() && baseDir != null) {
            p = baseDir.resolve(p);
        }
        if (!Files.isRegularFile(p)) {
            throw new UserError(UserError.Kind.BAD_CONFIG, "unknown tier policy '" + nameOrFile + "': not a preset ("
                    + String.join(", ", PRESETS) + ") and no such file " + p
                    + Names.closest(nameOrFile, PRESETS).map(c -> " (did you mean '" + c + "'?)").orElse(""));
        }
        return load(p);
    }

    public static TierPolicy preset(String name) {
        if (!PRESETS.contains(name)) {
            throw new UserError(UserError.Kind.BAD_CONFIG, "unknown preset '" + name + "': presets are " + String.join(", ", PRESETS)
                    + Names.closest(name, PRESETS).map(c -> " (did you mean '" + c + "'?)").orElse(""));
        }
        String res = "presets/" + name + ".yaml";
        InputStream in = TierPolicy.class.getResourceAsStream(res);
        if (in == null) {
            throw new IllegalStateException("preset resource missing: " + res);
        }
        return fromYaml(YamlNode.read("preset " + name, in), "preset:" + name);
    }

    public static TierPolicy load(Path file) {
        return fromYaml(YamlNode.read(file), file.toString());
    }

    /** Parses and validates a policy from YAML text ({@code file} names it in messages). */
    public static TierPolicy parse(String file, String yaml) {
        return fromYaml(YamlNode.parse(file, yaml), file);
    }

    private static final Set<String> TOP_KEYS = Set.of("name", "description", "metric", "region_level", "tiers",
            "otherwise", "new_customers", "downgrade_after_months");
    private static final Set<String> METRIC_KEYS = Set.of("type", "window_months", "full_window", "points_per_unit",
            "tenure_points_per_year", "tenure_max_years");
    private static final Set<String> TIER_KEYS = Set.of("name", "at_least", "above", "by_region", "top_percent", "target_percent");
    private static final Set<String> NEW_KEYS = Set.of("tenure_months_below", "metric", "tiers");
    private static final List<String> REGION_LEVELS = List.of("province", "city", "district");

    static TierPolicy fromYaml(YamlNode root, String source) {
        root.requireKeys(TOP_KEYS);
        YamlNode nameNode = root.require("name");
        String name = nameNode.text();
        if (!name.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
            throw nameNode.error("'" + name + "' is not a valid policy name: use lower-case letters, digits, '-' and '_'");
        }
        Metric metric = metric(root.require("metric"));
        YamlNode rl = root.get("region_level");
        String regionLevel = rl == null ? "city" : rl.text();
        if (!REGION_LEVELS.contains(regionLevel)) {
            throw rl.error("unknown region level '" + regionLevel + "': expected one of " + String.join(", ", REGION_LEVELS));
        }
        YamlNode ow = root.get("otherwise");
        String otherwise = ow == null ? "ordinary" : tierName(ow);
        List<Tier> tiers = tiers(root.require("tiers"), metric, otherwise, null);
        NewCustomerRule nc = null;
        YamlNode ncNode = root.get("new_customers");
        if (ncNode != null) {
            ncNode.requireKeys(NEW_KEYS);
            int below = ncNode.integer("tenure_months_below", 0, 1, 120);
            if (!ncNode.has("tenure_months_below")) {
                throw ncNode.error("tenure_months_below is required: customers whose tenure in months is below it are new");
            }
            Metric m = metric(ncNode.require("metric"));
            if (m.type() != MetricType.PLAN_FEE && m.windowMonths() != metric.windowMonths()) {
                throw ncNode.get("metric").error("the new-customer metric must use the policy's window (" + metric.windowMonths()
                        + " months) or be plan_fee");
            }
            List<String> names = tiers.stream().map(Tier::name).toList();
            nc = new NewCustomerRule(below, m, tiers(ncNode.require("tiers"), m, otherwise, names));
        }
        int hysteresis = root.integer("downgrade_after_months", 0, 0, 12);
        BigDecimal targets = BigDecimal.ZERO;
        for (Tier t : tiers) {
            if (t.targetPercent() != null) {
                targets = targets.add(t.targetPercent());
            }
        }
        if (targets.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw root.error("the tiers' target_percent values add up to " + targets.toPlainString() + " %, more than 100 %");
        }
        TierPolicy draft = new TierPolicy(name, source, metric, regionLevel, List.copyOf(tiers), otherwise, nc, hysteresis, "");
        return new TierPolicy(name, source, metric, regionLevel, List.copyOf(tiers), otherwise, nc, hysteresis, hashOf(draft));
    }

    private static Metric metric(YamlNode n) {
        n.requireKeys(METRIC_KEYS);
        YamlNode typeNode = n.require("type");
        String t = typeNode.text();
        MetricType type = null;
        for (MetricType m : MetricType.values()) {
            if (m.id().equals(t)) {
                type = m;
            }
        }
        List<String> ids = java.util.Arrays.stream(MetricType.values()).map(MetricType::id).toList();
        if (type == null) {
            throw typeNode.error("unknown metric '" + t + "': expected one of " + String.join(", ", ids)
                    + Names.closest(t, ids).map(c -> " (did you mean '" + c + "'?)").orElse(""));
        }
        int window = n.integer("window_months", type == MetricType.AVG_MONTHLY_SPEND || type == MetricType.MEDIAN_MONTHLY_SPEND
                || type == MetricType.POINTS ? 6 : 1, 1, 12);
        if (type == MetricType.PLAN_FEE && window != 1) {
            throw n.error("plan_fee is the current monthly fee: it takes no window_months");
        }
        boolean full = n.bool("full_window", type == MetricType.AVG_MONTHLY_SPEND);
        boolean pointsKeys = n.has("points_per_unit") || n.has("tenure_points_per_year") || n.has("tenure_max_years");
        if (pointsKeys && type != MetricType.POINTS) {
            throw n.error("points_per_unit, tenure_points_per_year and tenure_max_years belong to the points metric only");
        }
        BigDecimal ppu = n.decimal("points_per_unit", BigDecimal.ONE);
        BigDecimal tpy = n.decimal("tenure_points_per_year", BigDecimal.ZERO);
        if (ppu.signum() < 0 || tpy.signum() < 0) {
            throw n.error("points_per_unit and tenure_points_per_year must not be negative");
        }
        int maxYears = n.integer("tenure_max_years", 50, 0, 100);
        return new Metric(type, window, full, ppu, tpy, maxYears);
    }

    private static String tierName(YamlNode n) {
        String s = n.text();
        if (!s.matches("[a-z][a-z0-9_]{0,30}")) {
            throw n.error("'" + s + "' is not a valid tier name: use lower-case letters, digits and '_', starting with a letter");
        }
        return s;
    }

    private static List<Tier> tiers(YamlNode list, Metric metric, String otherwise, List<String> allowedNames) {
        List<YamlNode> items = list.list();
        if (items.isEmpty()) {
            throw list.error("at least one tier is needed");
        }
        List<Tier> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (YamlNode item : items) {
            item.requireKeys(TIER_KEYS);
            YamlNode nn = item.require("name");
            String name = tierName(nn);
            if (name.equals(otherwise)) {
                throw nn.error("'" + name + "' is the otherwise tier: give this tier another name");
            }
            if (!seen.add(name)) {
                throw nn.error("tier '" + name + "' is listed twice");
            }
            if (allowedNames != null && !allowedNames.contains(name)) {
                throw nn.error("'" + name + "' is not a tier of the main list (" + String.join(", ", allowedNames)
                        + "): new customers are rated into the same tiers");
            }
            boolean atLeast = item.has("at_least");
            boolean above = item.has("above");
            if (atLeast && above) {
                throw item.error("both at_least and above given: the ranges overlap; keep one (at_least: metric >= value, above: metric > value)");
            }
            BigDecimal threshold = atLeast ? item.require("at_least").decimal() : above ? item.require("above").decimal() : null;
            Map<String, BigDecimal> byRegion = new LinkedHashMap<>();
            YamlNode br = item.get("by_region");
            if (br != null) {
                if (threshold == null) {
                    throw br.error("by_region needs a default threshold: add at_least or above for the other regions");
                }
                for (Map.Entry<String, YamlNode> e : br.entries().entrySet()) {
                    if (!Names.isPlainValue(e.getKey())) {
                        throw e.getValue().error("region name '" + e.getKey() + "' may hold only letters, digits, space, '.', '_' and '-'");
                    }
                    byRegion.put(e.getKey(), e.getValue().decimal());
                }
            }
            BigDecimal top = item.decimal("top_percent", null);
            if (top != null && (top.signum() <= 0 || top.compareTo(BigDecimal.valueOf(100)) > 0)) {
                throw item.get("top_percent").error("a quota is a percentage above 0 and at most 100, got " + top.toPlainString());
            }
            if (threshold == null && top == null) {
                throw item.error("tier '" + name + "' has no bound: give at_least (>=), above (>) or top_percent (quota)");
            }
            BigDecimal target = item.decimal("target_percent", null);
            if (target != null && (target.signum() < 0 || target.compareTo(BigDecimal.valueOf(100)) > 0)) {
                throw item.get("target_percent").error("a target share is a percentage from 0 to 100, got " + target.toPlainString());
            }
            out.add(new Tier(name, threshold, atLeast, java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(byRegion)), top, target));
        }
        checkOrder(list, out);
        return out;
    }

    /**
     * Tiers are matched highest first, so each tier's range must reach strictly lower than the one above
     * it in every region; otherwise it could never be reached (its range lies inside the one above).
     */
    private static void checkOrder(YamlNode list, List<Tier> tiers) {
        Set<String> regions = new LinkedHashSet<>();
        regions.add(null);
        tiers.forEach(t -> regions.addAll(t.byRegion().keySet()));
        Tier prevThreshold = null;
        for (int i = 0; i < tiers.size(); i++) {
            Tier t = tiers.get(i);
            if (t.threshold() == null) {
                continue;
            }
            if (prevThreshold != null) {
                for (String r : regions) {
                    BigDecimal hi = prevThreshold.thresholdIn(r);
                    BigDecimal lo = t.thresholdIn(r);
                    int c = lo.compareTo(hi);
                    boolean reachable = c < 0 || c == 0 && !prevThreshold.inclusive() && t.inclusive();
                    if (!reachable) {
                        throw new UserError(UserError.Kind.BAD_CONFIG, list.file() + ": " + list.key() + "[" + i + "] (" + t.name() + "): "
                                + "threshold " + lo.toPlainString() + (r == null ? "" : " in " + r) + " is not below "
                                + prevThreshold.name() + "'s " + hi.toPlainString() + (r == null ? "" : " in " + r)
                                + ", so the ranges overlap and this tier could never match; list tiers highest first with "
                                + "decreasing thresholds (equal only as 'above: X' followed by 'at_least: X')");
                    }
                }
            }
            prevThreshold = t;
        }
        BigDecimal prevTop = null;
        for (int i = 0; i < tiers.size(); i++) {
            BigDecimal top = tiers.get(i).topPercent();
            if (top == null) {
                continue;
            }
            if (prevTop != null && top.compareTo(prevTop) <= 0) {
                throw new UserError(UserError.Kind.BAD_CONFIG, list.file() + ": " + list.key() + "[" + i + "] (" + tiers.get(i).name()
                        + "): top_percent " + top.toPlainString() + " is not above the higher tier's " + prevTop.toPlainString()
                        + "; quotas are cumulative from the top (top 1 %, then top 5 %, ...), so they must increase down the list");
            }
            prevTop = top;
        }
    }

    private static String hashOf(TierPolicy p) {
        String canon = p.name + "|" + p.metric + "|" + p.regionLevel + "|" + p.tiers + "|" + p.otherwise + "|"
                + p.newCustomers + "|" + p.downgradeAfterMonths;
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canon.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
