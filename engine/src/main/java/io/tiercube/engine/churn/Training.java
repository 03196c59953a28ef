package io.tiercube.engine.churn;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;

/** Training a model as of a month, its bands and measures, and retraining only when the saved one is stale. */
final class Training {

    /** Above this many customers, training keeps every churner and a hash-chosen sample of the rest (re-weighted). */
    static final int MAX_TRAIN_ROWS = 200_000;

    private Training() {
    }

    /** A model fitted as of a month, with what the model file and {@link ChurnJob.TrainResult} report of it. */
    record Trained(YearMonth asOf, int horizon, Instant trainedAt, TrainingSet data, ChurnModel.Fit fit, double high,
            double medium, Evaluation training, Evaluation validation) {
        ChurnJob.TrainResult result(Evaluation outOfTime, Path file) {
            return new ChurnJob.TrainResult(asOf, horizon, data.rows(), data.positives(), fit.tuning().path("l2_lambda").asDouble(),
                    high, medium, training, validation, outOfTime, file);
        }
    }

    static ChurnJob.TrainResult train(Backend b, Warehouse wh, YearMonth asOf, int horizon) {
        Trained t = fitAsOf(b, wh, asOf, horizon);
        Evaluation outOfTime = null;
        if (Availability.usageMonths(wh).contains(asOf.minusMonths(1))) {
            try {
                outOfTime = OutOfSample.outOfTime(b, wh, asOf.minusMonths(1), horizon);
            } catch (UserError e) {
                // too few churners a month earlier: the model is still fine, it just has no out-of-time measure
            }
        }
        return t.result(outOfTime, ModelFile.write(wh, t, outOfTime));
    }

    static Optional<ChurnJob.TrainResult> trainIfStale(Backend b, Warehouse wh, YearMonth latestMonth, int horizon, Duration maxAge) {
        Availability.checkHorizon(horizon);
        if (ModelFile.isFresh(wh, horizon, maxAge)) {
            return Optional.empty();
        }
        YearMonth latest = Availability.latestTrainableMonth(b, wh, horizon);
        YearMonth wanted = latestMonth.minusMonths(horizon);
        return Optional.of(train(b, wh, wanted.isBefore(latest) ? wanted : latest, horizon));
    }

    /** Fits as of {@code asOf}; the bands cut the training customers' scores at the top 10 % and the next 20 %. */
    static Trained fitAsOf(Backend b, Warehouse wh, YearMonth asOf, int horizon) {
        Availability.checkHorizon(horizon);
        wh.registerViews(b);
        Availability.requireLabels(b, wh, asOf, horizon);
        TrainingSet data = FeatureView.with(b, wh, asOf, horizon, (view, n) -> sample(b, view, n));
        ChurnModel.Fit fit = ChurnModels.defaultTrainer().fit(data);
        ChurnModel model = fit.model();
        double[] inSample = probabilities(model, data);
        double high = Metrics.quantile(inSample, data.weight(), 0.9);
        double medium = Metrics.quantile(inSample, data.weight(), 0.7);
        String what = "as of " + asOf + ", horizon " + horizon + " months";
        Evaluation training = Evaluation.of("training (in-sample), " + what, inSample, data.y(), data.weight(), data.rows(), model.importances());
        Evaluation validation = Evaluation.of("validation (cross-validated), " + what, fit.outOfFold(), data.y(), data.weight(),
                data.rows(), model.importances());
        return new Trained(asOf, horizon, Instant.now(), data, fit, high, medium, training, validation);
    }

    /**
     * The feature view's rows to learn from: all of them, or above {@link #MAX_TRAIN_ROWS} every
     * churner and a hash-chosen share of the others, each weighted by the inverse of that share.
     */
    private static TrainingSet sample(Backend b, String view, long rows) {
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
        return FeatureView.labelledRows(b, view, Features.names(), where, negWeight);
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
