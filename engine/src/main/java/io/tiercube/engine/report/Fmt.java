package io.tiercube.engine.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * Numbers formatted for people: thousands separators, yuan with two decimals, percentages with one
 * decimal, and compact tick labels for chart axes. Formats are fixed (not the JVM's locale), so the
 * report reads the same on every machine. Missing values print as an en dash.
 */
final class Fmt {

    static final String NONE = "\u2013";

    private static final DecimalFormatSymbols SYMBOLS = DecimalFormatSymbols.getInstance(Locale.US);

    private Fmt() {
    }

    private static DecimalFormat df(String pattern) {
        DecimalFormat f = new DecimalFormat(pattern, SYMBOLS);
        f.setRoundingMode(RoundingMode.HALF_UP);
        return f;
    }

    /** {@code ¥1,234,567.80}; negative as {@code -¥12.00}. */
    static String money(Number v) {
        if (v == null || isNaN(v)) {
            return NONE;
        }
        BigDecimal b = toBig(v).setScale(2, RoundingMode.HALF_UP);
        String s = df("#,##0.00").format(b.abs());
        return (b.signum() < 0 ? "-\u00a5" : "\u00a5") + s;
    }

    /** {@code 12,345}. */
    static String count(Number v) {
        if (v == null || isNaN(v)) {
            return NONE;
        }
        return df("#,##0").format(toBig(v));
    }

    /** A fraction as a percentage with one decimal: 0.1234 gives {@code 12.3%}. */
    static String pct(Number fraction) {
        if (fraction == null || isNaN(fraction)) {
            return NONE;
        }
        return df("#,##0.0").format(toBig(fraction).movePointRight(2)) + "%";
    }

    /** A signed relative change with one decimal ({@code +4.2%}, {@code -3.1%}); a dash when there is no base. */
    static String change(Number now, Number before) {
        Double c = relChange(now, before);
        if (c == null) {
            return NONE;
        }
        String p = pct(Math.abs(c));
        return (c > 0 ? "+" : c < 0 ? "-" : "\u00b1") + p;
    }

    /** Relative change, or null when either value is missing or the base is zero. */
    static Double relChange(Number now, Number before) {
        if (now == null || before == null || isNaN(now) || isNaN(before)) {
            return null;
        }
        double b = before.doubleValue();
        if (b == 0) {
            return null;
        }
        return (now.doubleValue() - b) / Math.abs(b);
    }

    /** Percentage-point difference of two fractions ({@code +0.4 pp}). */
    static String pointChange(Number now, Number before) {
        if (now == null || before == null || isNaN(now) || isNaN(before)) {
            return NONE;
        }
        double d = (now.doubleValue() - before.doubleValue()) * 100;
        String s = df("0.0").format(Math.abs(d));
        return (d > 0.00005 ? "+" : d < -0.00005 ? "-" : "\u00b1") + s + " pp";
    }

    /** A plain decimal with {@code digits} decimals and separators ({@code 1,234.57}). */
    static String decimal(Number v, int digits) {
        if (v == null || isNaN(v)) {
            return NONE;
        }
        return df(digits == 0 ? "#,##0" : "#,##0." + "0".repeat(digits)).format(toBig(v));
    }

    /** Compact label for an axis tick: {@code 0}, {@code 250}, {@code 1.5k}, {@code 2M}, {@code 1.25B}. */
    static String compact(double v) {
        double a = Math.abs(v);
        String sign = v < 0 ? "-" : "";
        if (a >= 1e9) {
            return sign + trim(a / 1e9) + "B";
        }
        if (a >= 1e6) {
            return sign + trim(a / 1e6) + "M";
        }
        if (a >= 1e4) {
            return sign + trim(a / 1e3) + "k";
        }
        return sign + trim(a);
    }

    private static String trim(double v) {
        return df("#,##0.##").format(BigDecimal.valueOf(v));
    }

    private static boolean isNaN(Number v) {
        return (v instanceof Double d && (d.isNaN() || d.isInfinite())) || (v instanceof Float f && (f.isNaN() || f.isInfinite()));
    }

    private static BigDecimal toBig(Number v) {
        if (v instanceof BigDecimal b) {
            return b;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(v.longValue());
        }
        return BigDecimal.valueOf(v.doubleValue());
    }
}
