package io.tiercube.engine.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.UserError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogisticTrainerTest {

    /** Rows of one binary feature: {@code a} churners and {@code b} stayers with x=0, {@code c} and {@code d} with x=1. */
    private static TrainingSet twoByTwo(int a, int b, int c, int d) {
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < a; i++) { x.add(new double[] {0}); y.add(1.0); }
        for (int i = 0; i < b; i++) { x.add(new double[] {0}); y.add(0.0); }
        for (int i = 0; i < c; i++) { x.add(new double[] {1}); y.add(1.0); }
        for (int i = 0; i < d; i++) { x.add(new double[] {1}); y.add(0.0); }
        return TrainingSet.of(List.of("flag"), x.toArray(new double[0][]), y.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Test
    void unregularisedBinaryFeatureGivesLogOddsRatioAndReferenceLogOdds() {
        // x=0: 12 churn, 88 stay; x=1: 30 churn, 20 stay.
        TrainingSet d = twoByTwo(12, 88, 30, 20);
        LogisticModel m = (LogisticModel) new LogisticTrainer(LogisticTrainer.Options.defaults().withLambda(0)).fit(d).model();
        double logOddsRatio = Math.log((30.0 / 20.0) / (12.0 / 88.0));
        double referenceLogOdds = Math.log(12.0 / 88.0);
        assertEquals(logOddsRatio, m.rawCoefficients()[0], 1e-6);
        assertEquals(referenceLogOdds, m.rawIntercept(), 1e-6);
        assertEquals(12.0 / 100.0, m.probability(new double[] {0}), 1e-9);
        assertEquals(30.0 / 50.0, m.probability(new double[] {1}), 1e-9);
    }

    @Test
    void withoutClassBalancingTheSameLogOddsComeOut() {
        TrainingSet d = twoByTwo(12, 88, 30, 20);
        LogisticModel m = (LogisticModel) new LogisticTrainer(new LogisticTrainer.Options(0.0, 5, false, 7L, 10)).fit(d).model();
        assertEquals(Math.log((30.0 / 20.0) / (12.0 / 88.0)), m.rawCoefficients()[0], 1e-6);
        assertEquals(Math.log(12.0 / 88.0), m.rawIntercept(), 1e-6);
    }

    @Test
    void separableDataKeepsFiniteCoefficientsUnderL2() {
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            x.add(new double[] {i < 20 ? -1 - i * 0.1 : 1 + i * 0.1, i % 3});
            y.add(i < 20 ? 0.0 : 1.0);
        }
        TrainingSet d = TrainingSet.of(List.of("a", "b"), x.toArray(new double[0][]), y.stream().mapToDouble(Double::doubleValue).toArray());
        ChurnModel.Fit fit = new LogisticTrainer().fit(d);
        LogisticModel m = (LogisticModel) fit.model();
        for (double c : m.coefficients()) {
            assertTrue(Double.isFinite(c) && Math.abs(c) < 100, "coefficient " + c);
        }
        assertTrue(m.probability(new double[] {3, 0}) > 0.9);
        assertTrue(m.probability(new double[] {-3, 0}) < 0.1);
        assertThrows(UserError.class, () -> new LogisticTrainer(LogisticTrainer.Options.defaults().withLambda(0)).fit(d));
    }

    @Test
    void tooFewChurnersIsRefusedWithAClearMessage() {
        TrainingSet d = twoByTwo(3, 80, 2, 40);
        UserError e = assertThrows(UserError.class, () -> new LogisticTrainer().fit(d));
        assertEquals(UserError.Kind.DATA_QUALITY, e.kind());
        assertTrue(e.getMessage().contains("too few churners") && e.getMessage().contains("5 positive"), e.getMessage());
    }

    @Test
    void missingValuesAreImputedWithTheTrainingMean() {
        double[][] x = new double[60][];
        double[] y = new double[60];
        for (int i = 0; i < 60; i++) {
            x[i] = new double[] {i % 4 == 0 ? Double.NaN : i % 2};
            y[i] = (i % 5 == 0 || i % 2 == 1 && i % 3 == 0) ? 1 : 0;
        }
        LogisticModel m = (LogisticModel) new LogisticTrainer().fit(TrainingSet.of(List.of("v"), x, y)).model();
        double mean = 0;
        int n = 0;
        for (double[] r : x) {
            if (!Double.isNaN(r[0])) {
                mean += r[0];
                n++;
            }
        }
        mean /= n;
        assertEquals(m.probability(new double[] {mean}), m.probability(new double[] {Double.NaN}), 1e-15);
    }

    @Test
    void crossValidationPicksAStrongerPenaltyForPureNoise() {
        java.util.Random r = new java.util.Random(3);
        int n = 300;
        int p = 8;
        double[][] x = new double[n][p];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                x[i][j] = r.nextGaussian();
            }
            y[i] = r.nextDouble() < 0.2 ? 1 : 0;
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < p; j++) {
            names.add("f" + j);
        }
        ChurnModel.Fit fit = new LogisticTrainer().fit(TrainingSet.of(names, x, y));
        assertTrue(fit.tuning().get("l2_lambda").asDouble() >= 0.1, fit.tuning().toString());
    }
}
