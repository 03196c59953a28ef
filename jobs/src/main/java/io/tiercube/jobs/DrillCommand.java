package io.tiercube.jobs;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.cube.CubeModel;
import io.tiercube.engine.cube.DrillQuery;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tiercube drill}: measures by levels, from the smallest cuboid that answers exactly. */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = {"Shows measures of a cube by some levels, for a month or a range of months, with the change "
            + "against an earlier period. Answered from the smallest built cuboid that covers the levels and filters, "
            + "else from the facts (a note on stderr says why; --strict refuses instead).",
            "Without options: the model's defaults (for usage: revenue, users and ARPU by region.city for the "
            + "latest month, with the change vs the previous month).",
            "Example: tiercube drill usage --by region.city --by product.line --where \"product.line=data,voice\" --month 2026-10"})
final class DrillCommand implements Callable<Integer> {

    @Mixin
    WarehouseOptions wh;

    @Parameters(index = "0", arity = "0..1", defaultValue = "usage", paramLabel = "CUBE", description = "Cube name (default: ${DEFAULT-VALUE}).")
    String cube;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Cube model YAML (default: the copy kept by the last build, else cubes/<cube>.yaml or sample-data/cubes/<cube>.yaml).")
    Path model;

    @Option(names = "--by", paramLabel = "DIM.LEVEL", split = ",",
            description = "Level(s) to group by, e.g. region.city (repeatable or comma-separated); coarser levels of the same "
                    + "dimension come along. Give --by '' for the grand total.")
    List<String> by;

    @Option(names = "--measures", paramLabel = "M", split = ",", description = "Measures to show, e.g. revenue,users,arpu.")
    List<String> measures;

    @Option(names = "--where", paramLabel = "FILTER",
            description = "Filters separated by spaces: dim.level=a,b  dim.level!=a  measure>=100 (values may be quoted: region.city='Xi an').")
    String where;

    @Option(names = "--month", paramLabel = "YYYY-MM", description = "The month (default: the latest month with data).")
    YearMonth month;

    @Option(names = "--from", paramLabel = "YYYY-MM", description = "First month of a range (with --to).")
    YearMonth from;

    @Option(names = "--to", paramLabel = "YYYY-MM", description = "Last month of a range (with --from).")
    YearMonth to;

    @Option(names = "--compare", paramLabel = "prev|yoy|none",
            description = "Add the earlier period's value, the change and the %% change: prev (the period just before), "
                    + "yoy (a year earlier) or none (default: the model's, prev for usage).")
    String compare;

    @Option(names = "--top", paramLabel = "N", description = "Only the first N rows after sorting.")
    Integer top;

    @Option(names = "--sort", paramLabel = "COLUMN[:asc]",
            description = "Output column to sort by, descending unless ':asc' (default: the first measure, descending).")
    String sort;

    @Option(names = "--share", description = "Add each additive measure's percent of the total of the rows shown.")
    boolean share;

    @Option(names = "--explain-plan", description = "Say which cuboid answered (or why the facts did).")
    boolean explainPlan;

    @Option(names = "--strict", description = "Refuse (exit 7) instead of answering from the facts when no cuboid answers exactly.")
    boolean strict;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    TableOutput.Format format;

    @Override
    public Integer call() {
        if (month != null && (from != null || to != null)) {
            throw new UserError(UserError.Kind.BAD_QUERY, "give --month or --from/--to, not both");
        }
        if ((from == null) != (to == null)) {
            throw new UserError(UserError.Kind.BAD_QUERY, "--from and --to go together");
        }
        Warehouse w = wh.warehouse();
        CubeModel m = CubeModel.locate(w, cube, model, true);
        DrillQuery.Request q = new DrillQuery.Request()
                .by(by == null ? null : by.stream().filter(s -> !s.isBlank()).toList())
                .measures(measures).where(where).top(top).sort(sort).share(share).strict(strict);
        if (month != null) {
            q.month(month);
        } else if (from != null) {
            q.range(from, to);
        }
        if (compare != null) {
            q.compare(DrillQuery.Compare.parse(compare));
        }
        DrillQuery.Result r;
        try (Backend b = wh.open()) {
            r = DrillQuery.run(b, w, m, q);
        }
        PrintStream info = format == TableOutput.Format.table ? System.out : System.err;
        if (explainPlan) {
            info.println(m.name() + ": " + r.plan().describe());
        } else if (!r.plan().fromCuboid()) {
            System.err.println("tiercube: note: " + r.plan().describe());
        }
        TableOutput.print(r.table(), format, System.out);
        return ExitCodes.OK;
    }
}
