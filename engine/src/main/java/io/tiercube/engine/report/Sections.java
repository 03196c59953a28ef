package io.tiercube.engine.report;

import io.tiercube.engine.UserError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.churn.ChurnJob;
import io.tiercube.engine.churn.Evaluation;
import io.tiercube.engine.cube.CubeModel;
import io.tiercube.engine.cube.Explain;
import io.tiercube.engine.segment.Lifecycle;
import io.tiercube.engine.segment.LongTail;
import io.tiercube.engine.segment.Profiles;
import io.tiercube.engine.segment.SegmentSettings;
import io.tiercube.engine.segment.TierPolicy;
import io.tiercube.engine.segment.Tiers;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sections that come from the other packages' results (cube explain, tiers, lifecycle, churn,
 * long tail). Each returns null, with a note in {@code absent} saying what to run, when its data
 * is not in the warehouse yet.
 */
final class Sections {

    private final Backend b;
    private final Warehouse wh;
    private final List<String> views;
    private final YearMonth month;
    private final Map<String, String> absent;
    private final ReportQueries q;

    Sections(Backend b, Warehouse wh, List<String> views, YearMonth month, Map<String, String> absent, ReportQueries q) {
        this.b = b;
        this.wh = wh;
        this.views = views;
        this.month = month;
        this.absent = absent;
        this.q = q;
    }

    /** The cube whose {@code revenue} change is explained. */
    static final String CUBE = "usage";
    /** Levels drilled down each dimension along the biggest mover. */
    static final int EXPLAIN_DEPTH = 2;

    /**
     * The members that moved revenue most from the previous month, as {@code tiercube explain usage
     * --measure revenue} ranks them (every dimension of the model, two levels deep). A level with a
     * single member (one province) only repeats the total and is left out.
     */
    ReportData.Contributors contributors() {
        YearMonth prev = month.minusMonths(1);
        if (!ReportQueries.hasUsage(b, wh, prev)) {
            absent.put("contributors", "No usage for " + prev + ", so there is no change to explain.");
            return null;
        }
        CubeModel model;
        try {
            model = CubeModel.locate(wh, CUBE, null, true);
        } catch (UserError e) {
            absent.put("contributors", "Change attribution needs the usage cube model: run 'tiercube cube build --month " + month
                    + "' (" + e.getMessage() + ").");
            return null;
        }
        Explain.Result r = Explain.run(b, wh, model, new Explain.Request("revenue", prev, month, List.of(), EXPLAIN_DEPTH, null));
        Map<String, Long> perLevel = new LinkedHashMap<>();
        for (Explain.Contributor c : r.contributors()) {
            perLevel.merge(c.level() + "|" + c.parent(), 1L, Long::sum);
        }
        List<ReportData.Contributor> rows = new ArrayList<>();
        for (Explain.Contributor c : r.contributors()) {
            if (perLevel.get(c.level() + "|" + c.parent()) > 1) {
                rows.add(new ReportData.Contributor(c.level(), c.member(), (Number) c.before(), (Number) c.after(),
                        (Number) c.contribution(), c.share()));
            }
        }
        return new ReportData.Contributors(r.measure(), r.from(), r.to(), (Number) r.before(), (Number) r.after(),
                (Number) r.totalChange(), rows);
    }

    /**
     * The tier pyramid and movements as {@code tiercube tiers} computes them, under the policy the
     * month's profiles were built with (the nightly default, {@value SegmentSettings#DEFAULT_POLICY},
     * when there is no profile yet or its policy is a file this step cannot see).
     */
    ReportData.TierSection tiers() {
        TierPolicy policy = policy();
        // The month's profile holds every customer's tier when it is current; else from usage.
        Tiers.TierReport t = ProfileTiers.report(b, wh, policy, month).orElseGet(() -> Tiers.report(b, wh, policy, month));
        if (t.customers() == 0) {
            absent.put("tiers", "No customer was on the network in " + month + ".");
            return null;
        }
        List<ReportData.TierRow> rows = new ArrayList<>();
        for (Tiers.TierRow r : t.pyramid()) {
            rows.add(new ReportData.TierRow(r.tier(), r.customers(), r.share(), r.targetShare(), r.revenue(), r.revenueShare(), r.arpu()));
        }
        List<String> names = new ArrayList<>(policy.tierNames());
        for (Tiers.TierRow r : t.pyramid()) {
            if (!names.contains(r.tier())) {
                names.add(r.tier());
            }
        }
        ReportData.Matrix movement = null;
        boolean anyPrevious = t.movements().stream().anyMatch(m -> m.from() != null);
        if (anyPrevious) {
            List<String> from = new ArrayList<>(names);
            List<String> to = new ArrayList<>(names);
            from.add("new");
            to.add("left");
            long[][] c = new long[from.size()][to.size()];
            for (Tiers.Movement m : t.movements()) {
                int i = m.from() == null ? from.size() - 1 : from.indexOf(m.from());
                int j = m.to() == null ? to.size() - 1 : to.indexOf(m.to());
                if (i >= 0 && j >= 0) {
                    c[i][j] += m.customers();
                }
            }
            movement = matrix(from, to, c);
        }
        return new ReportData.TierSection(t.policy(), rows, movement, t.upgrades(), t.downgrades(), t.held(), t.entered());
    }

