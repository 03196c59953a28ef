package io.tiercube.engine.churn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** How good a ranking of churn scores is: ROC AUC, PR AUC, top-decile precision and lift, calibration. */
final class Metrics {

    private Metrics() {
    }

    /** Weighted mean log-loss of probabilities (clipped to [1e-15, 1 - 1e-15]). */
    static double logLoss(double[] p, double[] y, double[] w) {
        double s = 0;
        double tw = 0;
        for (int i = 0; i < p.length; i++) {
            double q = Math.min(Math.max(p[i], 1e-15), 1 - 1e-15);
            s += w[i] * (y[i] > 0.5 ? -Math.log(q) : -Math.log(1 - q));
            tw += w[i];
        }
        return s / tw;
    }

    /** Indices sorted by score, highest first (ties keep input order). */
    private static Integer[] descending(double[] score) {
        Integer[] idx = new Integer[score.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> -score[i]));
        return idx;
    }

    /** Area under the ROC curve: P(score of a churner > score of a stayer), ties counted half. */
    static double rocAuc(double[] score, double[] y, double[] w) {
        Integer[] idx = descending(score);
        double pos = 0;
        double neg = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] > 0.5) {
                pos += w[i];
            } else {
                neg += w[i];
            }
        }
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        double area = 0;
        double negAbove = 0;
        int i = 0;
        while (i < idx.length) {
            int j = i;
            double gp = 0;
            double gn = 0;
            while (j < idx.length && score[idx[j]] == score[idx[i]]) {
                if (y[idx[j]] > 0.5) {
                    gp += w[idx[j]];
                } else {
                    gn += w[idx[j]];
                }
                j++;
            }
            // churners in this tie group rank above every stayer below the group, and half of the group's
            area += gp * (neg - negAbove - gn) + 0.5 * gp * gn;
            negAbove += gn;
            i = j;
        }
        return area / (pos * neg);
    }

    /** Area under the precision-recall curve as average precision (tie groups taken whole). */
    static double prAuc(double[] score, double[] y, double[] w) {
        Integer[] idx = descending(score);
        double pos = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] > 0.5) {
                pos += w[i];
            }
        }
        if (pos == 0) {
            return Double.NaN;
        }
        double ap = 0;
        double tp = 0;
        double all = 0;
        int i = 0;
        while (i < idx.length) {
            int j = i;
            double gp = 0;
            while (j < idx.length && score[idx[j]] == score[idx[i]]) {
                gp += y[idx[j]] > 0.5 ? w[idx[j]] : 0;
                all += w[idx[j]];
                j++;
            }
            tp += gp;
            ap += (gp / pos) * (tp / all);
            i = j;
        }
        return ap;
    }

    static double baseRate(double[] y, double[] w) {
        double pos = 0;
        double tw = 0;
        for (int i = 0; i < y.length; i++) {
            pos += y[i] > 0.5 ? w[i] : 0;
            tw += w[i];
        }
        return pos / tw;
    }

    /** Churn rate among the highest-scored tenth of the rows (by weight). */
    static double topDecilePrecision(double[] score, double[] y, double[] w) {
        Integer[] idx = descending(score);
        double tw = 0;
        for (double v : w) {
            tw += v;
        }
        double taken = 0;
        double pos = 0;
        for (int k = 0; k < idx.length && taken < 0.1 * tw - 1e-9; k++) {
            taken += w[idx[k]];
            pos += y[idx[k]] > 0.5 ? w[idx[k]] : 0;
        }
        return taken == 0 ? Double.NaN : pos / taken;
    }

    /** Ten bins of equal weight by score, lowest first: mean predicted vs observed churn rate. */
    static List<Evaluation.CalibrationBin> calibration(double[] score, double[] y, double[] w) {
        Integer[] idx = descending(score);
        List<Integer> asc = new ArrayList<>(Arrays.asList(idx));
        java.util.Collections.reverse(asc);
        double tw = 0;
        for (double v : w) {
            tw += v;
        }
        List<Evaluation.CalibrationBin> bins = new ArrayList<>();
        double cum = 0;
        int k = 0;
        for (int b = 0; b < 10; b++) {
            double limit = tw * (b + 1) / 10.0;
            double bw = 0;
            double sp = 0;
            double sy = 0;
            long rows = 0;
            double lo = Double.NaN;
            double hi = Double.NaN;
            while (k < asc.size() && (cum < limit - 1e-9 || b == 9)) {
                int i = asc.get(k++);
                cum += w[i];
                bw += w[i];
                sp += w[i] * score[i];
                sy += y[i] > 0.5 ? w[i] : 0;
                rows++;
                lo = Double.isNaN(lo) ? score[i] : lo;
                hi = score[i];
            }
            bins.add(new Evaluation.CalibrationBin(b + 1, rows, lo, hi, bw == 0 ? Double.NaN : sp / bw, bw == 0 ? Double.NaN : sy / bw));
        }
        return bins;
    }

    /** Weighted q-quantile (0..1) of scores. */
    static double quantile(double[] score, double[] w, double q) {
        Integer[] idx = descending(score);
        double tw = 0;
        for (double v : w) {
            tw += v;
        }
        double above = 0;
        for (Integer i : idx) {
            above += w[i];
            if (above >= (1 - q) * tw - 1e-9) {
                return score[i];
            }
        }
        return score[idx[idx.length - 1]];
    }
}
