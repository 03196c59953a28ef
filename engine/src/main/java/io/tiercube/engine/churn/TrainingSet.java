package io.tiercube.engine.churn;

import java.util.List;

/**
 * Rows to learn from: raw feature values ({@code NaN} = missing), a 0/1 label and an observation
 * weight (1, or the inverse sampling rate when negatives were sampled down).
 */
public record TrainingSet(List<String> features, double[][] x, double[] y, double[] weight) {

    public TrainingSet {
        features = List.copyOf(features);
        if (x.length != y.length || y.length != weight.length) {
            throw new IllegalArgumentException("x, y and weight must have the same number of rows");
        }
        for (double[] row : x) {
            if (row.length != features.size()) {
                throw new IllegalArgumentException("every row needs " + features.size() + " values");
            }
        }
    }

    /** Unit weights. */
    public static TrainingSet of(List<String> features, double[][] x, double[] y) {
        double[] w = new double[y.length];
        java.util.Arrays.fill(w, 1.0);
        return new TrainingSet(features, x, y, w);
    }

    public int rows() {
        return y.length;
    }

    /** Rows whose label is 1 (unweighted count). */
    public int positives() {
        int n = 0;
        for (double v : y) {
            if (v > 0.5) {
                n++;
            }
        }
        return n;
    }
}
