package io.tiercube.engine.churn;

import com.fasterxml.jackson.databind.JsonNode;
import io.tiercube.engine.UserError;

/** The model families tiercube knows, by the name written in a model file. */
public final class ChurnModels {

    private ChurnModels() {
    }

    /** The default trainer: L2 logistic regression, L2 strength by 5-fold cross-validation. */
    public static ChurnModel.Trainer defaultTrainer() {
        return new LogisticTrainer();
    }

    /** Reads a model from the {@code model} object of a model file; {@code file} names it in errors. */
    public static ChurnModel fromJson(JsonNode model, String file) {
        if (model == null || !model.isObject()) {
            throw new UserError(UserError.Kind.BAD_CONFIG, "model file " + file + ": expected an object under 'model'");
        }
        String family = model.path("family").asText("");
        if (LogisticModel.FAMILY.equals(family)) {
            return LogisticModel.fromJson(model, file);
        }
        throw new UserError(UserError.Kind.BAD_CONFIG, "model file " + file + ": unknown model family '" + family
                + "' (this tiercube knows: " + LogisticModel.FAMILY + ")");
    }
}
