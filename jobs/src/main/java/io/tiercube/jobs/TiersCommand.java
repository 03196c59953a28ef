package io.tiercube.jobs;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.segment.TierPolicy;
import io.tiercube.engine.segment.Tiers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** VIP tiers of a month under a policy: pyramid, target vs actual, movement matrix. */
@Command(name = "tiers", mixinStandardHelpOptions = true,
        description = {"VIP tiers of a month under a tier policy, computed from usage: the pyramid (customers, share,",
            "target share, revenue, revenue share, ARPU per tier) and the movement matrix against the month before",
            "(rows: last month's tier, '(new)' for customers new this month; columns: this month's tier, '(left)').",
            "With --customers: one row per customer (customer_id, city, metric, tier, previous_tier).",
            "Presets: telecom-sichuan, mobile-sichuan, unicom-yibin (boundaries in docs/segments.md)."})
final class TiersCommand implements Callable<Integer> {

    @Mixin
    WarehouseOptions wh;

    @Option(names = "--policy", paramLabel = "NAME|FILE",
            description = "A preset name or a policy YAML file (default: tier_policy of --settings).")
    String policy;

    @Option(names = "--settings", defaultValue = SegmentCommand.DEFAULT_SETTINGS, paramLabel = "FILE",
            description = "Settings naming the default policy (default: ${DEFAULT-VALUE}).")
    Path settings;

    @Option(names = "--month", required = true, paramLabel = "YYYY-MM", description = "The month to rate.")
    YearMonth month;

    @Option(names = "--customers", description = "One row per customer instead of the pyramid (use with --format csv for large months).")
    boolean customers;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    TableOutput.Format format;

    @Override
    public Integer call() {
        TierPolicy p = policy != null ? TierPolicy.resolve(policy, Path.of("")) : SegmentCommand.settings(settings, null).policy();
        try (Backend b = wh.openWithViews()) {
            if (customers) {
                if (format == TableOutput.Format.csv) {
                    Path tmp = null;
                    try {
                        tmp = Files.createTempDirectory("tiercube-tiers");
                        Path f = tmp.resolve("customers.csv");
                        Tiers.writeCustomersCsv(b, wh.warehouse(), p, month, f);
                        Files.copy(f, System.out);
                        System.out.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } finally {
                        if (tmp != null) {
                            try {
                                io.tiercube.engine.warehouse.Warehouse.deleteTree(tmp);
                            } catch (IOException ignored) {
                                // temp dir: best effort
                            }
                        }
                    }
                } else {
                    TableOutput.print(Tiers.customers(b, wh.warehouse(), p, month), format, System.out);
                }
                return ExitCodes.OK;
            }
            Tiers.TierReport r = Tiers.report(b, wh.warehouse(), p, month);
            if (format == TableOutput.Format.json) {
                SegmentCommand.printJson(r);
                return ExitCodes.OK;
            }
            List<List<Object>> rows = new ArrayList<>();
            for (Tiers.TierRow t : r.pyramid()) {
                List<Object> row = new ArrayList<>();
                row.add(t.tier());
                row.add(t.customers());
                row.add(t.share());
                row.add(t.targetShare());
                row.add(t.revenue());
                row.add(t.revenueShare());
                row.add(t.arpu());
                rows.add(row);
            }
            Table pyramid = new Table(List.of("tier", "customers", "share", "target_share", "revenue", "revenue_share", "arpu"), rows);
            if (format == TableOutput.Format.csv) {
                TableOutput.print(pyramid, format, System.out);
                return ExitCodes.OK;
            }
            System.out.println("tiers " + month + " under " + r.policy() + ": " + r.customers() + " customers, revenue " + r.revenue());
            TableOutput.print(pyramid, format, System.out);
            System.out.println();
            System.out.println("movement " + month.minusMonths(1) + " -> " + month + " (last month's tiers from: " + r.previousSource()
                    + "): upgrades " + r.upgrades() + ", downgrades " + r.downgrades() + ", held " + r.held()
                    + ", new " + r.entered() + ", left " + r.left());
            Set<String> to = new LinkedHashSet<>(p.tierNames());
            to.add("(left)");
            List<String> from = new ArrayList<>();
            from.add("(new)");
            from.addAll(p.tierNames());
            List<String> cols = new ArrayList<>();
            cols.add("from \\ to");
            cols.addAll(to);
            List<List<Object>> matrix = new ArrayList<>();
            for (String f : from) {
                List<Object> row = new ArrayList<>();
                row.add(f);
                for (String t : to) {
                    long n = 0;
                    for (Tiers.Movement mv : r.movements()) {
                        String mf = mv.from() == null ? "(new)" : mv.from();
                        String mt = mv.to() == null ? "(left)" : mv.to();
                        if (mf.equals(f) && mt.equals(t)) {
                            n += mv.customers();
                        }
                    }
                    row.add(n);
                }
                matrix.add(row);
            }
            TableOutput.print(new Table(cols, matrix), format, System.out);
        }
        return ExitCodes.OK;
    }
}
