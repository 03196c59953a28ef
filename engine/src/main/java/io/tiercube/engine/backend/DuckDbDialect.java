package io.tiercube.engine.backend;

final class DuckDbDialect implements Dialect {

    @Override
    public String quote(String identifier) {
        return "\"" + identifier + "\"";
    }

    @Override
    public String fullMatch(String expr, String regex) {
        return "regexp_full_match(" + expr + ", " + literal(regex) + ")";
    }

    @Override
    public String parseTimestamp(String expr) {
        return "try_strptime(" + expr + ", '%Y-%m-%d %H:%M:%S')";
    }

    @Override
    public String parseDate(String expr) {
        return "CAST(try_strptime(" + expr + ", '%Y-%m-%d') AS DATE)";
    }

    @Override
    public String timestampType() {
        return "TIMESTAMP";
    }

    @Override
    public String formatMonth(String expr) {
        return "strftime(" + expr + ", '%Y-%m')";
    }

    @Override
    public String formatDay(String expr) {
        return "strftime(" + expr + ", '%Y-%m-%d')";
    }

    @Override
    public String formatTimestamp(String expr) {
        return "strftime(" + expr + ", '%Y-%m-%d %H:%M:%S')";
    }

    @Override
    public String monthsBetween(String later, String earlier) {
        return "CAST(datediff('month', " + earlier + ", " + later + ") AS BIGINT)";
    }

    @Override
    public String daysBetween(String later, String earlier) {
        return "CAST(datediff('day', " + earlier + ", " + later + ") AS BIGINT)";
    }

    @Override
    public String addMonths(String dateExpr, int months) {
        return "CAST(" + dateExpr + " + INTERVAL (" + months + ") MONTH AS DATE)";
    }

    @Override
    public String hash64(String expr) {
        return "hash(" + expr + ")";
    }

    @Override
    public boolean subqueryInExpressions() {
        return true;
    }
}