    private TierPolicy policy() {
        Path profile = wh.monthPartition("profiles", month);
        if (b.registerParquet("rpt_profile_month", profile)) {
            Object name = b.query("SELECT min(tier_policy) AS p FROM rpt_profile_month").scalar();
            if (name != null && TierPolicy.PRESETS.contains(name.toString())) {
                return TierPolicy.preset(name.toString());
            }
        }
        return SegmentSettings.defaults().policy();
    }

    /** Stages A–E from the month's profiles, with last month's counts and the transitions between them. */
    ReportData.LifecycleSection lifecycle() {
        if (!Files.isDirectory(wh.monthPartition("profiles", month))) {
            absent.put("lifecycle", "Lifecycle stages need customer profiles: run 'tiercube segment build --month " + month + "'.");
            return null;
        }
        Lifecycle.LifecycleSummary now = Lifecycle.summary(b, wh, month);
        Map<String, Long> previous = null;
        if (now.previousAvailable()) {
            previous = new LinkedHashMap<>();
            for (Lifecycle.Transition t : now.transitions()) {
                if (t.from() != null) {
                    previous.merge(t.from(), t.customers(), Long::sum);
                }
            }
        }
        long total = now.counts().values().stream().mapToLong(Long::longValue).sum();
        List<ReportData.StageRow> stages = new ArrayList<>();
        for (Map.Entry<String, Long> e : now.counts().entrySet()) {
            String name = Profiles.STAGES.getOrDefault(e.getKey(), e.getKey()).replace('_', '-');
            stages.add(new ReportData.StageRow(e.getKey(), name, e.getValue(), total == 0 ? 0.0 : (double) e.getValue() / total,
                    previous == null ? null : previous.getOrDefault(e.getKey(), 0L)));
        }
        ReportData.Matrix transitions = null;
        if (now.previousAvailable()) {
            List<String> codes = new ArrayList<>(now.counts().keySet());
            List<String> from = new ArrayList<>(codes);
            List<String> to = new ArrayList<>(codes);
            from.add("new");
            to.add("gone");
            long[][] c = new long[from.size()][to.size()];
            for (Lifecycle.Transition t : now.transitions()) {
                int i = t.from() == null ? from.size() - 1 : from.indexOf(t.from());
                int j = t.to() == null ? to.size() - 1 : to.indexOf(t.to());
                if (i >= 0 && j >= 0) {
                    c[i][j] += t.customers();
                }
            }
            transitions = matrix(from, to, c);
        }
        return new ReportData.LifecycleSection(stages, transitions);
    }

