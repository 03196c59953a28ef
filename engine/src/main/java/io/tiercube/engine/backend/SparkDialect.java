package io.tiercube.engine.backend;

final class SparkDialect implements Dialect {

    @Override
    public String quote(String identifier) {
        return "`" + identifier + "`";
    }

    @Override
    public String fullMatch(String expr, String regex) {
        return "(" + expr + " RLIKE " + literal("^(?:" + regex + ")$") + ")";
    }

    @Override
    public String literal(String value) {
        // Spark treats backslash as an escape inside string literals; DuckDB does not.
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Override
    public String parseTimestamp(String expr) {
        // The session time zone is pinned to UTC, so the NTZ cast keeps the wall-clock value.
        return "CAST(try_to_timestamp(" + expr + ", 'yyyy-MM-dd HH:mm:ss') AS TIMESTAMP_NTZ)";
    }

    @Override
    public String parseDate(String expr) {
        return "CAST(try_to_timestamp(" + expr + ", 'yyyy-MM-dd') AS DATE)";
    }

    @Override
    public String timestampType() {
        return "TIMESTAMP_NTZ";
    }

    @Override
    public String formatMonth(String expr) {
        return "date_format(" + expr + ", 'yyyy-MM')";
    }

    @Override
    public String formatDay(String expr) {
        return "date_format(" + expr + ", 'yyyy-MM-dd')";
    }

    @Override
    public String formatTimestamp(String expr) {
        return "date_format(" + expr + ", 'yyyy-MM-dd HH:mm:ss')";
    }

    @Override
    public String monthsBetween(String later, String earlier) {
        // DuckDB's datediff('month') counts month boundaries crossed; so does this.
        return "CAST((year(" + later + ") - year(" + earlier + ")) * 12 + month(" + later + ") - month(" + earlier + ") AS BIGINT)";
    }

    @Override
    public String daysBetween(String later, String earlier) {
        return "CAST(datediff(" + later + ", " + earlier + ") AS BIGINT)";
    }

    @Override
    public String addMonths(String dateExpr, int months) {
        return "add_months(" + dateExpr + ", " + months + ")";
    }

    @Override
    public String hash64(String expr) {
        return "xxhash64(" + expr + ")";
    }

    @Override
    public boolean subqueryInExpressions() {
        return false;
    }
}
