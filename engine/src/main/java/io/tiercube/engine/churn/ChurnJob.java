package io.tiercube.engine.churn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.SqlFailure;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The churn jobs over a warehouse: train a model as of a month, score a month, evaluate out of time,
 * and evaluate on any pair of CSV tables. Callers (the CLI, nightly) hold the writer lock when they
 * write; these methods never take it. Each method (re)registers the warehouse views itself.
 *
 * <p>Training as of month M needs labels: who closed in M+1 … M+horizon. So with data through
 * 2026-10 and a 2-month horizon the newest model is trained as of 2026-08, and it scores 2026-10.
 */
public final class ChurnJob {

    public static final int DEFAULT_HORIZON = 2;

    /** Above this many customers, training keeps every churner and a hash-chosen sample of the rest (re-weighted). */
    static final int MAX_TRAIN_ROWS = 200_000;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ChurnJob() {
    }

    /**
     * What training produced.
     *
     * @param asOf the month whose features were used
     * @param horizon months after {@code asOf} in which a closure counts as churn
     * @param rows training rows (customers active at the end of {@code asOf}, after any sampling)
     * @param positives churners among them
     * @param l2Lambda the L2 strength cross-validation chose
     * @param bandHigh scores at or above this are "high" (top 10 % of training customers)
     * @param bandMedium scores at or above this (and below high) are "medium" (next 20 %)
     * @param training in-sample measures
     * @param validation cross-validated (out-of-fold) measures
     * @param outOfTime the same fit one month earlier, tested on this month's customers (see
     *     {@link #evaluateOutOfTime}); null when the month before has no usage or too few churners
     * @param modelFile where the model was written, or null when it was not saved
     */
    public record TrainResult(YearMonth asOf, int horizon, long rows, long positives, double l2Lambda, double bandHigh,
            double bandMedium, Evaluation training, Evaluation validation, Evaluation outOfTime, Path modelFile) {
    }

    /**
     * What the saved model is and how good it was, for reports: read from the model file, no engine needed.
     *
     * @param asOf training month
     * @param horizon label horizon in months
     * @param trainedAt when it was trained
     * @param rows training rows
     * @param positives churners among them
     * @param validation cross-validated measures
     * @param outOfTime out-of-time measures (trained a month earlier, tested on {@code asOf}), or null
     */
    public record ModelSummary(YearMonth asOf, int horizon, Instant trainedAt, long rows, long positives, Evaluation validation,
            Evaluation outOfTime) {
    }

