package io.tiercube.jobs;

import io.tiercube.engine.backend.Backend;
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
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    // Spark throws its AnalysisException (a checked exception) past the backend: still the user's query.
                    throw new SqlFailure(q, e);
                }
                TableOutput.print(t, format, System.out);
            } finally {
                ReadOnlySql.unsandbox(b);
            }
        }
        return ExitCodes.OK;
    }
}
