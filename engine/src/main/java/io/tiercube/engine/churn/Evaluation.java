package io.tiercube.engine.churn;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * How well a churn model ranked customers it did not learn from: the numbers the CLI prints and
 * the nightly report shows. Rates are fractions (0..1); lift is a multiple of the base rate.
 *
 * @param description what was trained and tested, e.g. "train as of 2026-07, test as of 2026-08, horizon 2"
 * @param rocAuc area under the ROC curve (0.5 = random)
 * @param prAuc area under the precision-recall curve (average precision); compare with {@code baseRate}
 * @param topDecilePrecision churn rate among the 10 % highest-scored test rows
 * @param topDecileLift {@code topDecilePrecision / baseRate}
 * @param baseRate churn rate of the test rows
 * @param rowsTrain training rows
 * @param rowsTest test rows
 * @param calibration ten equal-size bins by score, lowest first
 * @param strongest the ten strongest standardised coefficients (log-odds per standard deviation)
 */
public record Evaluation(
        String description,
        @JsonProperty("roc_auc") double rocAuc,
        @JsonProperty("pr_auc") double prAuc,
        @JsonProperty("top_decile_precision") double topDecilePrecision,
        @JsonProperty("top_decile_lift") double topDecileLift,
        @JsonProperty("base_rate") double baseRate,
        @JsonProperty("rows_train") long rowsTrain,
        @JsonProperty("rows_test") long rowsTest,
        List<CalibrationBin> calibration,
        @JsonProperty("strongest_coefficients") List<ChurnModel.Importance> strongest) {

    /**
     * One calibration bin.
     *
     * @param bin 1 (lowest scores) to 10 (highest)
     * @param rows rows in the bin
     * @param minScore lowest score in the bin
     * @param maxScore highest score in the bin
     * @param meanPredicted mean predicted probability
     * @param observedRate observed churn rate
     */
    public record CalibrationBin(int bin, long rows,
            @JsonProperty("min_score") double minScore,
            @JsonProperty("max_score") double maxScore,
            @JsonProperty("mean_predicted") double meanPredicted,
            @JsonProperty("observed_rate") double observedRate) {
    }

    /** Computes every measure from scores and labels (weights 1). */
    static Evaluation of(String description, double[] score, double[] y, long rowsTrain, List<ChurnModel.Importance> strongest) {
        double[] w = new double[y.length];
        java.util.Arrays.fill(w, 1.0);
        return of(description, score, y, w, rowsTrain, strongest);
    }

    static Evaluation of(String description, double[] score, double[] y, double[] w, long rowsTrain,
            List<ChurnModel.Importance> strongest) {
        double base = Metrics.baseRate(y, w);
        double top = Metrics.topDecilePrecision(score, y, w);
        return new Evaluation(description, Metrics.rocAuc(score, y, w), Metrics.prAuc(score, y, w), top,
                base == 0 ? Double.NaN : top / base, base, rowsTrain, y.length, Metrics.calibration(score, y, w),
                strongest.subList(0, Math.min(10, strongest.size())));
    }
}
