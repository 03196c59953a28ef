package io.tiercube.engine.report;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.warehouse.RunManifest;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The monthly report: {@code index.html}, {@code report.md} and {@code summary.json} for one month,
 * written by default to {@code <warehouse>/reports/YYYY-MM/}.
 *
 * <p>Reads only: the warehouse views, the run manifests, partition markers and rejects files. It
 * takes no lock (the CLI command does, when it writes inside the warehouse; nightly holds it for
 * all its steps). Output depends only on the warehouse's content, so a rerun writes the same bytes.
 */
public final class Report {

    private Report() {
    }

    /** The default output directory for a month: {@code <warehouse>/reports/YYYY-MM}. */
    public static Path defaultDir(Warehouse wh, YearMonth month) {
        return wh.root().resolve("reports").resolve(month.toString());
    }

    /**
     * Writes the report of {@code month}.
     *
     * @param outDir where to write; null for {@link #defaultDir}
     * @throws io.tiercube.engine.UserError NOT_FOUND when the warehouse has no usage for the month
     */
    public static ReportResult write(Backend backend, Warehouse wh, YearMonth month, Path outDir) {
        return write(backend, wh, month, outDir, null);
    }

    /**
     * As {@link #write(Backend, Warehouse, YearMonth, Path)}, for nightly's last step: the data-quality
     * section describes {@code currentRun} (the run in progress) instead of the latest succeeded
     * nightly on record. Null means: read the manifests.
     */
    public static ReportResult write(Backend backend, Warehouse wh, YearMonth month, Path outDir, RunManifest currentRun) {
        return write(backend, wh, month, outDir, currentRun, section -> { });
    }

    /**
     * As {@link #write(Backend, Warehouse, YearMonth, Path, RunManifest)}, telling {@code progress}
     * the name of each section before it is gathered, then {@code "rendering"} before the files are
     * rendered and written (nightly's --verbose log).
     */
    public static ReportResult write(Backend backend, Warehouse wh, YearMonth month, Path outDir, RunManifest currentRun,
                                     java.util.function.Consumer<String> progress) {
        ReportData data = collect(backend, wh, month, currentRun, progress);
        progress.accept("rendering");
        List<String> summary = summaryLines(data);
        Path dir = (outDir == null ? defaultDir(wh, month) : outDir).toAbsolutePath().normalize();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("index.html", HtmlReport.render(data, summary));
        files.put("report.md", MarkdownReport.render(data, summary));
        files.put("summary.json", SummaryJson.render(data));
        if (dir.equals(defaultDir(wh, month).toAbsolutePath().normalize())) {
            // The warehouse's own report directory (the caller holds the writer lock): the three files
            // are staged together and the directory is replaced by one commit, so a reader, or a run
            // killed half-way, never sees a report whose files come from different runs or a torn file.
            Path staging = wh.newStaging("report-" + month);
            Path staged = staging.resolve("report");
            files.forEach((name, text) -> writeAtomically(staged.resolve(name), text));
            wh.commit(staged, dir);
            Warehouse.discardStaging(staging);
        } else {
            // A directory of the user's, which may hold other files: each file is replaced atomically.
            files.forEach((name, text) -> writeAtomically(dir.resolve(name), text));
        }
        return new ReportResult(month, dir, dir.resolve("index.html"), dir.resolve("report.md"), dir.resolve("summary.json"), summary);
    }

    /** Gathers every section's data from the warehouse. */
    static ReportData collect(Backend backend, Warehouse wh, YearMonth month, RunManifest currentRun) {
        return collect(backend, wh, month, currentRun, section -> { });
    }

