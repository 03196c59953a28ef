package io.tiercube.engine.churn;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiercube.engine.UserError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.NonSymmetricMatrixException;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS) on standardised features.
 *
 * <ul>
 *   <li>Missing values are imputed with the (weighted) training mean; every feature is then centred
 *       and divided by its standard deviation (constant features get scale 1 and end at 0).</li>
 *   <li>Objective: weighted mean log-loss + (lambda / 2) * |b|^2, intercept not penalised.</li>
 *   <li>Class imbalance: each class gets half of the total weight while fitting, so a rare churn class
 *       is not drowned out; the intercept is then shifted back by log(negatives / positives) (prior
 *       correction), so scores stay probabilities. In a saturated unregularised model the shift is exact.</li>
 *   <li>lambda is chosen by stratified k-fold cross-validation on held-out log-loss (ties: the larger
 *       lambda), unless fixed in {@link Options}.</li>
 * </ul>
 */
final class LogisticTrainer implements ChurnModel.Trainer {

    /** Candidate L2 strengths (per unit of mean weight), weakest first. */
    static final double[] LAMBDA_GRID = {1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0};

    /**
     * @param fixedLambda use this L2 strength instead of cross-validating (0 = none); null to cross-validate
     * @param folds cross-validation folds, at least 2
     * @param balanceClasses weight the classes equally while fitting (then correct the intercept)
     * @param seed fold assignment seed
     * @param minPositives fewest rows of each class accepted
     */
    record Options(Double fixedLambda, int folds, boolean balanceClasses, long seed, int minPositives) {
        static Options defaults() {
            return new Options(null, 5, true, 7L, 10);
        }

        Options withLambda(double lambda) {
            return new Options(lambda, folds, balanceClasses, seed, minPositives);
        }
    }

    private final Options options;

    LogisticTrainer(Options options) {
        this.options = options;
    }

    LogisticTrainer() {
        this(Options.defaults());
    }

    @Override
    public String family() {
        return LogisticModel.FAMILY;
    }

    @Override
    public ChurnModel.Fit fit(TrainingSet d) {
        int n = d.rows();
        int pos = d.positives();
        int neg = n - pos;
        if (pos < options.minPositives() || neg < options.minPositives()) {
            throw new UserError(UserError.Kind.DATA_QUALITY, "too few " + (pos < options.minPositives() ? "churners" : "non-churners")
                    + " to fit a churn model: " + pos + " positive and " + neg + " negative rows, need at least "
                    + options.minPositives() + " of each (pick an earlier as-of month, a longer horizon, or more data)");
        }
        int p = d.features().size();
        double[] impute = new double[p];
        double[] mean = new double[p];
        double[] scale = new double[p];
        double[][] z = standardise(d, impute, mean, scale);
        double[] fitW = fitWeights(d);
        double shift = priorShift(d);
        int[] fold = folds(d.y(), Math.min(options.folds(), Math.min(pos, neg)), options.seed());

        ObjectNode tuning = JsonNodeFactory.instance.objectNode();
        double lambda;
        double[] oof;
        if (options.fixedLambda() != null) {
            lambda = options.fixedLambda();
            oof = crossValidate(z, d, fitW, shift, fold, lambda);
            tuning.put("lambda_source", "fixed");
        } else {
            ArrayNode grid = tuning.putArray("cv_log_loss");
            double best = Double.POSITIVE_INFINITY;
            double bestLambda = LAMBDA_GRID[LAMBDA_GRID.length - 1];
            double[] bestOof = null;
            for (double l : LAMBDA_GRID) {
                double[] o = crossValidate(z, d, fitW, shift, fold, l);
                double loss = Metrics.logLoss(o, d.y(), d.weight());
                grid.addObject().put("lambda", l).put("log_loss", loss);
                if (loss <= best + 1e-12) {
                    best = loss;
                    bestLambda = l;
                    bestOof = o;
                }
            }
            lambda = bestLambda;
            oof = bestOof;
            tuning.put("lambda_source", "cross_validation");
        }
        tuning.put("folds", foldCount(fold));
        tuning.put("l2_lambda", lambda);
        tuning.put("class_balance", options.balanceClasses());
        tuning.put("prior_correction", shift);

        double[] beta = irls(z, d.y(), fitW, lambda, null, allRows(n));
        double[] coef = new double[p];
        System.arraycopy(beta, 1, coef, 0, p);
        LogisticModel model = new LogisticModel(d.features(), impute, mean, scale, beta[0] - shift, coef, lambda);
        return new ChurnModel.Fit(model, oof, tuning);
    }

    private static int foldCount(int[] fold) {
        int k = 0;
        for (int f : fold) {
            k = Math.max(k, f + 1);
        }
        return k;
    }

