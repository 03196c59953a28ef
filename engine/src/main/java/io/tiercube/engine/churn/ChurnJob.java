package io.tiercube.engine.churn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
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
        return Availability.usageMonths(wh);
    }

    /**
     * The last month whose closures are all known: the latest customer snapshot's month when the
     * snapshot is its last day, else the month before.
     */
    public static YearMonth labelsKnownThrough(Backend b) {
        return Availability.labelsKnownThrough(b);
    }

    /** The newest as-of month a model can be trained for: labels known and usage present. */
    public static YearMonth latestTrainableMonth(Backend b, Warehouse wh, int horizon) {
        return Availability.latestTrainableMonth(b, wh, horizon);
    }

    // ------------------------------------------------------------------ training

    /** Trains as of {@code asOf} and writes {@link #modelFile}. */
    public static TrainResult train(Backend b, Warehouse wh, YearMonth asOf, int horizon) {
        Trained t = fitAsOf(b, wh, asOf, horizon);
        Evaluation outOfTime = null;
        if (Availability.usageMonths(wh).contains(asOf.minusMonths(1))) {
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
        Availability.checkHorizon(horizon);
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
        Availability.checkHorizon(horizon);
        wh.registerViews(b);
        Availability.requireLabels(b, wh, asOf, horizon);
        TrainingSet data = FeatureView.with(b, wh, asOf, horizon, (view, n) -> pullTraining(b, view, n));
        ChurnModel.Fit fit = ChurnModels.defaultTrainer().fit(data);
        ChurnModel model = fit.model();
        double[] inSample = probabilities(model, data);
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
        return FeatureView.labelledRows(b, view, features, where, negWeight);
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
        FeatureView.with(b, wh, month, 0, (view, n) -> {
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
        Availability.checkHorizon(horizon);
        wh.registerViews(b);
        YearMonth testMonth = asOf.plusMonths(1);
        Availability.requireClosures(b, wh, testMonth.plusMonths(horizon), "an out-of-time evaluation as of " + asOf + " tests on "
                + testMonth + ", whose " + horizon + "-month labels", horizon + 1);
        Trained t = fitAsOf(b, wh, asOf, horizon);
        List<String> features = t.fit().model().features();
        ChurnModel model = t.fit().model();
        TrainingSet test = FeatureView.with(b, wh, testMonth, horizon,
                (view, n) -> FeatureView.labelledRows(b, view, model.features(), "", 1.0));
        return Evaluation.of("trained as of " + asOf + ", tested as of " + testMonth + ", horizon " + horizon + " months",
                probabilities(model, test), test.y(), t.data().rows(), model.importances());
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
        return Evaluation.of("trained on " + trainCsv.getFileName() + " (" + data.rows() + " rows), tested on "
                + testCsv.getFileName() + ", label " + labelColumn, probabilities(model, testSet), testSet.y(), data.rows(),
                model.importances());
    }

    /** The model's churn probability for every row of {@code data}. */
    static double[] probabilities(ChurnModel model, TrainingSet data) {
        double[] p = new double[data.rows()];
        for (int i = 0; i < p.length; i++) {
            p[i] = model.probability(data.x()[i]);
        }
        return p;
    }
}
