package io.tiercube.engine.churn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiercube.engine.UserError;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code models/churn.json}, written and read in this one place: the model, the bands and feature
 * means scoring needs, and the measures reports show. A damaged file is a BAD_CONFIG error that says
 * to retrain.
 *
 * @param means the training customers' weighted mean of each feature (the "average customer" in reasons)
 */
record ModelFile(ChurnModel model, YearMonth asOf, int horizon, double bandHigh, double bandMedium, Map<String, Double> means) {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private static final ObjectMapper READER = new ObjectMapper()
            .findAndRegisterModules()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    static Path path(Warehouse wh) {
        return wh.dataset("models").resolve("churn.json");
    }

    /** Writes what {@code t} learned, with its out-of-time measure (or null), and returns the file. */
    static Path write(Warehouse wh, Training.Trained t, Evaluation outOfTime) {
        ChurnModel model = t.fit().model();
        ObjectNode doc = JSON.objectNode();
        doc.put("kind", "tiercube churn model");
        doc.put("feature_set", Features.FEATURE_SET);
        doc.put("trained_at", t.trainedAt().toString());
        doc.put("as_of", t.asOf().toString());
        doc.put("horizon", t.horizon());
        doc.put("label", "closed within " + t.horizon() + " months after the as-of month");
        doc.putPOJO("features", model.features());
        ObjectNode means = doc.putObject("feature_means");
        for (int j = 0; j < model.features().size(); j++) {
            means.put(model.features().get(j), weightedMean(t.data(), j));
        }
        ObjectNode bands = doc.putObject("bands");
        bands.put("high", t.high());
        bands.put("medium", t.medium());
        bands.put("rule", "high: score >= high (top 10 % of training customers); medium: score >= medium (next 20 %); else low");
        doc.set("model", model.toJson());
        doc.set("tuning", t.fit().tuning());
        ObjectNode counts = doc.putObject("training_rows");
        counts.put("rows", t.data().rows());
        counts.put("positives", t.data().positives());
        doc.putPOJO("training", t.training());
        doc.putPOJO("validation", t.validation());
        doc.putPOJO("out_of_time", outOfTime);
        Path file = path(wh);
        wh.writeJsonFile(file, doc);
        return file;
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

    /**
     * Whether the file exists, was trained for {@code horizon} on today's feature set, and is younger
     * than {@code maxAge}; an unreadable or foreign file is not fresh.
     */
    static boolean isFresh(Warehouse wh, int horizon, Duration maxAge) {
        Path file = path(wh);
        if (!Files.exists(file)) {
            return false;
        }
        try {
            JsonNode doc = readDocument(file);
            Instant trained = Instant.parse(doc.path("trained_at").asText(""));
            return doc.path("horizon").asInt(-1) == horizon
                    && Features.FEATURE_SET.equals(doc.path("feature_set").asText(""))
                    && trained.plus(maxAge).isAfter(Instant.now());
        } catch (UserError | DateTimeParseException e) {
            return false; // unreadable or foreign: to be replaced
        }
    }

    /** The model to score with; NOT_FOUND when there is none. */
    static ModelFile read(Warehouse wh) {
        Path file = path(wh);
        if (!Files.exists(file)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no churn model at " + file + ": train one first (tiercube churn train)");
        }
        JsonNode doc = readDocument(file);
        try {
            ChurnModel model = ChurnModels.fromJson(doc.get("model"), file.toString());
            for (String f : model.features()) {
                if (Features.feature(f) == null) {
                    throw damaged(file, ": feature '" + f + "' is not one tiercube computes");
                }
            }
            Map<String, Double> means = new LinkedHashMap<>();
            doc.path("feature_means").fields().forEachRemaining(e -> means.put(e.getKey(), e.getValue().asDouble()));
            JsonNode bands = doc.required("bands");
            return new ModelFile(model, YearMonth.parse(doc.required("as_of").asText()), doc.required("horizon").asInt(),
                    bands.required("high").asDouble(), bands.required("medium").asDouble(), means);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw damaged(file, ": " + e.getMessage());
        }
    }

    /** What reports show of the model, or empty when there is none. */
    static Optional<ChurnJob.ModelSummary> summary(Warehouse wh) {
        Path file = path(wh);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode doc = readDocument(file);
        try {
            JsonNode oot = doc.path("out_of_time");
            return Optional.of(new ChurnJob.ModelSummary(YearMonth.parse(doc.required("as_of").asText()), doc.required("horizon").asInt(),
                    Instant.parse(doc.required("trained_at").asText()), doc.path("training_rows").path("rows").asLong(),
                    doc.path("training_rows").path("positives").asLong(),
                    READER.treeToValue(doc.required("validation"), Evaluation.class),
                    oot.isObject() ? READER.treeToValue(oot, Evaluation.class) : null));
        } catch (IllegalArgumentException | DateTimeParseException | JsonProcessingException e) {
            throw damaged(file, ": " + e.getMessage());
        }
    }

    private static JsonNode readDocument(Path file) {
        try {
            return Warehouse.readJson(file, JsonNode.class);
        } catch (UncheckedIOException e) {
            throw damaged(file, " is not valid JSON: " + e.getCause().getMessage());
        }
    }

    private static UserError damaged(Path file, String what) {
        return new UserError(UserError.Kind.BAD_CONFIG, "model file " + file + what + " (retrain with tiercube churn train)");
    }
}
