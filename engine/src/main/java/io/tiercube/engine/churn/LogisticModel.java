package io.tiercube.engine.churn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiercube.engine.UserError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A fitted logistic regression on standardised features: {@code z = (coalesce(x, impute) - mean) / scale},
 * {@code p = 1 / (1 + exp(-(b0 + sum b_j z_j)))}, with the linear predictor clipped to ±{@value #CLIP}
 * on both the Java and the SQL side so neither can overflow {@code exp}.
 */
final class LogisticModel implements ChurnModel {

    static final String FAMILY = "logistic_l2";
    static final double CLIP = 35.0;

    private final List<String> features;
    private final double[] impute;
    private final double[] mean;
    private final double[] scale;
    private final double intercept;
    private final double[] coef;
    private final double lambda;

    LogisticModel(List<String> features, double[] impute, double[] mean, double[] scale, double intercept,
            double[] coef, double lambda) {
        int p = features.size();
        if (impute.length != p || mean.length != p || scale.length != p || coef.length != p) {
            throw new IllegalArgumentException("one impute, mean, scale and coefficient per feature");
        }
        this.features = List.copyOf(features);
        this.impute = impute.clone();
        this.mean = mean.clone();
        this.scale = scale.clone();
        this.intercept = intercept;
        this.coef = coef.clone();
        this.lambda = lambda;
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public List<String> features() {
        return features;
    }

    double intercept() {
        return intercept;
    }

    double[] coefficients() {
        return coef.clone();
    }

    double lambda() {
        return lambda;
    }

    /** Intercept on the raw (unstandardised) feature scale. */
    double rawIntercept() {
        double b = intercept;
        for (int j = 0; j < coef.length; j++) {
            b -= coef[j] * mean[j] / scale[j];
        }
        return b;
    }

    /** Coefficients on the raw feature scale: log-odds change per unit of the feature. */
    double[] rawCoefficients() {
        double[] r = new double[coef.length];
        for (int j = 0; j < coef.length; j++) {
            r[j] = coef[j] / scale[j];
        }
        return r;
    }

    private double z(int j, double v) {
        double x = Double.isNaN(v) ? impute[j] : v;
        return (x - mean[j]) / scale[j];
    }

    @Override
    public double probability(double[] values) {
        double eta = intercept;
        for (int j = 0; j < coef.length; j++) {
            eta = eta + coef[j] * z(j, values[j]);
        }
        eta = Math.min(Math.max(eta, -CLIP), CLIP);
        return 1.0 / (1.0 + Math.exp(-eta));
    }

    @Override
    public double[] contributions(double[] values) {
        double[] c = new double[coef.length];
        for (int j = 0; j < coef.length; j++) {
            c[j] = coef[j] * z(j, values[j]);
        }
        return c;
    }

    @Override
    public String toSqlExpression(List<String> cols) {
        checkColumns(cols);
        StringBuilder eta = new StringBuilder(lit(intercept));
        for (int j = 0; j < coef.length; j++) {
            eta.append(" + ").append(term(j, cols.get(j)));
        }
        String e = "(" + eta + ")";
        String clipped = "CASE WHEN " + e + " > " + lit(CLIP) + " THEN " + lit(CLIP)
                + " WHEN " + e + " < " + lit(-CLIP) + " THEN " + lit(-CLIP) + " ELSE " + e + " END";
        return "(" + lit(1.0) + " / (" + lit(1.0) + " + exp(-(" + clipped + "))))";
    }

    @Override
    public List<String> contributionSql(List<String> cols) {
        checkColumns(cols);
        List<String> out = new ArrayList<>();
        for (int j = 0; j < coef.length; j++) {
            out.add("(" + term(j, cols.get(j)) + ")");
        }
        return out;
    }

    private String term(int j, String col) {
        return lit(coef[j]) + " * ((COALESCE(" + col + ", " + lit(impute[j]) + ") - " + lit(mean[j]) + ") / " + lit(scale[j]) + ")";
    }

    private void checkColumns(List<String> cols) {
        if (cols.size() != features.size()) {
            throw new IllegalArgumentException("need " + features.size() + " feature columns, got " + cols.size());
        }
    }

    /** A DOUBLE literal both engines parse to exactly this value (a string cast: no DECIMAL detour). */
    static String lit(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("not a finite number: " + v);
        }
        return "CAST('" + Double.toString(v) + "' AS DOUBLE)";
    }

    @Override
    public List<Importance> importances() {
        List<Importance> out = new ArrayList<>();
        for (int j = 0; j < coef.length; j++) {
            out.add(new Importance(features.get(j), coef[j]));
        }
        out.sort(Comparator.comparingDouble((Importance i) -> -Math.abs(i.weight())).thenComparing(Importance::feature));
        return out;
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("family", FAMILY);
        o.put("l2_lambda", lambda);
        o.put("intercept", intercept);
        o.put("raw_intercept", rawIntercept());
        ArrayNode fs = o.putArray("features");
        double[] raw = rawCoefficients();
        for (int j = 0; j < coef.length; j++) {
            ObjectNode f = fs.addObject();
            f.put("name", features.get(j));
            f.put("impute", impute[j]);
            f.put("mean", mean[j]);
            f.put("scale", scale[j]);
            f.put("coefficient", coef[j]);
            f.put("raw_coefficient", raw[j]);
        }
        return o;
    }

    static LogisticModel fromJson(JsonNode o, String file) {
        try {
            JsonNode fs = o.required("features");
            int p = fs.size();
            List<String> names = new ArrayList<>();
            double[] impute = new double[p];
            double[] mean = new double[p];
            double[] scale = new double[p];
            double[] coef = new double[p];
            for (int j = 0; j < p; j++) {
                JsonNode f = fs.get(j);
                names.add(f.required("name").asText());
                impute[j] = number(f, "impute");
                mean[j] = number(f, "mean");
                scale[j] = number(f, "scale");
                coef[j] = number(f, "coefficient");
                if (scale[j] <= 0) {
                    throw new IllegalArgumentException("features[" + j + "].scale must be > 0");
                }
            }
            return new LogisticModel(names, impute, mean, scale, number(o, "intercept"), coef,
                    o.has("l2_lambda") ? o.get("l2_lambda").asDouble() : Double.NaN);
        } catch (IllegalArgumentException e) {
            throw new UserError(UserError.Kind.BAD_CONFIG, "model file " + file + ": " + e.getMessage());
        }
    }

    private static double number(JsonNode o, String key) {
        JsonNode v = o.required(key);
        if (!v.isNumber()) {
            throw new IllegalArgumentException("'" + key + "' must be a number, got " + v);
        }
        double d = v.asDouble();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("'" + key + "' must be finite");
        }
        return d;
    }
}
