package io.tiercube.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiercube.engine.backend.Table;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a {@link Table} as an aligned table, CSV or JSON. Values are formatted here, not by the
 * engine, so output is identical whichever engine ran: timestamps {@code YYYY-MM-DD HH:MM:SS},
 * exact decimals as stored (money with its 2 decimals), doubles to at most 6 decimals.
 */
public final class TableOutput {

    /** Output formats accepted by {@code --format}. */
    public enum Format { table, csv, json }

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TableOutput() {
    }

    public static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof BigDecimal b) {
            return b.toPlainString();
        }
        if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return "";
            }
            BigDecimal b = BigDecimal.valueOf(d).setScale(6, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros();
            return b.scale() < 0 ? b.setScale(0).toPlainString() : b.toPlainString();
        }
        if (v instanceof LocalDateTime t) {
            return t.format(TS);
        }
        return v.toString();
    }

    public static void print(Table t, Format format, PrintStream out) {
        switch (format) {
            case csv -> printCsv(t, out);
            case json -> printJson(t, out);
            default -> printTable(t, out);
        }
        out.flush();
    }

    static void printCsv(Table t, PrintStream out) {
        out.println(String.join(",", t.columns().stream().map(TableOutput::csvCell).toList()));
        for (List<Object> r : t.rows()) {
            List<String> cells = new ArrayList<>(r.size());
            for (Object v : r) {
                cells.add(csvCell(text(v)));
            }
            out.println(String.join(",", cells));
        }
    }

    /** RFC 4180 quoting, plus a leading apostrophe on cells a spreadsheet would run as a formula. */
    public static String csvCell(String s) {
        if (s.isEmpty()) {
            return s;
        }
        char c = s.charAt(0);
        if ((c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') && !isNumber(s)) {
            s = "'" + s;
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    private static boolean isNumber(String s) {
        return s.matches("-?\\d+(\\.\\d+)?");
    }

    static void printJson(Table t, PrintStream out) {
        ArrayNode arr = JSON.createArrayNode();
        for (List<Object> r : t.rows()) {
            ObjectNode o = arr.addObject();
            for (int i = 0; i < t.columns().size(); i++) {
                Object v = r.get(i);
                String k = t.columns().get(i);
                if (v == null) {
                    o.putNull(k);
                } else if (v instanceof Long l) {
                    o.put(k, l);
                } else if (v instanceof BigDecimal b) {
                    o.put(k, b);
                } else if (v instanceof Double d) {
                    if (d.isNaN() || d.isInfinite()) {
                        o.putNull(k);
                    } else {
                        o.put(k, new BigDecimal(text(d)));
                    }
                } else if (v instanceof Boolean bo) {
                    o.put(k, bo);
                } else {
                    o.put(k, text(v));
                }
            }
        }
        try {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(arr));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void printTable(Table t, PrintStream out) {
        int n = t.columns().size();
        int[] w = new int[n];
        boolean[] right = new boolean[n];
        List<String[]> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            w[i] = t.columns().get(i).length();
            right[i] = true;
        }
        for (List<Object> r : t.rows()) {
            String[] row = new String[n];
            for (int i = 0; i < n; i++) {
                Object v = r.get(i);
                // Control characters from the data (an ESC in a member name) must not drive the terminal.
                row[i] = text(v).replaceAll("\\p{Cntrl}", "\uFFFD");
                if (v != null && !(v instanceof Number)) {
                    right[i] = false;
                }
                w[i] = Math.max(w[i], row[i].length());
            }
            cells.add(row);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : "  ").append(pad(t.columns().get(i), w[i], right[i]));
        }
        out.println(sb.toString().stripTrailing());
        sb.setLength(0);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        }
        out.println(sb);
        for (String[] row : cells) {
            sb.setLength(0);
            for (int i = 0; i < n; i++) {
                sb.append(i == 0 ? "" : "  ").append(pad(row[i], w[i], right[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
        out.println("(" + t.size() + (t.size() == 1 ? " row)" : " rows)"));
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }
}