    private static ReportData.Matrix matrix(List<String> from, List<String> to, long[][] c) {
        // Drop the "new" row and the "left" column when nobody is in them.
        boolean newRow = Arrays.stream(c[from.size() - 1]).anyMatch(v -> v != 0);
        boolean leftCol = Arrays.stream(c).anyMatch(r -> r[to.size() - 1] != 0);
        int rows = newRow ? from.size() : from.size() - 1;
        int cols = leftCol ? to.size() : to.size() - 1;
        List<List<Long>> counts = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            List<Long> r = new ArrayList<>();
            for (int j = 0; j < cols; j++) {
                r.add(c[i][j]);
            }
            counts.add(r);
        }
        return new ReportData.Matrix(from.subList(0, rows), to.subList(0, cols), counts);
    }

    /** Customers listed in the high-risk table. */
    static final int TOP_RISK = 10;
    static final int SCORE_BINS = 10;

    /**
     * Churn scores of the month (distribution, bands, the riskiest customers with their reasons,
     * identity masked) and the saved model's quality (out of time when recorded, else cross-validated).
     */
    ReportData.ChurnSection churn() {
        if (!b.registerParquet("rpt_scores", wh.monthPartition("churn_scores", month))) {
            absent.put("churn", "Churn risk needs scores for " + month + ": run 'tiercube churn score --month " + month + "'.");
            return null;
        }
        long total = b.query("SELECT count(*) AS n FROM rpt_scores").scalarLong();
        if (total == 0) {
            absent.put("churn", "No customer was scored for " + month + ".");
            return null;
        }
        List<ReportData.BandRow> bands = new ArrayList<>();
        Table bt = b.query("SELECT churn_band, count(*) AS n FROM rpt_scores GROUP BY churn_band");
        for (String band : List.of("high", "medium", "low")) {
            long n = 0;
            for (int i = 0; i < bt.size(); i++) {
                if (band.equals(bt.getString(i, "churn_band"))) {
                    n = bt.getLong(i, "n");
                }
            }
            bands.add(new ReportData.BandRow(band, n, (double) n / total));
        }
        Double high = null;
        Double medium = null;
        ReportData.ModelQuality quality = null;
        Path modelFile = ChurnJob.modelFile(wh);
        if (Files.isRegularFile(modelFile)) {
            try {
                JsonNode doc = new ObjectMapper().readTree(modelFile.toFile());
                high = doc.path("bands").path("high").isNumber() ? doc.path("bands").path("high").asDouble() : null;
                medium = doc.path("bands").path("medium").isNumber() ? doc.path("bands").path("medium").asDouble() : null;
            } catch (IOException e) {
                // unreadable model: the thresholds are left off the chart
            }
            try {
                Optional<ChurnJob.ModelSummary> ms = ChurnJob.modelSummary(wh);
                if (ms.isPresent()) {
                    quality = quality(ms.get());
                }
            } catch (UserError e) {
                // a damaged model file: the section shows the scores without the model's quality
            }
        }
        // Scores crowd near zero (churn is rare): the axis ends at twice the high threshold (rounded
        // up), and the last bin holds everything above.
        double max = b.query("SELECT max(churn_score) AS m FROM rpt_scores").getDouble(0, "m");
        max = Double.isNaN(max) ? 0 : max;
        double upper = high != null ? Math.min(max, 2 * high) : max;
        double top = Math.min(1.0, Charts.Scale.nice(0, upper <= 0 ? 1 : upper).hi());
        List<ReportData.ScoreBin> dist = distribution(top);
        if (high != null && high > top) {
            high = null;
        }
        if (medium != null && medium > top) {
            medium = null;
        }

        String joinProfile = "";
        String tierCol = "CAST(NULL AS STRING) AS tier";
        if (b.registerParquet("rpt_profile_scores", wh.monthPartition("profiles", month))) {
            joinProfile = " LEFT JOIN rpt_profile_scores p ON p.customer_id = s.customer_id";
            tierCol = "p.tier AS tier";
        }
        String customers = views.contains("customers") ? " LEFT JOIN customers c ON c.customer_id = s.customer_id" : "";
        String cust = views.contains("customers") ? "c.msisdn AS msisdn, c.name AS name, c.city AS city"
                : "CAST(NULL AS STRING) AS msisdn, CAST(NULL AS STRING) AS name, CAST(NULL AS STRING) AS city";
        Table tt = b.query("SELECT s.customer_id, " + cust + ", " + tierCol + ", CAST(s.churn_score AS DOUBLE) AS score,"
                + " s.churn_band, s.churn_reasons FROM rpt_scores s" + customers + joinProfile
                + " WHERE s.churn_score IS NOT NULL ORDER BY s.churn_score DESC NULLS LAST, s.customer_id NULLS LAST LIMIT " + TOP_RISK);
        List<ReportData.RiskCustomer> risk = new ArrayList<>();
        for (int i = 0; i < tt.size(); i++) {
            String reasons = tt.getString(i, "churn_reasons");
            risk.add(new ReportData.RiskCustomer(tt.getString(i, "customer_id"), maskMsisdn(tt.getString(i, "msisdn")),
                    maskName(tt.getString(i, "name")), tt.getString(i, "city"), tt.getString(i, "tier"), tt.getDouble(i, "score"),
                    tt.getString(i, "churn_band"),
                    reasons == null || reasons.isBlank() ? List.of() : Arrays.stream(reasons.split(";")).map(String::trim)
                            .filter(x -> !x.isEmpty()).toList()));
        }
        return new ReportData.ChurnSection(dist, max, bands, high, medium, quality, risk);
    }

    /** {@value #SCORE_BINS} equal bins over [0, top); scores at or above the last bin's start fall in it. */
    private List<ReportData.ScoreBin> distribution(double top) {
        double width = top / SCORE_BINS;
        String bin = "LEAST(CAST(FLOOR(churn_score / " + width + ") AS BIGINT), " + (SCORE_BINS - 1) + ")";
        Table ht = b.query("SELECT " + bin + " AS bin, count(*) AS n FROM rpt_scores WHERE churn_score IS NOT NULL GROUP BY " + bin);
        long[] counts = new long[SCORE_BINS];
        for (int i = 0; i < ht.size(); i++) {
            counts[(int) Math.max(0, ht.getLong(i, "bin"))] += ht.getLong(i, "n");
        }
        List<ReportData.ScoreBin> dist = new ArrayList<>();
        for (int i = 0; i < SCORE_BINS; i++) {
            dist.add(new ReportData.ScoreBin(i * width, (i + 1) * width, counts[i]));
        }
        return dist;
    }

    private static ReportData.ModelQuality quality(ChurnJob.ModelSummary ms) {
        Evaluation e = ms.outOfTime() != null ? ms.outOfTime() : ms.validation();
        if (e == null) {
            return null;
        }
        List<ReportData.CalibrationBin> cal = new ArrayList<>();
        for (Evaluation.CalibrationBin c : e.calibration()) {
            cal.add(new ReportData.CalibrationBin(c.bin(), c.rows(), c.meanPredicted(), c.observedRate()));
        }
        return new ReportData.ModelQuality(ms.outOfTime() != null ? "out of time" : "cross-validated", e.description(), ms.asOf(),
                ms.horizon(), e.rocAuc(), e.prAuc(), e.topDecileLift(), e.topDecilePrecision(), e.baseRate(), e.rowsTrain(),
                e.rowsTest(), cal);
    }

    /** {@code 13812345678} gives {@code 138****5678}. */
    static String maskMsisdn(String s) {
        if (s == null) {
            return null;
        }
        if (s.length() <= 7) {
            return "*".repeat(s.length());
        }
        return s.substring(0, 3) + "*".repeat(s.length() - 7) + s.substring(s.length() - 4);
    }

    /** {@code 张三丰} gives {@code 张**}. */
    static String maskName(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        int[] cps = s.codePoints().toArray();
        return cps.length == 1 ? "*" : new String(cps, 0, 1) + "*".repeat(cps.length - 1);
    }

    /** Concentration of revenue over customers and products as {@code tiercube longtail} computes it. */
    ReportData.LongTailSection longTail() {
        // From the profiles and the cube when they are current (the same figures); else from usage.
        LongTail.LongTailReport r = new ReportLongTail(b, wh, q.cube(), m -> q.rowsIn(month, m)).compute(month)
                .orElseGet(() -> LongTail.compute(b, wh, month, null));
        return new ReportData.LongTailSection(concentration("customers", r.customers()), concentration("products", r.products()));
    }

    private static ReportData.Concentration concentration(String of, LongTail.Scope s) {
        LongTail.Concentration c = s.current();
        LongTail.Concentration p = s.previous();
        List<double[]> lorenz = new ArrayList<>();
        if (!c.lorenz().isEmpty() && c.lorenz().get(0)[0] > 0) {
            lorenz.add(new double[] {0, 0});
        }
        lorenz.addAll(c.lorenz());
        return new ReportData.Concentration(of, c.n(), c.gini(), c.top20Share(), c.head().n(), c.head().revenueShare(),
                c.tail().n(), c.tail().revenueShare(), c.tail().arpu(), lorenz,
                p == null ? null : p.gini(), p == null ? null : p.top20Share());
    }
}
