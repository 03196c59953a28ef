package io.tiercube.engine.churn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A fitted churn model: scores a customer from a row of feature values, compiles that score to one
 * SQL expression so the engine scores every customer, and explains a score as per-feature
 * contributions (the raw material of the reasons an account manager reads).
 *
 * <p>Contract, shared by every family (logistic regression now, gradient-boosted trees later):
 * <ul>
 *   <li>Feature values are raw (unscaled) doubles in the order of {@link #features()}; {@code NaN}
 *       (Java) or {@code NULL} (SQL) means missing, and the model imputes it the same way on both
 *       sides.</li>
 *   <li>{@link #probability} and the SQL of {@link #toSqlExpression} agree to 1e-9 on DuckDB and
 *       Spark: the SQL uses only {@code COALESCE}, arithmetic, {@code CASE} and {@code exp}.</li>
 *   <li>A contribution is in log-odds relative to the average training customer: positive raises
 *       the risk. {@link #contributions} and {@link #contributionSql} agree like the score does.</li>
 *   <li>A model is immutable and saved with {@link #toJson}; {@link ChurnModels#fromJson} reads it.</li>
 * </ul>
 */
public interface ChurnModel {

    /** How one family learns a model from a training set. Fitting includes choosing its own tuning. */
    interface Trainer {
        /** The family's name as written in the model file, e.g. {@code logistic_l2}. */
        String family();

        /** Fits a model; throws {@link io.tiercube.engine.UserError} when the data cannot support one. */
        Fit fit(TrainingSet data);
    }

    /**
     * The result of fitting.
     *
     * @param model the fitted model
     * @param outOfFold cross-validated probability for each training row (validation without a leak)
     * @param tuning what the family chose and why (e.g. the L2 strength and its CV loss), for the model file
     */
    record Fit(ChurnModel model, double[] outOfFold, ObjectNode tuning) {
    }

    /** A feature's weight in the model, for "the strongest coefficients" listings. */
    record Importance(String feature, double weight) {
    }

    /** One feature's push on one customer's score. */
    record Contribution(String feature, double logOdds) {
    }

    String family();

    List<String> features();

    /** The churn probability of one row of raw feature values ({@code NaN} = missing). */
    double probability(double[] values);

    /** Per-feature contributions in log-odds, in {@link #features()} order. */
    double[] contributions(double[] values);

    /**
     * One SQL expression (DOUBLE) giving the probability, given for each feature (in
     * {@link #features()} order) a SQL expression or column holding its raw value.
     */
    String toSqlExpression(List<String> featureColumns);

    /** One SQL expression per feature giving its contribution, as {@link #contributions} computes it. */
    List<String> contributionSql(List<String> featureColumns);

    /** Features by the size of their weight, strongest first (family-specific meaning of "weight"). */
    List<Importance> importances();

    /** The model's parameters, including {@code family}, for the model file. */
    ObjectNode toJson();

    /** The {@code k} features that raise this row's risk most (positive contributions only), strongest first. */
    default List<Contribution> explain(double[] values, int k) {
        double[] c = contributions(values);
        List<Contribution> out = new ArrayList<>();
        for (int j = 0; j < c.length; j++) {
            if (c[j] > 0) {
                out.add(new Contribution(features().get(j), c[j]));
            }
        }
        out.sort(Comparator.comparingDouble(Contribution::logOdds).reversed().thenComparing(Contribution::feature));
        return out.subList(0, Math.min(k, out.size()));
    }
}
