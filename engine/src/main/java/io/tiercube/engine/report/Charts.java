package io.tiercube.engine.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The report's charts, drawn as inline SVG with real text (axes, tick labels, units, values), so they
 * are small, searchable, print sharply and need no script or font download.
 *
 * <p>Every chart has a fixed layout whose geometry is stated here, so a test can compute a bar's
 * coordinates by hand. Value axes start at zero (or include it) and end at a "nice" maximum: the
 * data range divided into about four steps of 1, 2, 2.5 or 5 times a power of ten.
 */
final class Charts {

    static final String BLUE = "#2f6db5";
    static final String GREY = "#9aa5b1";
    static final String LIGHT = "#e3e8ee";
    static final String GREEN = "#2e8540";
    static final String RED = "#c0392b";
    static final String INK = "#1f2933";
    static final String MUTED = "#616e7c";
    static final String ORANGE = "#d9822b";

    private Charts() {
    }

    /** How a chart's values are printed. */
    enum Unit {
        MONEY, COUNT, FRACTION;

        String full(double v) {
            return switch (this) {
                case MONEY -> Fmt.money(v);
                case COUNT -> Fmt.count(Math.round(v));
                case FRACTION -> Fmt.pct(v);
            };
        }

        String tick(double v) {
            return switch (this) {
                case MONEY -> (v < 0 ? "-\u00a5" : "\u00a5") + Fmt.compact(Math.abs(v));
                case COUNT -> Fmt.compact(v);
                case FRACTION -> Fmt.decimal(v * 100, Math.abs(v * 100 - Math.rint(v * 100)) < 1e-9 ? 0 : 1) + "%";
            };
        }
    }

    /** One bar: a label, its value and an optional reference value (previous month, target); null when none. */
    record Bar(String label, double value, Double reference) {
        Bar(String label, double value) {
            this(label, value, null);
        }
    }

    /** One layer of a pyramid or funnel: label, the value that sets its width, and the text printed beside it. */
    record Layer(String label, double value, String note, String color) {
    }

    /** A named line through points in data coordinates. */
    record Series(String name, List<double[]> points, String color) {
    }

    /** One histogram bin {@code [from, to)} and how many fall in it. */
    record Bin(double from, double to, long count) {
    }

    /** A labelled vertical rule on a histogram (e.g. a band threshold). */
    record Marker(double at, String label) {
    }

    /** A value axis from {@code lo} to {@code hi} in steps of {@code step}. */
    record Scale(double lo, double hi, double step) {

        /** The nice axis covering [min(0, lo), max(0, hi)] in about four steps. */
        static Scale nice(double lo, double hi) {
            double a = Math.min(0, lo);
            double b = Math.max(0, hi);
            if (b - a <= 0) {
                return new Scale(0, 1, 0.25);
            }
            double step = niceStep((b - a) / 4);
            double nlo = Math.floor(a / step + 1e-9) * step;
            double nhi = Math.ceil(b / step - 1e-9) * step;
            return new Scale(clean(nlo), clean(nhi), step);
        }

        static double niceStep(double raw) {
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / mag;
            double n = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
            return n * mag;
        }

        List<Double> ticks() {
            List<Double> t = new ArrayList<>();
            int n = (int) Math.round((hi - lo) / step);
            for (int i = 0; i <= n; i++) {
                t.add(clean(lo + i * step));
            }
            return t;
        }

        /** Position of {@code v} on an axis that runs from {@code from} (at lo) to {@code to} (at hi). */
        double map(double v, double from, double to) {
            return from + (v - lo) / (hi - lo) * (to - from);
        }

        private static double clean(double v) {
            return Math.abs(v) < 1e-12 ? 0 : Double.parseDouble(String.format(java.util.Locale.ROOT, "%.10g", v));
        }
    }

    // ---------------------------------------------------------------- horizontal bars

    /** Horizontal layout: label column, plot, value column. */
    static final int H_WIDTH = 640;
    static final int H_LEFT = 140;
    static final int H_VALUES = 140;
    static final int H_MAX_LEFT = 250;
    static final int H_TOP = 28;
    static final int H_ROW = 26;
    static final int H_BAR = 16;
    static final int H_AXIS = 40;

