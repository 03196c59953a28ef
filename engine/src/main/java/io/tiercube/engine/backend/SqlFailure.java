package io.tiercube.engine.backend;

/**
 * A statement the engine refused. Carries the engine's own message (first line) and the SQL, so a
 * bug in generated SQL is easy to find; user-facing commands turn it into a clear error.
 */
public final class SqlFailure extends RuntimeException {

    private final String sql;

    public SqlFailure(String sql, Throwable cause) {
        super(firstLine(cause.getMessage()), cause);
        this.sql = sql;
    }

    public String sql() {
        return sql;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "engine error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
