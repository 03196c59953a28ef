package io.tiercube.jobs;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What keeps {@code tiercube sql} read-only, in two layers.
 *
 * <p>First, {@link #check} refuses any text that is not one SELECT (or WITH/FROM … SELECT) and any
 * statement, function or file reference that could write, load code, run a program or read a file
 * outside the views. The text is lexed, not pattern-matched: quoted text and comments are told apart
 * from code the way the engine will, and where DuckDB and Spark would read the text differently
 * (a backslash before a quote, nested comments, dollar quoting) the query is checked both ways or
 * refused.
 *
 * <p>Second, {@link #sandbox} asks the engine itself: DuckDB may then reach no file outside the
 * warehouse, load no extension and change no setting; Spark may not query files by path.
 */
final class ReadOnlySql {

    /** Words that write, load code, reach files or run programs, as statements or functions. */
    private static final Pattern FORBIDDEN = Pattern.compile(
            "\\b(insert|update|delete|drop|create|alter|copy|attach|detach|install|load|pragma|set|reset|call|export|import|"
            + "checkpoint|vacuum|truncate|merge|grant|revoke|refresh|cache|uncache|add|msck|use|analyze|describe|show|summarize|"
            + "glob|parquet_scan|sniff_csv|getenv|query_table|query|json_execute_serialized_sql|duckdb_secrets|which_secret|"
            + "load_aws_credentials|reflect|try_reflect|java_method|execute|immediate|declare|"
            + "(?:read|write|parquet|sqlite|postgres|mysql|iceberg|delta|json|csv|arrow|excel)_\\w+)\\b",
            Pattern.CASE_INSENSITIVE);

    /** Spark's script transformation: {@code TRANSFORM (...) USING 'program'} runs a program. */
    private static final Pattern SCRIPT = Pattern.compile("\\busing\\s*[\"']", Pattern.CASE_INSENSITIVE);

    private ReadOnlySql() {
    }

    /** Refuses (BAD_QUERY) anything but one read-only query; returns the query without a trailing ';'. */
    static String check(String sql) {
        String s = sql.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).stripTrailing();
        }
        if (s.contains("${")) {
            // Spark substitutes ${env:NAME} and ${system:name} anywhere in the text, quoted or not.
            throw refuse("'${' (variable substitution) is not allowed in tiercube sql");
        }
        String lower = codeOnly(s, false).strip().toLowerCase(Locale.ROOT); // a leading comment is not the statement
        if (!(lower.startsWith("select") || lower.startsWith("with") || lower.startsWith("(") || lower.startsWith("from"))) {
            throw refuse("only read-only queries (SELECT, WITH … SELECT or FROM … SELECT) are allowed");
        }
        // Checked twice: as DuckDB reads quoted text (a backslash is a character) and as Spark does
        // (a backslash escapes the next character), so text hidden in a "string" for one is code for neither.
        inspect(s, false);
        inspect(s, true);
        return s;
    }

    private static void inspect(String s, boolean backslashEscapes) {
        String code = codeOnly(s, backslashEscapes);
        if (code.indexOf(';') >= 0) {
            throw refuse("one statement at a time: remove the ';'");
        }
        if (code.indexOf('$') >= 0) {
            throw refuse("'$' (parameters, dollar-quoted text) is not allowed in tiercube sql");
        }
        Matcher m = FORBIDDEN.matcher(code);
        if (m.find()) {
            throw refuse("'" + m.group() + "' is not allowed in tiercube sql: it is read-only over the warehouse views");
        }
        if (SCRIPT.matcher(code).find()) {
            throw refuse("USING '…' (running a program) is not allowed in tiercube sql");
        }
    }

    /**
     * The text with every single-quoted literal's content and every comment blanked out. Double-quoted
     * and backquoted names keep their content (a quoted function name is still a function) but may
     * not look like a path. Unterminated quotes and nested comments are refused: engines disagree on them.
     */
    static String codeOnly(String s, boolean backslashEscapes) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int start = i;
                StringBuilder inner = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char x = s.charAt(i);
                    if (backslashEscapes && x == '\\' && c != '`' && i + 1 < n) {
                        inner.append(x).append(s.charAt(i + 1));
                        i += 2;
                    } else if (x == c) {
                        if (i + 1 < n && s.charAt(i + 1) == c) {
                            inner.append(c);
                            i += 2;
                        } else {
                            i++;
                            closed = true;
                            break;
                        }
                    } else {
                        inner.append(x);
                        i++;
                    }
                }
                if (!closed) {
                    throw refuse("unterminated " + (c == '\'' ? "quoted text" : "quoted name") + " starting at character " + (start + 1));
                }
                if (c == '\'') {
                    out.append("''");
                } else {
                    String name = inner.toString();
                    if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.indexOf(':') >= 0) {
                        throw refuse("quoted name " + c + name + c + " looks like a file path; tiercube sql reads only the warehouse views");
                    }
                    out.append(c).append(name).append(c);
                }
            } else if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
                out.append(' ');
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) {
                    throw refuse("unterminated comment: a '/*' is never closed");
                }
                if (s.substring(i + 2, end).contains("/*")) {
                    throw refuse("nested comments are not allowed in tiercube sql");
                }
                i = end + 2;
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /**
     * Lets the engine enforce what {@link #check} promises, for the rest of this connection: DuckDB
     * reads only files under the warehouse, installs and loads no extension, and its settings are
     * locked; Spark does not run SQL on files given by path.
     */
    static void sandbox(Backend b, Path warehouse) {
        if (b.name().equals("duckdb")) {
            String dir = warehouse.toAbsolutePath().normalize() + "/";
            b.execute("SET allowed_directories = [" + b.dialect().literal(dir) + "]");
            b.execute("SET enable_external_access = false");
            b.execute("SET autoinstall_known_extensions = false");
            b.execute("SET autoload_known_extensions = false");
            b.execute("SET lock_configuration = true");
        } else {
            b.execute("SET spark.sql.runSQLOnFiles = false");
            b.execute("SET spark.sql.variable.substitute = false");
        }
    }

    /** Undoes the Spark part of {@link #sandbox} (the session outlives the command in tests); DuckDB's connection is closed instead. */
    static void unsandbox(Backend b) {
        if (!b.name().equals("duckdb")) {
            b.execute("SET spark.sql.runSQLOnFiles = true");
            b.execute("SET spark.sql.variable.substitute = true");
        }
    }

    private static UserError refuse(String message) {
        return new UserError(UserError.Kind.BAD_QUERY, message);
    }
}