    /**
     * Bars with the change: one horizontal bar per member (its value this month) with a dark tick at
     * its reference value and, in the value column, the value and the relative change to the reference.
     * Geometry: bar i spans {@code y = 28 + 26 i + 5} to {@code + 16}; {@code x = L + (500 - L) (v - lo) / (hi - lo)}
     * where the label column {@code L} is 140, widened for long labels to {@code 6.5 × characters + 16} (at most 250).
     */
    static String barsWithChange(String title, Unit unit, String axisLabel, String referenceName, List<Bar> bars) {
        return hbars(title, unit, axisLabel, referenceName, bars, true);
    }

    /**
     * Plain horizontal bars (negative values go left of a zero line), value printed at the right.
     * Same geometry as {@link #barsWithChange}. A bar's reference, when present, is drawn as a tick.
     */
    static String horizontalBars(String title, Unit unit, String axisLabel, List<Bar> bars) {
        return hbars(title, unit, axisLabel, null, bars, false);
    }

    /**
     * Bars against a target: the value as a bar, the target as a dark tick, no change column.
     * Same geometry as {@link #barsWithChange}.
     */
    static String barsWithTarget(String title, Unit unit, String axisLabel, String targetName, List<Bar> bars) {
        return hbars(title, unit, axisLabel, targetName, bars, false);
    }

    private static String hbars(String title, Unit unit, String axisLabel, String referenceName, List<Bar> bars, boolean change) {
        double lo = 0;
        double hi = 0;
        for (Bar b : bars) {
            lo = Math.min(lo, b.value());
            hi = Math.max(hi, b.value());
            if (b.reference() != null) {
                lo = Math.min(lo, b.reference());
                hi = Math.max(hi, b.reference());
            }
        }
        Scale s = Scale.nice(lo, hi);
        int n = bars.size();
        int height = H_TOP + n * H_ROW + H_AXIS;
        Svg svg = new Svg(H_WIDTH, height, title, "chart hbars");
        int longest = bars.stream().mapToInt(b -> b.label() == null ? 6 : b.label().length()).max().orElse(0);
        double x0 = Math.min(H_MAX_LEFT, Math.max(H_LEFT, Math.ceil(6.5 * longest + 16)));
        double x1 = H_WIDTH - H_VALUES;
        double bottom = H_TOP + n * H_ROW;
        // legend
        if (referenceName != null) {
            svg.rect(x0, 8, 10, 10, null, BLUE, null).text(x0 + 14, 17, change ? "this month" : "actual", "start", "legend", MUTED, 0);
            svg.rect(x0 + 100, 7, 3, 12, null, INK, null).text(x0 + 108, 17, referenceName, "start", "legend", MUTED, 0);
        }
        // grid and ticks
        for (double t : s.ticks()) {
            double x = s.map(t, x0, x1);
            svg.line(x, H_TOP, x, bottom, "grid", LIGHT, 1, false);
            svg.text(x, bottom + 16, unit.tick(t), "middle", "tick", MUTED, 0);
        }
        svg.text((x0 + x1) / 2, bottom + 34, axisLabel, "middle", "axis-label", MUTED, 0);
        double zero = s.map(0, x0, x1);
        boolean diverging = !change && lo < 0;
        for (int i = 0; i < n; i++) {
            Bar b = bars.get(i);
            double y = H_TOP + i * H_ROW + (H_ROW - H_BAR) / 2.0;
            double xv = s.map(b.value(), x0, x1);
            String fill = b.value() < 0 ? RED : diverging ? GREEN : BLUE;
            svg.rect(Math.min(zero, xv), y, Math.abs(xv - zero), H_BAR, "bar", fill, b.label());
            if (b.reference() != null) {
                double xr = s.map(b.reference(), x0, x1);
                svg.rect(xr - 1.5, y - 3, 3, H_BAR + 6, "ref", INK, b.label());
            }
            svg.text(x0 - 8, y + 12, shorten(b.label(), (int) ((x0 - 16) / 6.5)), "end", "label", INK, 0);
            String value = unit.full(b.value());
            svg.text(x1 + 8, y + 12, value, "start", "value", INK, 0);
            if (change && b.reference() != null) {
                Double rc = Fmt.relChange(b.value(), b.reference());
                String txt = Fmt.change(b.value(), b.reference());
                svg.text(H_WIDTH - 4, y + 12, txt, "end", "change", rc == null || rc == 0 ? MUTED : rc > 0 ? GREEN : RED, 0);
            }
        }
        svg.line(zero, H_TOP, zero, bottom, "axis", INK, 1, false);
        return svg.end();
    }

