package io.tiercube.jobs;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.cube.CubeModel;
import io.tiercube.engine.cube.DrillQuery;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Loads the classes a query command needs (picocli, Jackson, DuckDB, the cube and output code) on
 * an empty warehouse, so the launcher can record them in a class-data-sharing archive once per
 * build; later drills start from that archive. Hidden: not a user command.
 */
@Command(name = "warmup", hidden = true, description = "Loads the query path's classes (used by the launcher).")
final class WarmupCommand implements Callable<Integer> {

    static final String MODEL = """
            name: warmup
            dimensions:
              time: [month, day]
              region: [province, city]
            measures:
              revenue: {agg: sum, expr: charge, unit: money}
              users: {agg: count_distinct, expr: customer_id}
              arpu: {ratio: [revenue, users], unit: money}
            customer_attributes: [region]
            aggregates:
              - [region.city]
            """;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("tiercube-warmup");
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, "UTF-8");
        try (Backend b = Engine.DUCKDB.open(Engine.Options.defaults())) {
            Warehouse w = new Warehouse(dir);
            CubeModel m = CubeModel.parse(MODEL, Path.of("warmup.yaml"));
            var t = b.query("SELECT ? AS city, CAST(1.50 AS DECIMAL(18,2)) AS revenue, CAST(2 AS BIGINT) AS users", "Chengdu");
            for (TableOutput.Format f : TableOutput.Format.values()) {
                TableOutput.print(t, f, sink);
            }
            Warehouse.writeJson(dir.resolve("warmup.json"), Map.of("warmup", 1));
            Warehouse.readJson(dir.resolve("warmup.json"), Map.class);
            try {
                DrillQuery.run(b, w, m, new DrillQuery.Request().by(java.util.List.of("region.city")).where("region.city=Chengdu"));
            } catch (UserError expected) {
                // No data in an empty warehouse: the classes are loaded, which is all this is for.
            }
        } finally {
            Warehouse.deleteTree(dir);
        }
        return ExitCodes.OK;
    }
}