    /** The saved model's summary, or empty when there is no model file; a damaged file is a BAD_CONFIG error. */
    public static Optional<ModelSummary> modelSummary(Warehouse wh) {
        Path file = modelFile(wh);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode doc = readDocument(file);
        try {
            JsonNode oot = doc.path("out_of_time");
            return Optional.of(new ModelSummary(YearMonth.parse(doc.required("as_of").asText()), doc.required("horizon").asInt(),
                    Instant.parse(doc.required("trained_at").asText()), doc.path("training_rows").path("rows").asLong(),
                    doc.path("training_rows").path("positives").asLong(),
                    READER.treeToValue(doc.required("validation"), Evaluation.class),
                    oot.isObject() ? READER.treeToValue(oot, Evaluation.class) : null));
        } catch (IllegalArgumentException | DateTimeParseException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserError(UserError.Kind.BAD_CONFIG, "model file " + file + ": " + e.getMessage() + " (retrain with tiercube churn train)");
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper READER = new com.fasterxml.jackson.databind.ObjectMapper()
            .findAndRegisterModules()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * What scoring produced.
     *
     * @param month the scored month
     * @param customers customers scored (active at the end of the month)
     * @param high customers in the high band
     * @param medium customers in the medium band
     * @param low customers in the low band
     * @param modelAsOf the as-of month of the model used
     * @param partition the committed {@code churn_scores/month=YYYY-MM} directory
     */
    public record ScoreResult(YearMonth month, long customers, long high, long medium, long low, YearMonth modelAsOf, Path partition) {
    }

    /** {@code <warehouse>/models/churn.json}. */
    public static Path modelFile(Warehouse wh) {
        return wh.dataset("models").resolve("churn.json");
    }

    /** Months that have usage partitions, oldest first. */
    public static List<YearMonth> usageMonths(Warehouse wh) {
        List<YearMonth> months = new ArrayList<>();
        for (Path p : Warehouse.partitions(wh.dataset("usage"))) {
            String name = p.getFileName().toString();
            if (name.startsWith("month=")) {
                try {
                    months.add(YearMonth.parse(name.substring(6)));
                } catch (DateTimeParseException e) {
                    // not a month partition: not ours to judge
                }
            }
        }
        return months;
    }

    /** The last day with a usage partition in a month (the month's last day when the layout has no day partitions). */
    static LocalDate usageEnd(Warehouse wh, YearMonth month) {
        LocalDate last = null;
        for (Path p : Warehouse.partitions(wh.monthPartition("usage", month))) {
            String name = p.getFileName().toString();
            if (name.startsWith("day=")) {
                try {
                    LocalDate d = LocalDate.parse(name.substring(4));
                    last = last == null || d.isAfter(last) ? d : last;
                } catch (DateTimeParseException e) {
                    // not a day partition
                }
            }
        }
        return last == null || !YearMonth.from(last).equals(month) ? month.atEndOfMonth() : last;
    }

    /**
     * The last month whose closures are all known: the latest customer snapshot's month when the
     * snapshot is its last day, else the month before.
     */
    public static YearMonth labelsKnownThrough(Backend b) {
        Object v = b.query("SELECT max(snapshot_date) AS d FROM customers").scalar();
        if (!(v instanceof LocalDate d)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "the customers snapshot has no snapshot_date: ingest customers first");
        }
        YearMonth m = YearMonth.from(d);
        return d.equals(m.atEndOfMonth()) ? m : m.minusMonths(1);
    }

    /** The newest as-of month a model can be trained for: labels known and usage present. */
    public static YearMonth latestTrainableMonth(Backend b, Warehouse wh, int horizon) {
        wh.registerViews(b);
        requireCustomers(b, wh);
        List<YearMonth> months = requireUsage(wh);
        YearMonth byLabels = labelsKnownThrough(b).minusMonths(horizon);
        YearMonth byUsage = months.get(months.size() - 1).minusMonths(horizon);
        return byLabels.isBefore(byUsage) ? byLabels : byUsage;
    }

    // ------------------------------------------------------------------ training

    /** Trains as of {@code asOf} and writes {@link #modelFile}. */
    public static TrainResult train(Backend b, Warehouse wh, YearMonth asOf, int horizon) {
        Trained t = fitAsOf(b, wh, asOf, horizon);
        Evaluation outOfTime = null;
        if (usageMonths(wh).contains(asOf.minusMonths(1))) {
            try {
                outOfTime = evaluateOutOfTime(b, wh, asOf.minusMonths(1), horizon);
            } catch (UserError e) {
                // too few churners a month earlier: the model is still fine, it just has no out-of-time measure
            }
        }
        t.document.putPOJO("out_of_time", outOfTime);
        Path file = modelFile(wh);
        wh.writeJsonFile(file, t.document);
        return t.result(outOfTime, file);
    }

    /**
     * Trains as of {@code latestMonth - horizon} (or earlier, if the labels are not known yet) when the
     * model file is missing, unreadable, for another horizon or feature set, or older than
     * {@code maxAge}; otherwise leaves it alone and returns empty.
     */
    public static Optional<TrainResult> trainIfStale(Backend b, Warehouse wh, YearMonth latestMonth, int horizon, Duration maxAge) {
        checkHorizon(horizon);
        Path file = modelFile(wh);
        if (Files.exists(file)) {
            try {
                JsonNode doc = readDocument(file);
                Instant trained = Instant.parse(doc.path("trained_at").asText(""));
                boolean fresh = doc.path("horizon").asInt(-1) == horizon
                        && Features.FEATURE_SET.equals(doc.path("feature_set").asText(""))
                        && trained.plus(maxAge).isAfter(Instant.now());
                if (fresh) {
                    return Optional.empty();
                }
            } catch (UserError | DateTimeParseException e) {
                // unreadable or foreign: replace it
            }
        }
        YearMonth latest = latestTrainableMonth(b, wh, horizon);
        YearMonth wanted = latestMonth.minusMonths(horizon);
        return Optional.of(train(b, wh, wanted.isBefore(latest) ? wanted : latest, horizon));
    }

    private record Trained(YearMonth asOf, int horizon, TrainingSet data, ChurnModel.Fit fit, double high, double medium,
            Evaluation training, Evaluation validation, ObjectNode document) {
        TrainResult result(Evaluation outOfTime, Path file) {
            return new TrainResult(asOf, horizon, data.rows(), data.positives(), fit.tuning().path("l2_lambda").asDouble(),
                    high, medium, training, validation, outOfTime, file);
        }
    }

    private static Trained fitAsOf(Backend b, Warehouse wh, YearMonth asOf, int horizon) {
        checkHorizon(horizon);
        wh.registerViews(b);
        requireLabels(b, wh, asOf, horizon);
        TrainingSet data = withFeatures(b, wh, asOf, horizon, (view, n) -> pullTraining(b, view, n));
        ChurnModel.Fit fit = ChurnModels.defaultTrainer().fit(data);
        ChurnModel model = fit.model();
        double[] inSample = new double[data.rows()];
        for (int i = 0; i < data.rows(); i++) {
            inSample[i] = model.probability(data.x()[i]);
        }
        double high = Metrics.quantile(inSample, data.weight(), 0.9);
        double medium = Metrics.quantile(inSample, data.weight(), 0.7);
        String what = "as of " + asOf + ", horizon " + horizon + " months";
        Evaluation training = Evaluation.of("training (in-sample), " + what, inSample, data.y(), data.weight(), data.rows(), model.importances());
        Evaluation validation = Evaluation.of("validation (cross-validated), " + what, fit.outOfFold(), data.y(), data.weight(),
                data.rows(), model.importances());

        ObjectNode doc = JSON.objectNode();
        doc.put("kind", "tiercube churn model");
        doc.put("feature_set", Features.FEATURE_SET);
        doc.put("trained_at", Instant.now().toString());
        doc.put("as_of", asOf.toString());
        doc.put("horizon", horizon);
        doc.put("label", "closed within " + horizon + " months after the as-of month");
        doc.putPOJO("features", model.features());
        ObjectNode means = doc.putObject("feature_means");
        for (int j = 0; j < model.features().size(); j++) {
            means.put(model.features().get(j), weightedMean(data, j));
        }
        ObjectNode bands = doc.putObject("bands");
        bands.put("high", high);
        bands.put("medium", medium);
        bands.put("rule", "high: score >= high (top 10 % of training customers); medium: score >= medium (next 20 %); else low");
        doc.set("model", model.toJson());
        doc.set("tuning", fit.tuning());
        ObjectNode counts = doc.putObject("training_rows");
        counts.put("rows", data.rows());
        counts.put("positives", data.positives());
        doc.putPOJO("training", training);
        doc.putPOJO("validation", validation);
        return new Trained(asOf, horizon, data, fit, high, medium, training, validation, doc);
    }

    private static double weightedMean(TrainingSet d, int j) {
        double s = 0;
        double w = 0;
        for (int i = 0; i < d.rows(); i++) {
            double v = d.x()[i][j];
            if (!Double.isNaN(v)) {
                s += d.weight()[i] * v;
                w += d.weight()[i];
            }
        }
        return w == 0 ? 0.0 : s / w;
    }

    @FunctionalInterface
    private interface FeatureUse<T> {
        T apply(String view, long rows);
    }

    /**
     * Materialises the features as of a month in {@code _tmp/} inside the warehouse (computed once,
     * read many times; visible to a Spark cluster, and not in {@code _staging/}, which a writer taking
     * the lock clears while a read-only evaluation may still need them), exposes them as a view while
     * {@code use} runs, then removes them.
     */
    private static <T> T withFeatures(Backend b, Warehouse wh, YearMonth asOf, int horizon, FeatureUse<T> use) {
        List<YearMonth> months = requireUsage(wh);
        if (!months.contains(asOf)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no usage for " + asOf + " in " + wh.root()
                    + " (months with usage: " + months.get(0) + " to " + months.get(months.size() - 1) + ")");
        }
        requireCustomers(b, wh);
        String sql = Features.sql(b.dialect(), asOf, usageEnd(wh, asOf), months.get(0), horizon, hasView(b, "complaints"));
        Path tmp = wh.root().resolve("_tmp");
        removeFeaturesOfDeadProcesses(tmp);
        Path staging = tmp.resolve(FEATURES_PREFIX + ProcessHandle.current().pid() + "-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        try {
            Path dir = staging.resolve("features");
            b.writeParquet(sql, dir, List.of());
            String view = "churn_features_" + asOf.toString().replace("-", "_");
            if (!b.registerParquet(view, dir)) {
                throw new IllegalStateException("feature files missing in " + dir);
            }
            long n = b.query("SELECT count(*) AS n FROM " + view).scalarLong();
            if (n == 0) {
                throw new UserError(UserError.Kind.NOT_FOUND, "no customer was active at the end of " + asOf + " in " + wh.root());
            }
            return use.apply(view, n);
        } finally {
            try {
                Warehouse.deleteTree(staging);
            } catch (IOException e) {
                // staging is cleared by the next writer anyway
            }
        }
    }

