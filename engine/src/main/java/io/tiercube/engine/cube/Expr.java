package io.tiercube.engine.cube;

import io.tiercube.engine.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Checks a measure expression from a model file and qualifies its columns. The grammar is a small
 * safe subset of SQL: known columns, numbers, single-quoted strings, arithmetic and comparison
 * operators, parentheses, CASE and a few functions present in both engines. Anything else is an
 * error naming the key, so a model file can never smuggle arbitrary SQL into a build.
 */
final class Expr {

    private static final Set<String> KEYWORDS = Set.of("case", "when", "then", "else", "end", "and", "or", "not",
            "null", "is", "in", "between", "as", "cast", "double", "bigint", "true", "false");
    private static final Set<String> FUNCTIONS = Set.of("coalesce", "abs", "nullif", "greatest", "least", "round",
            "cast");

    private Expr() {
    }

    /** Numeric columns: cast to DOUBLE inside compound expressions, so both engines do float arithmetic. */
    private static final Set<String> NUMERIC = Set.of("charge", "duration_s", "volume_mb", "plan_fee");

    static String qualify(String expr, String key, BiFunction<String, String, UserError> error) {
        boolean compound = !isBareColumn(expr);
        StringBuilder out = new StringBuilder();
        int i = 0;
        int depth = 0;
        List<String> columns = new ArrayList<>(CubeModel.USAGE_COLUMNS);
        columns.addAll(CubeModel.CUSTOMER_COLUMNS);
        while (i < expr.length()) {
            char ch = expr.charAt(i);
            if (Character.isWhitespace(ch)) {
                out.append(' ');
                i++;
            } else if (Character.isLetter(ch) || ch == '_') {
                int j = i;
                while (j < expr.length() && (Character.isLetterOrDigit(expr.charAt(j)) || expr.charAt(j) == '_')) {
                    j++;
                }
                String word = expr.substring(i, j);
                String lower = word.toLowerCase(Locale.ROOT);
                int k = j;
                while (k < expr.length() && Character.isWhitespace(expr.charAt(k))) {
                    k++;
                }
                boolean call = k < expr.length() && expr.charAt(k) == '(';
                if (call && FUNCTIONS.contains(lower) || KEYWORDS.contains(lower)) {
                    out.append(lower);
                } else if (CubeModel.USAGE_COLUMNS.contains(word) || CubeModel.CUSTOMER_COLUMNS.contains(word)) {
                    String q = (CubeModel.USAGE_COLUMNS.contains(word) ? "u." : "c.") + word;
                    // Spark would do DECIMAL division with rounding where DuckDB divides in DOUBLE.
                    out.append(compound && NUMERIC.contains(word) ? "CAST(" + q + " AS DOUBLE)" : q);
                } else if (call) {
                    throw error.apply(key, "function '" + word + "' is not allowed in a measure (allowed: "
                            + String.join(", ", FUNCTIONS.stream().sorted().toList()) + ")");
                } else {
                    throw error.apply(key, "unknown column '" + word + "'" + Names.hint(word, columns));
                }
                i = j;
            } else if (Character.isDigit(ch) || ch == '.') {
                int j = i;
                while (j < expr.length() && (Character.isDigit(expr.charAt(j)) || expr.charAt(j) == '.')) {
                    j++;
                }
                out.append(expr, i, j);
                i = j;
            } else if (ch == '\'') {
                int j = i + 1;
                while (j < expr.length() && expr.charAt(j) != '\'') {
                    if (expr.charAt(j) == '\\') {
                        throw error.apply(key, "backslashes are not allowed in string literals");
                    }
                    j++;
                }
                if (j >= expr.length()) {
                    throw error.apply(key, "unterminated string literal");
                }
                out.append(expr, i, j + 1);
                i = j + 1;
            } else if ("+-*/%<>=!,".indexOf(ch) >= 0) {
                if (ch == '-' && i + 1 < expr.length() && expr.charAt(i + 1) == '-') {
                    throw error.apply(key, "comments are not allowed");
                }
                if (ch == '/' && i + 1 < expr.length() && expr.charAt(i + 1) == '*') {
                    throw error.apply(key, "comments are not allowed");
                }
                out.append(ch);
                i++;
            } else if (ch == '(') {
                depth++;
                out.append(ch);
                i++;
            } else if (ch == ')') {
                if (--depth < 0) {
                    throw error.apply(key, "unbalanced ')'");
                }
                out.append(ch);
                i++;
            } else {
                throw error.apply(key, "character '" + ch + "' is not allowed in a measure expression");
            }
        }
        if (depth != 0) {
            throw error.apply(key, "unbalanced '('");
        }
        if (out.toString().isBlank()) {
            throw error.apply(key, "empty expression");
        }
        return out.toString().trim();
    }

    /** True when the expression is just one column. */
    static boolean isBareColumn(String expr) {
        return expr != null && expr.trim().matches("[a-z_][a-z0-9_]*");
    }
}
