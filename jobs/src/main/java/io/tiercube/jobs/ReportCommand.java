package io.tiercube.jobs;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.report.Report;
import io.tiercube.engine.report.ReportResult;
import io.tiercube.engine.warehouse.Warehouse;
import io.tiercube.engine.warehouse.WriterLock;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes the monthly report (HTML page, Markdown, summary.json) for one month. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes the monthly report for one month: index.html (one self-contained page with charts,",
            "opens offline and prints), report.md (the same figures for chat and email) and summary.json",
            "(every headline number for automation). Sections: headline KPIs, revenue by region / product line /",
            "channel, top contributors to the change, VIP tiers, lifecycle, churn risk, long tail, data quality;",
            "a section whose data is not built yet says which command builds it.",
            "Prints the report's directory and a three-line summary."})
final class ReportCommand implements Callable<Integer> {

    @Mixin
    WarehouseOptions wh;

    @Option(names = "--month", description = "Month to report, YYYY-MM (default: the latest month with usage).")
    String month;

    @Option(names = "--out", description = "Output directory (default: <warehouse>/reports/YYYY-MM).")
    Path out;

    @Override
    public Integer call() {
        Warehouse warehouse = wh.warehouse();
        try (Backend b = wh.open()) {
            YearMonth m = month != null ? parse(month) : latestMonth(b, warehouse);
            Path dir = (out != null ? out : Report.defaultDir(warehouse, m)).toAbsolutePath().normalize();
            ReportResult r;
            if (dir.startsWith(warehouse.root())) {
                // Writing inside the warehouse: one writer at a time.
                try (WriterLock lock = WriterLock.acquire(warehouse, "tiercube report --month " + m)) {
                    r = Report.write(b, warehouse, m, dir);
                }
            } else {
                r = Report.write(b, warehouse, m, dir);
            }
            System.out.println("report: " + r.html());
            r.summary().forEach(System.out::println);
        }
        return ExitCodes.OK;
    }

    static YearMonth parse(String text) {
        try {
            return YearMonth.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new UserError(UserError.Kind.BAD_QUERY, "--month '" + text + "': expected YYYY-MM, e.g. 2026-10");
        }
    }

    private static YearMonth latestMonth(Backend b, Warehouse warehouse) {
        if (!warehouse.registerViews(b).contains("usage")) {
            throw new UserError(UserError.Kind.NOT_FOUND, "the warehouse " + warehouse.root()
                    + " has no usage yet: run 'tiercube nightly' first");
        }
        Object last = b.query("SELECT max(event_date) AS d FROM usage").scalar();
        return YearMonth.from(java.time.LocalDate.parse(last.toString()));
    }
}