    private static final String FEATURES_PREFIX = "churn-features-";

    /**
     * Removes feature directories left in {@code _tmp/} by processes that died before their cleanup
     * ran (a killed nightly): their names carry the owner's pid, and a live owner's are left alone.
     */
    private static void removeFeaturesOfDeadProcesses(Path tmp) {
        if (!Files.isDirectory(tmp)) {
            return;
        }
        try (java.util.stream.Stream<Path> s = Files.list(tmp)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(FEATURES_PREFIX)).toList()) {
                String[] parts = p.getFileName().toString().substring(FEATURES_PREFIX.length()).split("-");
                long pid;
                try {
                    pid = Long.parseLong(parts[0]);
                } catch (NumberFormatException e) {
                    continue; // not named by this version: not ours to judge
                }
                if (parts.length == 2 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
                    Warehouse.deleteTree(p);
                }
            }
        } catch (IOException e) {
            // best effort: a leftover costs disk space, not correctness
        }
    }

    private static TrainingSet pullTraining(Backend b, String view, long rows) {
        List<String> features = Features.names();
        String where = "";
        double negWeight = 1.0;
        if (rows > MAX_TRAIN_ROWS) {
            long pos = b.query("SELECT count(*) AS n FROM " + view + " WHERE churned = 1").scalarLong();
            double rate = Math.max(0.01, (MAX_TRAIN_ROWS - Math.min(pos, MAX_TRAIN_ROWS / 2.0)) / (double) (rows - pos));
            int cut = (int) Math.max(1, Math.min(65536, Math.floor(rate * 65536)));
            // md5 hex is lower case on both engines, so the same customers are kept on either.
            where = cut >= 65536 ? "" : " WHERE churned = 1 OR substr(md5(customer_id), 1, 4) < '" + String.format("%04x", cut) + "'";
            negWeight = cut >= 65536 ? 1.0 : 65536.0 / cut;
        }
        Table t = b.query("SELECT " + String.join(", ", features) + ", churned FROM " + view + where
                + " ORDER BY customer_id NULLS LAST");
        double[][] x = new double[t.size()][];
        double[] y = new double[t.size()];
        double[] w = new double[t.size()];
        for (int i = 0; i < t.size(); i++) {
            x[i] = row(t, i, features);
            y[i] = t.getLong(i, "churned");
            w[i] = y[i] > 0.5 ? 1.0 : negWeight;
        }
        return new TrainingSet(features, x, y, w);
    }

    static double[] row(Table t, int i, List<String> features) {
        double[] r = new double[features.size()];
        for (int j = 0; j < r.length; j++) {
            Object v = t.rows().get(i).get(t.columnIndex(features.get(j)));
            r[j] = v == null ? Double.NaN : ((Number) v).doubleValue();
        }
        return r;
    }

    // ------------------------------------------------------------------ scoring

    /** A model file as read back. */
    record ModelFile(ChurnModel model, YearMonth asOf, int horizon, double bandHigh, double bandMedium, Map<String, Double> means) {
    }

    static ModelFile readModel(Warehouse wh) {
        Path file = modelFile(wh);
        if (!Files.exists(file)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no churn model at " + file + ": train one first (tiercube churn train)");
        }
        JsonNode doc = readDocument(file);
        try {
            ChurnModel model = ChurnModels.fromJson(doc.get("model"), file.toString());
            for (String f : model.features()) {
                if (Features.feature(f) == null) {
                    throw new UserError(UserError.Kind.BAD_CONFIG, "model file " + file + ": feature '" + f
                            + "' is not one tiercube computes (retrain with tiercube churn train)");
                }
            }
            Map<String, Double> means = new LinkedHashMap<>();
            doc.path("feature_means").fields().forEachRemaining(e -> means.put(e.getKey(), e.getValue().asDouble()));
            JsonNode bands = doc.required("bands");
            return new ModelFile(model, YearMonth.parse(doc.required("as_of").asText()), doc.required("horizon").asInt(),
                    bands.required("high").asDouble(), bands.required("medium").asDouble(), means);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new UserError(UserError.Kind.BAD_CONFIG, "model file " + file + ": " + e.getMessage()
                    + " (retrain with tiercube churn train)");
        }
    }

    private static JsonNode readDocument(Path file) {
        try {
            return Warehouse.readJson(file, JsonNode.class);
        } catch (UncheckedIOException e) {
            throw new UserError(UserError.Kind.BAD_CONFIG, "model file " + file + " is not valid JSON: " + e.getCause().getMessage()
                    + " (retrain with tiercube churn train)");
        }
    }

    /**
     * Scores every customer active at the end of {@code month} with the saved model and replaces
     * {@code churn_scores/month=YYYY-MM} (columns month, customer_id, churn_score, churn_band, churn_reasons).
     */
    public static ScoreResult score(Backend b, Warehouse wh, YearMonth month) {
        wh.registerViews(b);
        ModelFile mf = readModel(wh);
        Path target = wh.monthPartition("churn_scores", month);
        withFeatures(b, wh, month, 0, (view, n) -> {
            Path staged = wh.newStaging("churn-scores");
            b.writeParquet(ScoreSql.select(mf.model(), mf.means(), mf.bandHigh(), mf.bandMedium(), view, month.toString()),
                    staged.resolve("p"), List.of());
            wh.commit(staged.resolve("p"), target);
            return n;
        });
        wh.registerViews(b);
        b.registerParquet("churn_scores_month", target);
        Table t = b.query("SELECT churn_band, count(*) AS n FROM churn_scores_month GROUP BY churn_band");
        long high = 0;
        long medium = 0;
        long low = 0;
        for (int i = 0; i < t.size(); i++) {
            long n = t.getLong(i, "n");
            switch (t.getString(i, "churn_band")) {
                case "high" -> high = n;
                case "medium" -> medium = n;
                default -> low = n;
            }
        }
        return new ScoreResult(month, high + medium + low, high, medium, low, mf.asOf(), target);
    }

    // ------------------------------------------------------------------ evaluation

    /**
     * Out-of-time evaluation: trains as of {@code asOf}, scores the customers of {@code asOf + 1} and
     * compares with who closed in the {@code horizon} months after that. Writes nothing.
     */
    public static Evaluation evaluateOutOfTime(Backend b, Warehouse wh, YearMonth asOf, int horizon) {
        checkHorizon(horizon);
        wh.registerViews(b);
        YearMonth testMonth = asOf.plusMonths(1);
        requireCustomers(b, wh);
        YearMonth known = labelsKnownThrough(b);
        if (testMonth.plusMonths(horizon).isAfter(known)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "an out-of-time evaluation as of " + asOf + " tests on " + testMonth
                    + ", whose " + horizon + "-month labels need closures through " + testMonth.plusMonths(horizon)
                    + ", but the customers snapshot only covers " + known + ": use an as-of month of "
                    + known.minusMonths(horizon + 1) + " or earlier");
        }
        Trained t = fitAsOf(b, wh, asOf, horizon);
        List<String> features = t.fit().model().features();
        double[][] scored = withFeatures(b, wh, testMonth, horizon, (view, n) -> {
            Table tt = b.query("SELECT " + String.join(", ", features) + ", churned FROM " + view + " ORDER BY customer_id NULLS LAST");
            double[][] out = new double[2][tt.size()];
            for (int i = 0; i < tt.size(); i++) {
                out[0][i] = t.fit().model().probability(row(tt, i, features));
                out[1][i] = tt.getLong(i, "churned");
            }
            return out;
        });
        return Evaluation.of("trained as of " + asOf + ", tested as of " + testMonth + ", horizon " + horizon + " months",
                scored[0], scored[1], t.data().rows(), t.fit().model().importances());
    }

    /**
     * Trains on one CSV churn table and tests on another (same columns): see {@link TableEncoder} for
     * how flags, categories, blanks and labels are read. Uses the backend only to read the files.
     *
     * @param idColumn a column to ignore (customer id), or null
     */
    public static Evaluation evaluateTables(Backend b, Path trainCsv, Path testCsv, String labelColumn, String idColumn) {
        TableEncoder.Raw train = TableEncoder.read(b, trainCsv, "churn_eval_train");
        TableEncoder.Raw test = TableEncoder.read(b, testCsv, "churn_eval_test");
        TableEncoder enc = TableEncoder.plan(train, test, labelColumn, idColumn);
        TrainingSet data = enc.encode(train);
        TrainingSet testSet = enc.encode(test);
        ChurnModel model = ChurnModels.defaultTrainer().fit(data).model();
        double[] score = new double[testSet.rows()];
        for (int i = 0; i < score.length; i++) {
            score[i] = model.probability(testSet.x()[i]);
        }
        return Evaluation.of("trained on " + trainCsv.getFileName() + " (" + data.rows() + " rows), tested on "
                + testCsv.getFileName() + ", label " + labelColumn, score, testSet.y(), data.rows(), model.importances());
    }

    // ------------------------------------------------------------------ checks

    private static void checkHorizon(int horizon) {
        if (horizon < 1 || horizon > 12) {
            throw new UserError(UserError.Kind.BAD_QUERY, "horizon must be 1 to 12 months, got " + horizon);
        }
    }

    private static List<YearMonth> requireUsage(Warehouse wh) {
        List<YearMonth> months = usageMonths(wh);
        if (months.isEmpty()) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no usage in the warehouse " + wh.root() + ": ingest usage first");
        }
        return months;
    }

    private static void requireCustomers(Backend b, Warehouse wh) {
        if (!hasView(b, "customers")) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no customers snapshot in the warehouse " + wh.root() + ": ingest customers first");
        }
    }

    private static void requireLabels(Backend b, Warehouse wh, YearMonth asOf, int horizon) {
        requireCustomers(b, wh);
        YearMonth known = labelsKnownThrough(b);
        if (asOf.plusMonths(horizon).isAfter(known)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "labels for as-of " + asOf + " with a " + horizon
                    + "-month horizon need closures through " + asOf.plusMonths(horizon) + ", but the customers snapshot only covers "
                    + known + ": use an as-of month of " + known.minusMonths(horizon) + " or earlier");
        }
    }

    static boolean hasView(Backend b, String view) {
        try {
            b.query("SELECT 1 AS one FROM " + view + " WHERE 1 = 0");
            return true;
        } catch (SqlFailure e) {
            return false;
        }
    }
}