    // ---------------------------------------------------------------- columns

    static final int C_WIDTH = 640;
    static final int C_LEFT = 64;
    static final int C_PLOT_W = 560;
    static final int C_TOP = 28;
    static final int C_PLOT_H = 170;

    /**
     * Vertical columns (e.g. a monthly trend), the last one highlighted, its value printed above each.
     * Geometry: slot {@code 560 / n}; column i spans {@code x = 64 + i slot + 0.2 slot}, width {@code 0.6 slot};
     * top at {@code y = 198 - 170 v / hi}.
     */
    static String columns(String title, Unit unit, String axisLabel, List<Bar> bars) {
        double hi = 0;
        for (Bar b : bars) {
            hi = Math.max(hi, b.value());
        }
        Scale s = Scale.nice(0, hi);
        int height = C_TOP + C_PLOT_H + 50;
        Svg svg = new Svg(C_WIDTH, height, title, "chart columns");
        double bottom = C_TOP + C_PLOT_H;
        for (double t : s.ticks()) {
            double y = s.map(t, bottom, C_TOP);
            svg.line(C_LEFT, y, C_LEFT + C_PLOT_W, y, "grid", LIGHT, 1, false);
            svg.text(C_LEFT - 6, y + 4, unit.tick(t), "end", "tick", MUTED, 0);
        }
        svg.text(14, C_TOP + C_PLOT_H / 2.0, axisLabel, "middle", "axis-label", MUTED, -90);
        int n = bars.size();
        double slot = n == 0 ? C_PLOT_W : (double) C_PLOT_W / n;
        for (int i = 0; i < n; i++) {
            Bar b = bars.get(i);
            double x = C_LEFT + i * slot + 0.2 * slot;
            double y = s.map(b.value(), bottom, C_TOP);
            svg.rect(x, y, 0.6 * slot, bottom - y, "bar", i == n - 1 ? BLUE : "#9dbbe0", b.label());
            svg.text(x + 0.3 * slot, y - 5, unit.full(b.value()), "middle", "value", INK, 0);
            svg.text(x + 0.3 * slot, bottom + 16, b.label(), "middle", "label", INK, 0);
        }
        svg.line(C_LEFT, bottom, C_LEFT + C_PLOT_W, bottom, "axis", INK, 1, false);
        return svg.end();
    }

    // ---------------------------------------------------------------- pyramid and funnel

    static final int P_WIDTH = 640;
    static final int P_CENTER = 300;
    static final int P_MAX = 320;
    static final int P_ROW = 44;
    static final int P_BAR = 34;
    static final int P_TOP = 8;
    static final int P_MIN = 4;

    /**
     * A pyramid: layers top to bottom (highest tier first), each centred with a width proportional
     * to its value ({@code 320 v / max}, at least 4 so a tiny tier stays visible). Geometry: layer i
     * at {@code y = 8 + 44 i}, height 34, {@code x = 300 - w / 2}; label left, note right.
     */
    static String pyramid(String title, List<Layer> layers) {
        return layered(title, layers, false);
    }

    /** A funnel: same geometry as {@link #pyramid}, with the stages joined by shaded trapezoids. */
    static String funnel(String title, List<Layer> layers) {
        return layered(title, layers, true);
    }

    private static String layered(String title, List<Layer> layers, boolean joined) {
        double max = 0;
        for (Layer l : layers) {
            max = Math.max(max, l.value());
        }
        int n = layers.size();
        int height = P_TOP * 2 + n * P_ROW;
        Svg svg = new Svg(P_WIDTH, height, title, joined ? "chart funnel" : "chart pyramid");
        double[] xs = new double[n];
        double[] ws = new double[n];
        for (int i = 0; i < n; i++) {
            ws[i] = max <= 0 ? P_MIN : Math.max(P_MIN, layers.get(i).value() / max * P_MAX);
            xs[i] = P_CENTER - ws[i] / 2;
        }
        if (joined) {
            for (int i = 0; i + 1 < n; i++) {
                double yb = P_TOP + i * P_ROW + P_BAR;
                double yt = P_TOP + (i + 1) * P_ROW;
                svg.polygon(new double[][] {{xs[i], yb}, {xs[i] + ws[i], yb}, {xs[i + 1] + ws[i + 1], yt}, {xs[i + 1], yt}},
                        "joint", LIGHT);
            }
        }
        for (int i = 0; i < n; i++) {
            Layer l = layers.get(i);
            double y = P_TOP + i * P_ROW;
            svg.rect(xs[i], y, ws[i], P_BAR, "layer", l.color() == null ? BLUE : l.color(), l.label());
            svg.text(12, y + P_BAR / 2.0 + 4, l.label(), "start", "label", INK, 0);
            svg.text(P_CENTER + P_MAX / 2.0 + 14, y + P_BAR / 2.0 + 4, l.note(), "start", "value", INK, 0);
        }
        return svg.end();
    }

