package io.tiercube.jobs;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.cube.CubeBuild;
import io.tiercube.engine.cube.CubeModel;
import io.tiercube.engine.warehouse.RunManifest;
import io.tiercube.engine.warehouse.Warehouse;
import io.tiercube.engine.warehouse.WriterLock;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tiercube cube build}: materializes a cube's cuboids per month. */
@Command(name = "cube", mixinStandardHelpOptions = true,
        description = "OLAP cubes over the usage records (see docs/cubes.md).",
        subcommands = {CubeCommand.Build.class})
final class CubeCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("tiercube cube: name a subcommand: build (see tiercube cube --help)");
        return ExitCodes.USAGE;
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Builds the cuboids of a cube for some months into <warehouse>/cubes/<cube>/month=YYYY-MM/ "
                + "(Parquet plus _manifest.json), replacing each month atomically. Without --month or --all it "
                + "builds only the months whose usage changed since they were built (or that were never built). "
                + "Distinct users are exact in every cuboid."})
    static final class Build implements Callable<Integer> {

        @Mixin
        WarehouseOptions wh;

        @Option(names = "--cube", defaultValue = "usage",
                description = "Cube name; its model is cubes/<cube>.yaml or sample-data/cubes/<cube>.yaml (default: ${DEFAULT-VALUE}).")
        String cube;

        @Option(names = "--model", paramLabel = "FILE", description = "Cube model YAML file (overrides --cube's lookup).")
        Path model;

        @Option(names = "--month", paramLabel = "YYYY-MM", split = ",",
                description = "Month(s) to build, e.g. 2026-10 (repeatable or comma-separated).")
        List<YearMonth> months;

        @Option(names = "--all", description = "Rebuild every month that has usage data.")
        boolean all;

        @Option(names = "--plan", defaultValue = "auto",
                description = "How distinct users are counted: auto (customer pre-aggregate when the model allows), "
                        + "preaggregate, or distinct (plain count(DISTINCT), slower; for checking). Default: ${DEFAULT-VALUE}.")
        String plan;

        @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
        TableOutput.Format format;

        @Override
        public Integer call() {
            if (all && months != null) {
                throw new UserError(UserError.Kind.BAD_QUERY, "give --month or --all, not both");
            }
            CubeBuild.Plan p = switch (plan.toLowerCase(java.util.Locale.ROOT)) {
                case "auto" -> CubeBuild.Plan.AUTO;
                case "preaggregate" -> CubeBuild.Plan.CUSTOMER_PREAGGREGATE;
                case "distinct" -> CubeBuild.Plan.DISTINCT;
                default -> throw new UserError(UserError.Kind.BAD_QUERY, "unknown --plan '" + plan + "': expected auto, preaggregate or distinct");
            };
            Warehouse w = wh.warehouse();
            CubeModel m = CubeModel.locate(w, cube, model, false);
            List<YearMonth> todo = all ? CubeBuild.sourceMonths(w) : months != null ? months : CubeBuild.monthsNeedingBuild(w, m);
            RunManifest run = new RunManifest("cube build " + m.name(), wh.engineKind().id());
            List<List<Object>> rows = new ArrayList<>();
            try (WriterLock lock = WriterLock.acquire(w, "tiercube cube build --cube " + m.name())) {
                try (Backend b = wh.openWithViews()) {
                    if (todo.isEmpty()) {
                        System.err.println("tiercube: cube " + m.name() + " is up to date (months with data: "
                                + CubeBuild.sourceMonths(w) + ")");
                    }
                    for (YearMonth month : todo) {
                        CubeBuild.Result r = run.step("cube " + m.name() + " " + month, () -> CubeBuild.build(b, w, m, month, p));
                        rows.add(List.of(r.month().toString(), r.plan(), (long) r.cuboids(), r.rows(), r.sourceRows(), r.seconds()));
                        r.warnings().forEach(x -> System.err.println("tiercube: warning: " + m.name() + " " + month + ": " + x));
                        run.notes.put("cube_" + month, r);
                    }
                    run.finish(true, null);
                } catch (RuntimeException e) {
                    run.finish(false, e.getMessage());
                    throw e;
                } finally {
                    run.save(w);
                }
            }
            if (!rows.isEmpty()) {
                TableOutput.print(new Table(List.of("month", "plan", "cuboids", "rows", "source_rows", "seconds"), rows), format, System.out);
            }
            return ExitCodes.OK;
        }
    }
}
