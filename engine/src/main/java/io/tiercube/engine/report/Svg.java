package io.tiercube.engine.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A tiny writer of SVG markup that is also well-formed XML: every attribute quoted, every text
 * escaped, coordinates printed with at most two decimals (so output is stable byte for byte).
 * No {@code xmlns} attribute: the SVG lives inline in an HTML page, where the parser supplies the
 * namespace, and the report must not contain any web address.
 */
final class Svg {

    private final StringBuilder out = new StringBuilder(4096);

    Svg(int width, int height, String title, String cssClass) {
        out.append("<svg class=\"").append(esc(cssClass)).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" role=\"img\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">")
                .append("<title>").append(esc(title)).append("</title>");
    }

    /** Raw markup that the caller has built from escaped parts. */
    Svg raw(String markup) {
        out.append(markup);
        return this;
    }

    Svg rect(double x, double y, double w, double h, String cls, String fill, String dataLabel) {
        out.append("<rect");
        if (cls != null) {
            out.append(" class=\"").append(esc(cls)).append('"');
        }
        if (dataLabel != null) {
            out.append(" data-label=\"").append(esc(dataLabel)).append('"');
        }
        out.append(" x=\"").append(num(x)).append("\" y=\"").append(num(y))
                .append("\" width=\"").append(num(Math.max(0, w))).append("\" height=\"").append(num(Math.max(0, h))).append('"');
        if (fill != null) {
            out.append(" fill=\"").append(esc(fill)).append('"');
        }
        out.append("/>");
        return this;
    }

    Svg line(double x1, double y1, double x2, double y2, String cls, String stroke, double width, boolean dashed) {
        out.append("<line");
        if (cls != null) {
            out.append(" class=\"").append(esc(cls)).append('"');
        }
        out.append(" x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1)).append("\" x2=\"").append(num(x2))
                .append("\" y2=\"").append(num(y2)).append("\" stroke=\"").append(esc(stroke)).append("\" stroke-width=\"")
                .append(num(width)).append('"');
        if (dashed) {
            out.append(" stroke-dasharray=\"4 3\"");
        }
        out.append("/>");
        return this;
    }

    /** Text; {@code anchor} is start, middle or end. */
    Svg text(double x, double y, String text, String anchor, String cls) {
        return text(x, y, text, anchor, cls, null, 0);
    }

    Svg text(double x, double y, String text, String anchor, String cls, String fill, int rotate) {
        out.append("<text");
        if (cls != null) {
            out.append(" class=\"").append(esc(cls)).append('"');
        }
        out.append(" x=\"").append(num(x)).append("\" y=\"").append(num(y)).append('"');
        if (anchor != null && !anchor.equals("start")) {
            out.append(" text-anchor=\"").append(anchor).append('"');
        }
        if (fill != null) {
            out.append(" fill=\"").append(esc(fill)).append('"');
        }
        if (rotate != 0) {
            out.append(" transform=\"rotate(").append(rotate).append(' ').append(num(x)).append(' ').append(num(y)).append(")\"");
        }
        out.append('>').append(esc(text)).append("</text>");
        return this;
    }

    Svg polyline(double[][] pts, String cls, String stroke, double width) {
        out.append("<polyline");
        if (cls != null) {
            out.append(" class=\"").append(esc(cls)).append('"');
        }
        out.append(" fill=\"none\" stroke=\"").append(esc(stroke)).append("\" stroke-width=\"").append(num(width))
                .append("\" stroke-linejoin=\"round\" points=\"");
        for (int i = 0; i < pts.length; i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(num(pts[i][0])).append(',').append(num(pts[i][1]));
        }
        out.append("\"/>");
        return this;
    }

    Svg polygon(double[][] pts, String cls, String fill) {
        out.append("<polygon");
        if (cls != null) {
            out.append(" class=\"").append(esc(cls)).append('"');
        }
        out.append(" fill=\"").append(esc(fill)).append("\" points=\"");
        for (int i = 0; i < pts.length; i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(num(pts[i][0])).append(',').append(num(pts[i][1]));
        }
        out.append("\"/>");
        return this;
    }

    Svg circle(double cx, double cy, double r, String cls, String fill, String dataLabel) {
        out.append("<circle");
        if (cls != null) {
            out.append(" class=\"").append(esc(cls)).append('"');
        }
        if (dataLabel != null) {
            out.append(" data-label=\"").append(esc(dataLabel)).append('"');
        }
        out.append(" cx=\"").append(num(cx)).append("\" cy=\"").append(num(cy)).append("\" r=\"").append(num(r))
                .append("\" fill=\"").append(esc(fill)).append("\"/>");
        return this;
    }

    String end() {
        return out + "</svg>";
    }

    /** A coordinate with at most two decimals, no trailing zeros, no exponent. */
    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "0";
        }
        BigDecimal b = BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros();
        if (b.signum() == 0) {
            return "0";
        }
        return b.toPlainString();
    }

    /** Escapes text and attribute values for XML (and so for HTML). */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        b.append(' '); // control characters are not allowed in XML 1.0
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