    // ---------------------------------------------------------------- lines with a diagonal

    static final int L_WIDTH = 640;
    static final int L_LEFT = 64;
    static final int L_TOP = 16;
    static final int L_PLOT = 340;

    /**
     * Lorenz curves: x = cumulative share of members (sorted by revenue, smallest first), y =
     * cumulative share of revenue, both 0–1, with the line of equality as a dashed diagonal.
     * Geometry: {@code x = 64 + 340 fx}, {@code y = 356 - 340 fy}. The legend sits right of the plot.
     */
    static String lorenz(String title, String xLabel, String yLabel, List<Series> series) {
        return lines(title, xLabel, yLabel, series, 1.0, "line of equality", false);
    }

    /**
     * A calibration chart: mean predicted probability (x) against the observed rate (y) per bin, as
     * points joined by a line, with perfect calibration as a dashed diagonal. Both axes run from 0 to
     * the nice ceiling of the largest value (at most 1). Geometry as {@link #lorenz} with {@code fx = x / top}.
     */
    static String calibration(String title, List<double[]> points) {
        double max = 0;
        for (double[] p : points) {
            max = Math.max(max, Math.max(p[0], p[1]));
        }
        double top = Math.min(1.0, Scale.nice(0, max <= 0 ? 1 : max).hi());
        return lines(title, "Mean predicted churn probability", "Observed churn rate",
                List.of(new Series("model", points, ORANGE)), top, "perfect calibration", true);
    }

    private static String lines(String title, String xLabel, String yLabel, List<Series> series, double top,
                                String diagonalName, boolean dots) {
        int height = L_TOP + L_PLOT + 48;
        Svg svg = new Svg(L_WIDTH, height, title, "chart lines");
        double x0 = L_LEFT;
        double y0 = L_TOP + L_PLOT;
        Scale s = new Scale(0, top, top / 4);
        for (double t : s.ticks()) {
            double x = s.map(t, x0, x0 + L_PLOT);
            double y = s.map(t, y0, L_TOP);
            svg.line(x, L_TOP, x, y0, "grid", LIGHT, 1, false);
            svg.line(x0, y, x0 + L_PLOT, y, "grid", LIGHT, 1, false);
            svg.text(x, y0 + 16, Unit.FRACTION.tick(t), "middle", "tick", MUTED, 0);
            svg.text(x0 - 6, y + 4, Unit.FRACTION.tick(t), "end", "tick", MUTED, 0);
        }
        svg.text(x0 + L_PLOT / 2.0, y0 + 36, xLabel, "middle", "axis-label", MUTED, 0);
        svg.text(16, L_TOP + L_PLOT / 2.0, yLabel, "middle", "axis-label", MUTED, -90);
        svg.line(x0, y0, x0 + L_PLOT, L_TOP, "diagonal", GREY, 1.5, true);
        svg.line(x0, y0, x0 + L_PLOT, y0, "axis", INK, 1, false);
        svg.line(x0, y0, x0, L_TOP, "axis", INK, 1, false);
        double lx = x0 + L_PLOT + 24;
        double ly = L_TOP + 20;
        for (Series ser : series) {
            double[][] pts = new double[ser.points().size()][];
            for (int i = 0; i < pts.length; i++) {
                double[] p = ser.points().get(i);
                pts[i] = new double[] {s.map(p[0], x0, x0 + L_PLOT), s.map(p[1], y0, L_TOP)};
            }
            svg.polyline(pts, "series", ser.color(), 2.5);
            if (dots) {
                for (double[] p : pts) {
                    svg.circle(p[0], p[1], 4, "point", ser.color(), ser.name());
                }
            }
            svg.line(lx, ly - 4, lx + 22, ly - 4, null, ser.color(), 2.5, false);
            svg.text(lx + 28, ly, ser.name(), "start", "legend", INK, 0);
            ly += 20;
        }
        svg.line(lx, ly - 4, lx + 22, ly - 4, null, GREY, 1.5, true);
        svg.text(lx + 28, ly, diagonalName, "start", "legend", MUTED, 0);
        return svg.end();
    }