    static ReportData collect(Backend backend, Warehouse wh, YearMonth month, RunManifest currentRun,
                              java.util.function.Consumer<String> progress) {
        List<String> views = wh.registerViews(backend);
        ReportQueries q = new ReportQueries(backend, wh, views);
        String through = q.requireMonth(month);
        progress.accept("trend");
        List<ReportData.MonthPoint> trend = q.trend(month);
        progress.accept("kpis");
        ReportData.Kpis kpis = q.kpis(month, trend);
        progress.accept("breakdowns");
        List<ReportData.Breakdown> breakdowns = q.breakdowns(month);
        Map<String, String> absent = new LinkedHashMap<>();
        Sections s = new Sections(backend, wh, views, month, absent, q);
        progress.accept("contributors");
        ReportData.Contributors contributors = s.contributors();
        progress.accept("tiers");
        ReportData.TierSection tiers = s.tiers();
        progress.accept("lifecycle");
        ReportData.LifecycleSection lifecycle = s.lifecycle();
        progress.accept("churn");
        ReportData.ChurnSection churn = s.churn();
        progress.accept("long tail");
        ReportData.LongTailSection longTail = s.longTail();
        progress.accept("data quality");
        ReportData.DataQuality quality = q.dataQuality(month, currentRun);
        return new ReportData(month, through, kpis, trend, breakdowns, contributors, tiers, lifecycle, churn, longTail, quality, absent);
    }

    /** Three lines: money and users; churn and the biggest mover; data quality. */
    static List<String> summaryLines(ReportData r) {
        String prev = r.month().minusMonths(1).toString();
        ReportData.Kpis k = r.kpis();
        List<String> out = new ArrayList<>();
        out.add(r.month() + ": revenue " + Fmt.money(k.revenue().value()) + " (" + Fmt.change(k.revenue().value(), k.revenue().previous())
                + " vs " + prev + "), " + Fmt.count(k.activeUsers().value()) + " active users ("
                + Fmt.change(k.activeUsers().value(), k.activeUsers().previous()) + "), ARPU " + Fmt.money(k.arpu().value()) + " ("
                + Fmt.change(k.arpu().value(), k.arpu().previous()) + ").");
        StringBuilder two = new StringBuilder();
        two.append(Fmt.count(k.churned().value())).append(k.churned().value() != null && k.churned().value().longValue() == 1
                ? " customer churned (" : " customers churned (").append(prev).append(": ")
                .append(Fmt.count(k.churned().previous())).append(")");
        if (r.churn() != null) {
            r.churn().bands().stream().filter(b -> b.band().equals("high")).findFirst()
                    .ifPresent(b -> two.append(", ").append(Fmt.count(b.customers())).append(" now at high risk"));
        }
        if (r.contributors() != null && !r.contributors().rows().isEmpty()) {
            ReportData.Contributor top = r.contributors().rows().stream()
                    .max(java.util.Comparator.comparingDouble((ReportData.Contributor x) -> Math.abs(x.contribution() == null ? 0 : x.contribution().doubleValue()))
                            .thenComparing(ReportData.Contributor::member, java.util.Comparator.reverseOrder()))
                    .get();
            two.append("; biggest mover ").append(top.level()).append(' ').append(top.member()).append(' ')
                    .append(HtmlReport.signedMoney(top.contribution()));
        } else {
            ReportData.Breakdown region = r.breakdowns().get(0);
            if (!region.members().isEmpty()) {
                ReportData.Member m = region.members().get(0);
                BigDecimal total = region.total();
                two.append("; largest region ").append(m.name()).append(" with ")
                        .append(Fmt.pct(total.signum() == 0 || m.revenue() == null ? null : m.revenue().doubleValue() / total.doubleValue()))
                        .append(" of revenue (").append(Fmt.change(m.revenue(), m.previous())).append(")");
            }
        }
        out.add(two.append('.').toString());
        ReportData.DataQuality q = r.quality();
        StringBuilder three = new StringBuilder("Data quality: ");
        List<String> parts = new ArrayList<>();
        for (ReportData.DatasetCounts c : q.datasets()) {
            parts.add(c.dataset() + " " + Fmt.count(c.read()) + " read, " + Fmt.count(c.rejected()) + " rejected");
        }
        three.append(parts.isEmpty() ? "no ingest on record" : String.join("; ", parts));
        if (!q.reasons().isEmpty()) {
            three.append(" (top reason: ").append(q.reasons().stream()
                    .max(java.util.Comparator.comparingLong(ReportData.ReasonCount::rows)).get().reason()).append(')');
        }
        three.append(q.latestNightly() == null ? "." : "; run " + q.latestNightly().runId() + ".");
        out.add(three.toString());
        return out;
    }

    private static void writeAtomically(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }
}
