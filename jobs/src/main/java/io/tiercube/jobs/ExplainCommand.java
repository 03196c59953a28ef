package io.tiercube.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.cube.CubeModel;
import io.tiercube.engine.cube.DrillQuery;
import io.tiercube.engine.cube.Explain;
import io.tiercube.engine.warehouse.Warehouse;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tiercube explain}: which members moved a measure between two months. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Ranks the members that contributed most to a measure's change between two months, per dimension, "
            + "drilling --depth levels down along the biggest mover (revenue fell -> which province -> which city).",
            "Contributions of one level add up to the total change (below the first level: to the parent's). "
            + "For a ratio such as ARPU each contribution is split into mix (the member's weight moved) and rate "
            + "(its own ratio moved). Distinct counts (users) show each member's exact change; those need not add up.",
            "Example: tiercube explain usage --measure revenue --from 2026-09 --to 2026-10 --dims region,product"})
final class ExplainCommand implements Callable<Integer> {

    @Mixin
    WarehouseOptions wh;

    @Parameters(index = "0", arity = "0..1", defaultValue = "usage", paramLabel = "CUBE", description = "Cube name (default: ${DEFAULT-VALUE}).")
    String cube;

    @Option(names = "--model", paramLabel = "FILE", description = "Cube model YAML (default: as for drill).")
    Path model;

    @Option(names = "--measure", paramLabel = "M", description = "Measure to explain (default: the model's first default measure).")
    String measure;

    @Option(names = "--from", paramLabel = "YYYY-MM", description = "The month before (default: the month before --to).")
    YearMonth from;

    @Option(names = "--to", paramLabel = "YYYY-MM", description = "The month after (default: the latest month with data).")
    YearMonth to;

    @Option(names = "--dims", paramLabel = "DIM", split = ",", description = "Dimensions to explore (default: all but time).")
    List<String> dims;

    @Option(names = "--depth", defaultValue = "2", description = "Levels to drill down along the biggest mover (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--where", paramLabel = "FILTER", description = "Restrict to some members first (same language as drill --where).")
    String where;

    @Option(names = "--top", defaultValue = "10", description = "Rows per level in the table view; csv and json list every member (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--explain-plan", description = "List which cuboid answered each step.")
    boolean explainPlan;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    TableOutput.Format format;

    @Override
    public Integer call() throws Exception {
        Warehouse w = wh.warehouse();
        CubeModel m = CubeModel.locate(w, cube, model, true);
        YearMonth after = to != null ? to : DrillQuery.latestMonth(w, m);
        YearMonth before = from != null ? from : after.minusMonths(1);
        String ms = measure != null ? measure : m.defaults().measures().get(0);
        Explain.Result r;
        try (Backend b = wh.open()) {
            r = Explain.run(b, w, m, new Explain.Request(ms, before, after, dims, depth, where));
        }
        if (explainPlan) {
            r.plans().forEach(p -> (format == TableOutput.Format.table ? System.out : System.err).println(p));
        }
        if (format == TableOutput.Format.json) {
            System.out.println(json(r));
            return ExitCodes.OK;
        }
        List<String> cols = new ArrayList<>(List.of("level", "parent", "member", "before", "after", "contribution", "share_pct"));
        if (r.ratio()) {
            cols.add("mix");
            cols.add("rate");
        }
        List<List<Object>> rows = new ArrayList<>();
        Map<String, Integer> shown = new LinkedHashMap<>();
        for (Explain.Contributor c : r.contributors()) {
            int n = shown.merge(c.level(), 1, Integer::sum);
            if (format == TableOutput.Format.table && n > top) {
                continue;
            }
            List<Object> row = new ArrayList<>(List.of(c.level(), c.parent() == null ? "" : c.parent(), c.member()));
            row.add(c.before());
            row.add(c.after());
            row.add(c.contribution());
            row.add(c.share() == null ? null : c.share() * 100);
            if (r.ratio()) {
                row.add(c.mix());
                row.add(c.rate());
            }
            rows.add(row);
        }
        if (format == TableOutput.Format.table) {
            System.out.println(r.measure() + " " + r.from() + " -> " + r.to() + ": " + TableOutput.text(r.before()) + " -> "
                    + TableOutput.text(r.after()) + " (change " + TableOutput.text(r.totalChange()) + ")"
                    + (r.additive() ? "" : "; a distinct count: member changes need not add up"));
        }
        TableOutput.print(new Table(cols, rows), format, System.out);
        return ExitCodes.OK;
    }

    static String json(Explain.Result r) throws Exception {
        ObjectMapper om = new ObjectMapper();
        ObjectNode o = om.createObjectNode();
        o.put("measure", r.measure());
        o.put("from", r.from().toString());
        o.put("to", r.to().toString());
        put(o, "before", r.before());
        put(o, "after", r.after());
        put(o, "total_change", r.totalChange());
        o.put("additive", r.additive());
        ArrayNode arr = o.putArray("contributors");
        for (Explain.Contributor c : r.contributors()) {
            ObjectNode x = arr.addObject();
            x.put("level", c.level());
            x.put("member", c.member());
            if (c.parent() != null) {
                x.put("parent", c.parent());
            }
            put(x, "before", c.before());
            put(x, "after", c.after());
            put(x, "contribution", c.contribution());
            put(x, "share", c.share());
            if (r.ratio()) {
                put(x, "mix", c.mix());
                put(x, "rate", c.rate());
            }
        }
        return om.writerWithDefaultPrettyPrinter().writeValueAsString(o);
    }

    private static void put(ObjectNode o, String k, Object v) {
        if (v == null) {
            o.putNull(k);
        } else if (v instanceof BigDecimal b) {
            o.put(k, b);
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                o.putNull(k);
            } else {
                o.put(k, d);
            }
        } else if (v instanceof Long l) {
            o.put(k, l);
        } else {
            o.put(k, v.toString());
        }
    }
}
