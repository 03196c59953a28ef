package io.tiercube.engine.backend;

/**
 * The few places where DuckDB and Spark SQL spell the same thing differently. Everything else the
 * engine generates is written once in the common subset (see docs/architecture.md for the rules:
 * {@code NULLIF} in every ratio, {@code NULLS LAST} in every ORDER BY, explicit casts on money).
 */
public interface Dialect {

    /** Quotes an identifier that has already been validated as snake_case. */
    String quote(String identifier);

    /** A boolean expression: {@code expr} matches the whole regular expression. */
    String fullMatch(String expr, String regex);

    /** Parses {@code 'YYYY-MM-DD HH:MM:SS'} text to a zone-less timestamp, NULL when invalid. */
    String parseTimestamp(String expr);

    /** Parses {@code 'YYYY-MM-DD'} text to a DATE, NULL when invalid. */
    String parseDate(String expr);

    /** The zone-less timestamp type name. */
    String timestampType();

    /** {@code 'YYYY-MM'} text of a date or timestamp expression. */
    String formatMonth(String expr);

    /** {@code 'YYYY-MM-DD'} text of a date or timestamp expression. */
    String formatDay(String expr);

    /** {@code 'YYYY-MM-DD HH:MM:SS'} text of a timestamp expression (four-digit years). */
    String formatTimestamp(String expr);

    /** Whole months between two dates ({@code later - earlier}), as an integer. */
    String monthsBetween(String later, String earlier);

    /** Days between two dates ({@code later - earlier}), as an integer. */
    String daysBetween(String later, String earlier);

    /**
     * A 64-bit hash of a string expression. Equal inputs give equal hashes; callers that need
     * exactness compare the strings of the few rows whose hashes collide.
     */
    String hash64(String expr);

    /**
     * Whether {@code expr IN (SELECT …)} may appear inside an expression (a CASE). DuckDB plans it as
     * a semi join, three times cheaper than a LEFT JOIN carrying every column; Spark allows subquery
     * predicates only in filters, so it gets the join.
     */
    boolean subqueryInExpressions();

    /** A date {@code n} months after a date expression. */
    String addMonths(String dateExpr, int months);

    /** A string SQL literal, with quotes escaped. Only for values the engine produced or validated. */
    default String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
