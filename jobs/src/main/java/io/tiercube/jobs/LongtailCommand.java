package io.tiercube.jobs;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.segment.LongTail;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Concentration and the long tail of a month's revenue. */
@Command(name = "longtail", mixinStandardHelpOptions = true,
        description = {"How concentrated a month's revenue is and how big its long tail is, for customers and for products:",
            "Gini, top-20 %% revenue share, the head (the fewest top customers/products holding 80 %% of revenue) and",
            "the tail (the rest: size, share, revenue share, ARPU), beside last month's figures.",
            "--format json adds the Lorenz curve (100 points): {\"month\", \"customers\": {\"n\", \"gini\", \"top20_share\",",
            "\"head\": {...}, \"tail\": {...}, \"lorenz\": [[x, y], ...], \"previous\": {...}}, \"products\": {...}}",
            "(shares are fractions 0-1), plus \"by\" and \"groups\" with --by."})
final class LongtailCommand implements Callable<Integer> {

    @Mixin
    WarehouseOptions wh;

    @Option(names = "--month", required = true, paramLabel = "YYYY-MM", description = "The month.")
    YearMonth month;

    @Option(names = "--by", paramLabel = "LEVEL",
            description = "Also per group: region.province, region.city, region.district, segment, channel.type or channel.outlet.")
    String by;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    TableOutput.Format format;

    @Override
    public Integer call() {
        try (Backend b = wh.openWithViews()) {
            LongTail.LongTailReport r = LongTail.compute(b, wh.warehouse(), month, by);
            if (format == TableOutput.Format.json) {
                SegmentCommand.printJson(r.toMap());
                return ExitCodes.OK;
            }
            List<List<Object>> rows = new ArrayList<>();
            add(rows, "customers", "all", r.customers());
            add(rows, "products", "all", r.products());
            for (LongTail.Group g : r.groups()) {
                add(rows, "customers", g.group(), g.customers());
                add(rows, "products", g.group(), g.products());
            }
            if (format == TableOutput.Format.table) {
                System.out.println("long tail " + month + (r.previousMonth() == null ? " (no previous month in the warehouse)"
                        : " (prev_* columns: " + r.previousMonth() + ")"));
            }
            TableOutput.print(new Table(List.of("scope", by == null ? "group" : by, "n", "revenue", "gini", "top20_share", "head_n",
                    "head_share", "head_revenue_share", "tail_n", "tail_share", "tail_revenue_share", "tail_arpu", "prev_gini",
                    "prev_top20_share", "prev_tail_revenue_share"), rows), format, System.out);
        }
        return ExitCodes.OK;
    }

    private static void add(List<List<Object>> rows, String scope, String group, LongTail.Scope s) {
        LongTail.Concentration c = s.current();
        LongTail.Concentration p = s.previous();
        List<Object> row = new ArrayList<>();
        row.add(scope);
        row.add(group);
        row.add(c.n());
        row.add(c.revenue());
        row.add(c.gini());
        row.add(c.top20Share());
        row.add(c.head().n());
        row.add(c.head().share());
        row.add(c.head().revenueShare());
        row.add(c.tail().n());
        row.add(c.tail().share());
        row.add(c.tail().revenueShare());
        row.add(c.tail().arpu());
        row.add(p == null ? null : p.gini());
        row.add(p == null ? null : p.top20Share());
        row.add(p == null ? null : p.tail().revenueShare());
        rows.add(row);
    }
}