    /** Imputes NaN with the weighted mean, then standardises; fills impute/mean/scale. */
    static double[][] standardise(TrainingSet d, double[] impute, double[] mean, double[] scale) {
        int n = d.rows();
        int p = d.features().size();
        double[] w = d.weight();
        for (int j = 0; j < p; j++) {
            double sw = 0;
            double s = 0;
            for (int i = 0; i < n; i++) {
                double v = d.x()[i][j];
                if (!Double.isNaN(v)) {
                    sw += w[i];
                    s += w[i] * v;
                }
            }
            impute[j] = sw > 0 ? s / sw : 0.0;
            double tw = 0;
            double m = 0;
            for (int i = 0; i < n; i++) {
                tw += w[i];
                m += w[i] * value(d, i, j, impute);
            }
            m /= tw;
            double var = 0;
            for (int i = 0; i < n; i++) {
                double dv = value(d, i, j, impute) - m;
                var += w[i] * dv * dv;
            }
            double sd = Math.sqrt(var / tw);
            mean[j] = m;
            scale[j] = sd > 1e-12 * Math.max(1.0, Math.abs(m)) ? sd : 1.0;
        }
        double[][] z = new double[n][p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                z[i][j] = (value(d, i, j, impute) - mean[j]) / scale[j];
            }
        }
        return z;
    }

    private static double value(TrainingSet d, int i, int j, double[] impute) {
        double v = d.x()[i][j];
        return Double.isNaN(v) ? impute[j] : v;
    }

    private double[] fitWeights(TrainingSet d) {
        double[] w = d.weight().clone();
        if (!options.balanceClasses()) {
            return w;
        }
        double wp = 0;
        double wn = 0;
        for (int i = 0; i < w.length; i++) {
            if (d.y()[i] > 0.5) {
                wp += w[i];
            } else {
                wn += w[i];
            }
        }
        double total = wp + wn;
        for (int i = 0; i < w.length; i++) {
            w[i] *= d.y()[i] > 0.5 ? total / (2 * wp) : total / (2 * wn);
        }
        return w;
    }

    /** log(w1 / w0) added to the log-odds by balancing; subtracted from the fitted intercept. */
    private double priorShift(TrainingSet d) {
        if (!options.balanceClasses()) {
            return 0.0;
        }
        double wp = 0;
        double wn = 0;
        for (int i = 0; i < d.rows(); i++) {
            if (d.y()[i] > 0.5) {
                wp += d.weight()[i];
            } else {
                wn += d.weight()[i];
            }
        }
        return Math.log(wn / wp);
    }

    /** Stratified fold of each row: positives and negatives each shuffled and dealt round-robin. */
    static int[] folds(double[] y, int k, long seed) {
        int[] fold = new int[y.length];
        List<Integer> posRows = new ArrayList<>();
        List<Integer> negRows = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            (y[i] > 0.5 ? posRows : negRows).add(i);
        }
        Random r = new Random(seed);
        Collections.shuffle(posRows, r);
        Collections.shuffle(negRows, r);
        for (int i = 0; i < posRows.size(); i++) {
            fold[posRows.get(i)] = i % k;
        }
        for (int i = 0; i < negRows.size(); i++) {
            fold[negRows.get(i)] = i % k;
        }
        return fold;
    }

    private double[] crossValidate(double[][] z, TrainingSet d, double[] fitW, double shift, int[] fold, double lambda) {
        int k = foldCount(fold);
        double[] oof = new double[d.rows()];
        for (int f = 0; f < k; f++) {
            List<Integer> train = new ArrayList<>();
            for (int i = 0; i < fold.length; i++) {
                if (fold[i] != f) {
                    train.add(i);
                }
            }
            double[] beta = irls(z, d.y(), fitW, lambda, null, train.stream().mapToInt(Integer::intValue).toArray());
            for (int i = 0; i < fold.length; i++) {
                if (fold[i] == f) {
                    double eta = beta[0] - shift;
                    for (int j = 0; j < z[i].length; j++) {
                        eta += beta[j + 1] * z[i][j];
                    }
                    eta = Math.min(Math.max(eta, -LogisticModel.CLIP), LogisticModel.CLIP);
                    oof[i] = 1.0 / (1.0 + Math.exp(-eta));
                }
            }
        }
        return oof;
    }

    private static int[] allRows(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /**
     * Newton / IRLS on the rows given, with step halving. Returns [intercept, b_1..b_p] on the
     * standardised scale. Refuses (UserError) when an unregularised fit diverges (perfect separation).
     */
    static double[] irls(double[][] z, double[] y, double[] w, double lambda, double[] start, int[] rows) {
        int p = z.length == 0 ? 0 : z[0].length;
        int dim = p + 1;
        double totalW = 0;
        double posW = 0;
        for (int i : rows) {
            totalW += w[i];
            posW += w[i] * y[i];
        }
        double[] beta = start != null ? start.clone() : new double[dim];
        if (start == null) {
            double rate = Math.min(Math.max(posW / totalW, 1e-6), 1 - 1e-6);
            beta[0] = Math.log(rate / (1 - rate));
        }
        double obj = objective(z, y, w, totalW, lambda, beta, rows);
        boolean converged = false;
        for (int iter = 0; iter < 100 && !converged; iter++) {
            double[] g = new double[dim];
            double[][] h = new double[dim][dim];
            for (int i : rows) {
                double eta = beta[0];
                for (int j = 0; j < p; j++) {
                    eta += beta[j + 1] * z[i][j];
                }
                double mu = sigmoid(eta);
                double r = w[i] * (mu - y[i]) / totalW;
                double a = w[i] * mu * (1 - mu) / totalW;
                g[0] += r;
                h[0][0] += a;
                for (int j = 0; j < p; j++) {
                    double xj = z[i][j];
                    g[j + 1] += r * xj;
                    h[0][j + 1] += a * xj;
                    double axj = a * xj;
                    for (int k = j; k < p; k++) {
                        h[j + 1][k + 1] += axj * z[i][k];
                    }
                }
            }
            for (int j = 0; j < dim; j++) {
                for (int k = 0; k < j; k++) {
                    h[j][k] = h[k][j];
                }
            }
            for (int j = 1; j < dim; j++) {
                g[j] += lambda * beta[j];
                h[j][j] += lambda;
            }
            double[] step = solve(h, g);
            double t = 1.0;
            double[] cand = new double[dim];
            double candObj;
            while (true) {
                for (int j = 0; j < dim; j++) {
                    cand[j] = beta[j] - t * step[j];
                }
                candObj = objective(z, y, w, totalW, lambda, cand, rows);
                if (candObj <= obj + 1e-14 * Math.abs(obj) || t < 1e-10) {
                    break;
                }
                t /= 2;
            }
            double maxStep = 0;
            double maxBeta = 0;
            for (int j = 0; j < dim; j++) {
                maxStep = Math.max(maxStep, Math.abs(t * step[j]));
                maxBeta = Math.max(maxBeta, Math.abs(cand[j]));
            }
            if (candObj <= obj + 1e-14 * Math.abs(obj)) {
                System.arraycopy(cand, 0, beta, 0, dim);
                obj = Math.min(obj, candObj);
            }
            converged = maxStep < 1e-10 * (1 + maxBeta) || t < 1e-10;
            if (lambda == 0 && maxBeta > LogisticModel.CLIP) {
                throw separated();
            }
        }
        for (double b : beta) {
            if (Double.isNaN(b) || Double.isInfinite(b)) {
                throw separated();
            }
        }
        if (!converged && lambda == 0) {
            throw separated();
        }
        return beta;
    }

    private static UserError separated() {
        return new UserError(UserError.Kind.DATA_QUALITY, "the unregularised fit diverges: a feature separates churners from the"
                + " rest perfectly; fit with L2 regularisation (the default) instead");
    }

    private static double[] solve(double[][] h, double[] g) {
        RealMatrix m = new Array2DRowRealMatrix(h, false);
        try {
            return new CholeskyDecomposition(m, 1e-12, 1e-14).getSolver().solve(new ArrayRealVector(g, false)).toArray();
        } catch (NonPositiveDefiniteMatrixException | NonSymmetricMatrixException e) {
            // Rank-deficient (a constant or duplicated feature without regularisation): least-squares step.
            return new SingularValueDecomposition(m).getSolver().solve(new ArrayRealVector(g, false)).toArray();
        }
    }

    static double sigmoid(double eta) {
        return eta >= 0 ? 1.0 / (1.0 + Math.exp(-eta)) : Math.exp(eta) / (1.0 + Math.exp(eta));
    }

    private static double objective(double[][] z, double[] y, double[] w, double totalW, double lambda, double[] beta, int[] rows) {
        int p = beta.length - 1;
        double loss = 0;
        for (int i : rows) {
            double eta = beta[0];
            for (int j = 0; j < p; j++) {
                eta += beta[j + 1] * z[i][j];
            }
            // log(1 + e^eta) - y * eta, computed without overflow
            double softplus = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
            loss += w[i] * (softplus - y[i] * eta);
        }
        double pen = 0;
        for (int j = 1; j <= p; j++) {
            pen += beta[j] * beta[j];
        }
        return loss / totalW + lambda / 2 * pen;
    }
}
