package io.tiercube.engine.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static double[] ones(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1.0);
        return w;
    }

    @Test
    void rocAucCountsPairsInOrderAndTiesAsHalf() {
        // churners at 0.9, 0.5; stayers at 0.5, 0.3, 0.1: pairs (2 x 3 = 6) won 3 + 2 + 0.5 tie = 5.5
        double[] s = {0.9, 0.5, 0.5, 0.3, 0.1};
        double[] y = {1, 1, 0, 0, 0};
        assertEquals(5.5 / 6, Metrics.rocAuc(s, y, ones(5)), 1e-12);
    }

    @Test
    void prAucIsAveragePrecision() {
        // ranked: 1 (P=1/1), 0, 1 (P=2/3), 0: AP = (1 + 2/3) / 2
        double[] s = {0.9, 0.8, 0.7, 0.6};
        double[] y = {1, 0, 1, 0};
        assertEquals((1 + 2.0 / 3) / 2, Metrics.prAuc(s, y, ones(4)), 1e-12);
    }

    @Test
    void topDecileTakesTheHighestTenthAndLiftDividesByTheBaseRate() {
        double[] s = new double[20];
        double[] y = new double[20];
        for (int i = 0; i < 20; i++) {
            s[i] = 1 - i / 20.0;
            y[i] = i == 0 || i == 5 || i == 9 ? 1 : 0; // top two rows: one churner
        }
        Evaluation e = Evaluation.of("t", s, y, 20, List.of());
        assertEquals(0.5, e.topDecilePrecision(), 1e-12);
        assertEquals(3.0 / 20, e.baseRate(), 1e-12);
        assertEquals(0.5 / (3.0 / 20), e.topDecileLift(), 1e-12);
        assertEquals(10, e.calibration().size());
        assertEquals(2, e.calibration().get(9).rows());
        assertEquals(0.5, e.calibration().get(9).observedRate(), 1e-12);
        assertEquals((s[0] + s[1]) / 2, e.calibration().get(9).meanPredicted(), 1e-12);
    }
}
