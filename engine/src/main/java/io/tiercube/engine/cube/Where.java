package io.tiercube.engine.cube;

import io.tiercube.engine.FilterNumber;
import io.tiercube.engine.UserError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The filter language of {@code --where}: space-separated terms, each either a level filter
 * {@code dim.level=a,b} / {@code dim.level!=a} or a measure filter {@code revenue>=1000}
 * ({@code > >= < <= = !=}). Values may be quoted ({@code region.city='Xi an'}); a one-level
 * dimension may be named alone ({@code segment=enterprise}). Values never become SQL text: they are
 * bound as parameters.
 */
public final class Where {

    /** {@code level IN (values)}, or NOT IN when negated. */
    public record LevelFilter(CubeModel.Level level, boolean negated, List<String> values) {
    }

    /** {@code measure op value}, applied to the current period's value. */
    public record MeasureFilter(CubeModel.Measure measure, String op, BigDecimal value) {
    }

    private final List<LevelFilter> levels;
    private final List<MeasureFilter> measures;

    private Where(List<LevelFilter> levels, List<MeasureFilter> measures) {
        this.levels = List.copyOf(levels);
        this.measures = List.copyOf(measures);
    }

    public static Where none() {
        return new Where(List.of(), List.of());
    }

    public List<LevelFilter> levels() {
        return levels;
    }

    public List<MeasureFilter> measures() {
        return measures;
    }

    /** A copy with one more level filter (used to drill into a member). */
    public Where and(CubeModel.Level level, String value) {
        List<LevelFilter> l = new ArrayList<>(levels);
        l.add(new LevelFilter(level, false, List.of(value)));
        return new Where(l, measures);
    }

    /** Parses a filter text against a model; a mistake is a BAD_QUERY error saying where and what. */
    public static Where parse(String text, CubeModel model) {
        List<LevelFilter> lf = new ArrayList<>();
        List<MeasureFilter> mf = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return none();
        }
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_' || text.charAt(i) == '.')) {
                i++;
            }
            String name = text.substring(start, i);
            int opStart = i;
            while (i < n && "=!<>".indexOf(text.charAt(i)) >= 0) {
                i++;
            }
            String op = text.substring(opStart, i);
            if (name.isEmpty() || !List.of("=", "!=", ">", ">=", "<", "<=").contains(op)) {
                int end = i;
                while (end < n && !Character.isWhitespace(text.charAt(end))) {
                    end++;
                }
                throw bad("cannot read filter '" + text.substring(start, Math.max(end, start + 1)) + "': expected dim.level=a,b or measure>=number");
            }
            List<String> values = new ArrayList<>();
            while (true) {
                StringBuilder v = new StringBuilder();
                if (i < n && (text.charAt(i) == '\'' || text.charAt(i) == '"')) {
                    char q = text.charAt(i++);
                    while (i < n && text.charAt(i) != q) {
                        v.append(text.charAt(i++));
                    }
                    if (i >= n) {
                        throw bad("unterminated quote in filter on " + name);
                    }
                    i++;
                } else {
                    while (i < n && text.charAt(i) != ',' && !Character.isWhitespace(text.charAt(i))) {
                        v.append(text.charAt(i++));
                    }
                    if (v.length() == 0) {
                        throw bad("filter on " + name + " has an empty value (write " + name + op + "value)");
                    }
                }
                values.add(v.toString());
                if (i < n && text.charAt(i) == ',') {
                    i++;
                    continue;
                }
                break;
            }
            if (i < n && !Character.isWhitespace(text.charAt(i))) {
                throw bad("unexpected '" + text.charAt(i) + "' in filter on " + name + " (separate filters with spaces)");
            }
            boolean isLevel = name.contains(".") || model.dimensions().containsKey(name);
            if (!isLevel && model.measures().containsKey(name)) {
                if (values.size() != 1) {
                    throw bad("measure filter " + name + op + " takes one number");
                }
                mf.add(new MeasureFilter(model.measure(name), op, number(name + op + values.get(0), values.get(0))));
                continue;
            }
            CubeModel.Level level;
            if (!name.contains(".") && model.dimensions().containsKey(name)) {
                List<CubeModel.Level> h = model.dimensions().get(name).levels();
                if (h.size() != 1) {
                    throw bad("dimension " + name + " has several levels: name one, e.g. " + h.get(h.size() - 1).qualified());
                }
                level = h.get(0);
            } else if (name.contains(".")) {
                level = model.level(name);
            } else {
                List<String> names = new ArrayList<>(model.levels().keySet());
                names.addAll(model.measures().keySet());
                throw bad("unknown level or measure '" + name + "' in filter" + Names.hint(name, names));
            }
            if (!op.equals("=") && !op.equals("!=")) {
                throw bad("level filter " + name + " takes = or != (got " + op + ")");
            }
            if (level.column().equals("month") || level.column().equals("day")) {
                String pattern = level.column().equals("month") ? "\\d{4}-\\d{2}" : "\\d{4}-\\d{2}-\\d{2}";
                for (String v : values) {
                    if (!v.matches(pattern)) {
                        throw bad("filter " + name + ": '" + v + "' is not a " + (level.column().equals("month") ? "YYYY-MM month" : "YYYY-MM-DD day"));
                    }
                }
            }
            lf.add(new LevelFilter(level, op.equals("!="), values));
        }
        return new Where(lf, mf);
    }

    static BigDecimal number(String term, String text) {
        return FilterNumber.parse(text, "measure filter " + term + ": '" + text + "' is not a number",
                "measure filter " + term + ": '" + text + "' is out of range");
    }

    private static UserError bad(String message) {
        return new UserError(UserError.Kind.BAD_QUERY, message);
    }
}
