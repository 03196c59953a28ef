package io.tiercube.jobs;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.SqlFailure;
import io.tiercube.engine.backend.Table;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Read-only ad-hoc SQL over the warehouse views. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Runs one read-only query over the warehouse. Views: customers (latest snapshot),",
            "usage, complaints, profiles, and cube_<name> for each built cube.",
            "Refused (exit 7): more than one statement, anything that writes, loads or installs, reads or writes files",
            "by path (read_csv, read_parquet, COPY, ATTACH, ...), SET, PRAGMA and Spark variable substitution."})
final class SqlCommand implements Callable<Integer> {

    @Mixin
    WarehouseOptions wh;

    @Parameters(index = "0", paramLabel = "QUERY", description = "A SELECT (or WITH … SELECT) statement.")
    String query;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    TableOutput.Format format;

    @Override
    public Integer call() {
        String q = ReadOnlySql.check(query);
        try (Backend b = wh.openWithViews()) {
            ReadOnlySql.sandbox(b, wh.warehouse().root());
            try {
                Table t;
                try {
                    t = b.query(q);
                } catch (SqlFailure e) {
                    throw missingDataset(e);
                }
                TableOutput.print(t, format, System.out);
            } finally {
                ReadOnlySql.unsandbox(b);
            }
        }
        return ExitCodes.OK;
    }

    private static final java.util.regex.Pattern MISSING = java.util.regex.Pattern.compile(
            "(?:Table with name ([a-z_0-9]+) does not exist|TABLE_OR_VIEW_NOT_FOUND\\].*?`([a-z_0-9]+)`)");

    /** A warehouse dataset not written yet is "not found" (exit 8), not a bad query. */
    private RuntimeException missingDataset(SqlFailure e) {
        java.util.regex.Matcher m = MISSING.matcher(String.valueOf(e.getMessage()));
        if (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            if (java.util.List.of("usage", "customers", "complaints", "profiles", "churn_scores").contains(name) || name.startsWith("cube_")) {
                return new UserError(UserError.Kind.NOT_FOUND, "no " + name + " data in " + wh.warehouse().root()
                        + " yet: run tiercube nightly (or the command that builds it) first");
            }
        }
        return e;
    }
}
