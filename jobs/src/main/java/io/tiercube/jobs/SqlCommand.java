package io.tiercube.jobs;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Read-only ad-hoc SQL over the warehouse views. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Runs one read-only query over the warehouse. Views: customers (latest snapshot),",
            "usage, complaints, profiles, and cube_<name> for each built cube."})
final class SqlCommand implements Callable<Integer> {

    /** Statements and functions that could write, load code or reach files: refused before the engine sees them. */
    private static final Pattern FORBIDDEN = Pattern.compile(
            "\\b(insert|update|delete|drop|create|alter|copy|attach|detach|install|load|pragma|set|reset|call|export|import|"
            + "checkpoint|vacuum|truncate|merge|grant|refresh|cache|uncache|add|msck|use|"
            + "read_csv|read_csv_auto|read_parquet|read_json|read_json_auto|read_text|read_blob|glob|parquet_scan|"
            + "sniff_csv|write_csv|write_parquet|getenv|query_table|query)\\b",
            Pattern.CASE_INSENSITIVE);

    @Mixin
    WarehouseOptions wh;

    @Parameters(index = "0", paramLabel = "QUERY", description = "A SELECT (or WITH … SELECT) statement.")
    String query;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    TableOutput.Format format;

    @Override
    public Integer call() {
        checkReadOnly(query);
        try (Backend b = wh.openWithViews()) {
            Table t = b.query(query.strip().replaceAll(";\\s*$", ""));
            TableOutput.print(t, format, System.out);
        }
        return ExitCodes.OK;
    }

    static void checkReadOnly(String sql) {
        String s = sql.strip().replaceAll(";\\s*$", "");
        String lower = s.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("select") || lower.startsWith("with") || lower.startsWith("(") || lower.startsWith("from"))) {
            throw new UserError(UserError.Kind.BAD_QUERY, "only read-only queries (SELECT or WITH … SELECT) are allowed");
        }
        if (s.contains(";")) {
            throw new UserError(UserError.Kind.BAD_QUERY, "one statement at a time: remove the ';'");
        }
        var m = FORBIDDEN.matcher(s.replaceAll("'(?:[^']|'')*'", "''"));
        if (m.find()) {
            throw new UserError(UserError.Kind.BAD_QUERY, "'" + m.group() + "' is not allowed in tiercube sql: it is read-only over the warehouse views");
        }
    }
}