    // ---------------------------------------------------------------- histogram

    static final int G_WIDTH = 640;
    static final int G_LEFT = 64;
    static final int G_PLOT_W = 560;
    static final int G_TOP = 20;
    static final int G_PLOT_H = 180;

    /**
     * A histogram of contiguous bins, x from the first bin's start to the last bin's end, y from 0 to
     * the nice ceiling of the largest count. Geometry: {@code x = 64 + 560 (v - from) / (to - from)},
     * {@code y = 200 - 180 c / hi}. Markers are dashed vertical rules with their label on top.
     */
    static String histogram(String title, String xLabel, Unit xUnit, List<Bin> bins, List<Marker> markers) {
        return histogram(title, xLabel, xUnit, bins, markers, null);
    }

    /**
     * As {@link #histogram(String, String, Unit, List, List)}, with an open last bin: it holds every
     * value from its start up to {@code openEnd} (drawn lighter, its end labelled with that value).
     */
    static String histogram(String title, String xLabel, Unit xUnit, List<Bin> bins, List<Marker> markers, Double openEnd) {
        long max = 0;
        for (Bin b : bins) {
            max = Math.max(max, b.count());
        }
        Scale ys = Scale.nice(0, max);
        double from = bins.isEmpty() ? 0 : bins.get(0).from();
        double to = bins.isEmpty() ? 1 : bins.get(bins.size() - 1).to();
        Scale xs = new Scale(from, to, (to - from) / Math.max(1, Math.min(10, bins.size())));
        int height = G_TOP + G_PLOT_H + 50;
        Svg svg = new Svg(G_WIDTH, height, title, "chart histogram");
        double bottom = G_TOP + G_PLOT_H;
        for (double t : ys.ticks()) {
            double y = ys.map(t, bottom, G_TOP);
            svg.line(G_LEFT, y, G_LEFT + G_PLOT_W, y, "grid", LIGHT, 1, false);
            svg.text(G_LEFT - 6, y + 4, Unit.COUNT.tick(t), "end", "tick", MUTED, 0);
        }
        svg.text(14, G_TOP + G_PLOT_H / 2.0, "Customers", "middle", "axis-label", MUTED, -90);
        for (int i = 0; i < bins.size(); i++) {
            Bin b = bins.get(i);
            boolean open = openEnd != null && i == bins.size() - 1;
            double xa = xs.map(b.from(), G_LEFT, G_LEFT + G_PLOT_W);
            double xb = xs.map(b.to(), G_LEFT, G_LEFT + G_PLOT_W);
            double y = ys.map(b.count(), bottom, G_TOP);
            svg.rect(xa + 1, y, xb - xa - 2, bottom - y, "bar", open ? "#7fa6d6" : BLUE,
                    xUnit.tick(b.from()) + "-" + xUnit.tick(open ? openEnd : b.to()));
            if (b.count() > 0) {
                svg.text((xa + xb) / 2, y - 4, Fmt.count(b.count()), "middle", "value", INK, 0);
            }
        }
        List<Double> ticks = xs.ticks();
        for (int i = 0; i < ticks.size(); i++) {
            double t = ticks.get(i);
            double x = xs.map(t, G_LEFT, G_LEFT + G_PLOT_W);
            boolean last = i == ticks.size() - 1 && openEnd != null;
            svg.text(last ? x - 4 : x, bottom + 16, last ? "\u2026" + xUnit.tick(openEnd) : xUnit.tick(t), last ? "end" : "middle", "tick", MUTED, 0);
        }
        for (Marker m : markers) {
            double x = xs.map(m.at(), G_LEFT, G_LEFT + G_PLOT_W);
            svg.line(x, G_TOP, x, bottom, "marker", RED, 1.5, true);
            svg.text(x + 4, G_TOP + 10, m.label(), "start", "marker-label", RED, 0);
        }
        svg.line(G_LEFT, bottom, G_LEFT + G_PLOT_W, bottom, "axis", INK, 1, false);
        svg.text(G_LEFT + G_PLOT_W / 2.0, bottom + 38, xLabel, "middle", "axis-label", MUTED, 0);
        return svg.end();
    }

    static String shorten(String s, int max) {
        if (s == null) {
            return "(none)";
        }
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }
}
