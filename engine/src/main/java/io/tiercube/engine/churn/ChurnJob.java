package io.tiercube.engine.churn;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
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

    /** The saved model's summary, or empty when there is no model file; a damaged file is a BAD_CONFIG error. */
    public static Optional<ModelSummary> modelSummary(Warehouse wh) {
        return ModelFile.summary(wh);
    }

    /** {@code <warehouse>/models/churn.json}. */
    public static Path modelFile(Warehouse wh) {
        return ModelFile.path(wh);
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

    /** Trains as of {@code asOf} and writes {@link #modelFile}. */
    public static TrainResult train(Backend b, Warehouse wh, YearMonth asOf, int horizon) {
        return Training.train(b, wh, asOf, horizon);
    }

    /**
     * Trains as of {@code latestMonth - horizon} (or earlier, if the labels are not known yet) when the
     * model file is missing, unreadable, for another horizon or feature set, or older than
     * {@code maxAge}; otherwise leaves it alone and returns empty.
     */
    public static Optional<TrainResult> trainIfStale(Backend b, Warehouse wh, YearMonth latestMonth, int horizon, Duration maxAge) {
        return Training.trainIfStale(b, wh, latestMonth, horizon, maxAge);
    }

    /**
     * Scores every customer active at the end of {@code month} with the saved model and replaces
     * {@code churn_scores/month=YYYY-MM} (columns month, customer_id, churn_score, churn_band, churn_reasons).
     */
    public static ScoreResult score(Backend b, Warehouse wh, YearMonth month) {
        return Scoring.score(b, wh, month);
    }

    /**
     * Out-of-time evaluation: trains as of {@code asOf}, scores the customers of {@code asOf + 1} and
     * compares with who closed in the {@code horizon} months after that. Writes nothing.
     */
    public static Evaluation evaluateOutOfTime(Backend b, Warehouse wh, YearMonth asOf, int horizon) {
        return OutOfSample.outOfTime(b, wh, asOf, horizon);
    }

    /**
     * Trains on one CSV churn table and tests on another (same columns): see {@link TableEncoder} for
     * how flags, categories, blanks and labels are read. Uses the backend only to read the files.
     *
     * @param idColumn a column to ignore (customer id), or null
     */
    public static Evaluation evaluateTables(Backend b, Path trainCsv, Path testCsv, String labelColumn, String idColumn) {
        return OutOfSample.tables(b, trainCsv, testCsv, labelColumn, idColumn);
    }
}
