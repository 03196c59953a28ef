package io.tiercube.engine.churn;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.YearMonth;

/** Evaluations that train on one set of customers and measure on another: a later month, or a second CSV table. */
final class OutOfSample {

    private OutOfSample() {
    }

    /** Trains as of {@code asOf} and tests on the customers of the month after; writes nothing. */
    static Evaluation outOfTime(Backend b, Warehouse wh, YearMonth asOf, int horizon) {
        Availability.checkHorizon(horizon);
        wh.registerViews(b);
        YearMonth testMonth = asOf.plusMonths(1);
        Availability.requireClosures(b, wh, testMonth.plusMonths(horizon), "an out-of-time evaluation as of " + asOf + " tests on "
                + testMonth + ", whose " + horizon + "-month labels", horizon + 1);
        Training.Trained t = Training.fitAsOf(b, wh, asOf, horizon);
        ChurnModel model = t.fit().model();
        TrainingSet test = FeatureView.with(b, wh, testMonth, horizon,
                (view, n) -> FeatureView.labelledRows(b, view, model.features(), "", 1.0));
        return Evaluation.of("trained as of " + asOf + ", tested as of " + testMonth + ", horizon " + horizon + " months",
                Training.probabilities(model, test), test.y(), t.data().rows(), model.importances());
    }

    /** Trains on one CSV churn table and tests on another (same columns); the backend only reads the files. */
    static Evaluation tables(Backend b, Path trainCsv, Path testCsv, String labelColumn, String idColumn) {
        TableEncoder.Raw train = TableEncoder.read(b, trainCsv, "churn_eval_train");
        TableEncoder.Raw test = TableEncoder.read(b, testCsv, "churn_eval_test");
        TableEncoder enc = TableEncoder.plan(train, test, labelColumn, idColumn);
        TrainingSet data = enc.encode(train);
        TrainingSet testSet = enc.encode(test);
        ChurnModel model = ChurnModels.defaultTrainer().fit(data).model();
        return Evaluation.of("trained on " + trainCsv.getFileName() + " (" + data.rows() + " rows), tested on "
                + testCsv.getFileName() + ", label " + labelColumn, Training.probabilities(model, testSet), testSet.y(), data.rows(),
                model.importances());
    }
}
