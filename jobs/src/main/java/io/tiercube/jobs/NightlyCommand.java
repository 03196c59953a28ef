package io.tiercube.jobs;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.ingest.InputFolder;
import io.tiercube.engine.ingest.InputHashes;
import io.tiercube.engine.ingest.Ingestor;
import io.tiercube.engine.ingest.SourceMarker;
import io.tiercube.engine.warehouse.RunManifest;
import io.tiercube.engine.warehouse.Warehouse;
import io.tiercube.engine.warehouse.WriterLock;
import java.nio.charset.Charset;
import io.tiercube.engine.churn.ChurnJob;
import io.tiercube.engine.cube.CubeBuild;
import io.tiercube.engine.cube.CubeModel;
import io.tiercube.engine.report.Report;
import io.tiercube.engine.report.ReportResult;
import io.tiercube.engine.segment.Profiles;
import io.tiercube.engine.segment.SegmentSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.time.LocalDate;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The nightly batch: ingest every day up to D that is new or whose file changed, then the later
 * steps. Holds the writer lock for the whole run and writes a run manifest whatever the outcome.
 */
@Command(name = "nightly", mixinStandardHelpOptions = true,
        description = {"Runs the nightly job: ingests every usage day up to --date that is not yet in the warehouse",
            "or whose file changed since it was ingested (late or corrected drops), plus customers and complaints",
            "when they changed. A second run with nothing new finishes in seconds."})
final class NightlyCommand implements Callable<Integer> {

    @Mixin
    WarehouseOptions wh;

    @Option(names = "--data", defaultValue = "sample-data", description = "Input folder (default: ${DEFAULT-VALUE}); layout in docs/input-format.md.")
    Path data;

    @Option(names = "--date", description = "Business date to process up to (default: the last day present in the data).")
    LocalDate date;

    @Option(names = "--encoding", defaultValue = "UTF-8", description = "Encoding of the input CSV files: UTF-8 (default) or GBK.")
    String encoding;

    @Option(names = "--max-reject-rate", defaultValue = "0.05",
            description = "Fail (exit 3) when more than this fraction of a file's rows is rejected (default: ${DEFAULT-VALUE}).")
    double maxRejectRate;

    @Option(names = {"-v", "--verbose"}, description = "Log each step as it starts, each month it builds and every committed partition"
            + " (the crash tests kill the run at these lines).")
    boolean verbose;

    private ReportResult report;

    @Override
    public Integer call() {
        Charset cs = Ingestor.charset(encoding);
        InputFolder folder = new InputFolder(data);
        TreeMap<LocalDate, InputFolder.InputFile> days = folder.usageDays();
        if (days.isEmpty()) {
            throw new UserError(UserError.Kind.BAD_INPUT, data.resolve("usage") + ": no daily usage files (YYYY-MM-DD.csv, .csv.gz or .parquet)");
        }
        LocalDate d = date != null ? date : days.lastKey();
        Warehouse warehouse = wh.warehouse();
        if (verbose) {
            warehouse.onCommit(p -> log("committed " + warehouse.root().relativize(p)));
        }
        RunManifest manifest = new RunManifest("nightly --date " + d, wh.engineKind().id());
        long t0 = System.nanoTime();
        try (WriterLock lock = WriterLock.acquire(warehouse, "tiercube nightly --date " + d)) {
            lock.previousHolder().ifPresent(h -> log("nightly: took over the writer lock of a run that ended without releasing it ("
                    + h + "); its unfinished work was discarded"));
            try (Backend backend = wh.open()) {
                Ingestor ingestor = new Ingestor(backend, warehouse, cs, maxRejectRate, manifest.runId);
                step(manifest, "ingest", () -> {
                    ingest(folder, days.headMap(d, true), d, warehouse, ingestor, manifest);
                    return null;
                });
                YearMonth month = YearMonth.from(d);
                step(manifest, "cube", () -> {
                    buildCubes(backend, warehouse);
                    return null;
                });
                step(manifest, "churn", () -> {
                    warehouse.registerViews(backend);
                    vlog("churn: training when the model is missing or older than 30 days");
                    try {
                        ChurnJob.trainIfStale(backend, warehouse, month, ChurnJob.DEFAULT_HORIZON, Duration.ofDays(30))
                                .ifPresent(t -> log("churn: trained as of " + t.asOf() + " (" + t.rows() + " customers, "
                                        + t.positives() + " churned)"));
                    } catch (UserError notEnoughHistory) {
                        // A young warehouse cannot train yet (labels need the horizon's months); scoring waits for a model.
                        log("churn: not trained: " + notEnoughHistory.getMessage());
                    }
                    if (!Files.exists(ChurnJob.modelFile(warehouse))) {
                        log("churn: no model yet, scores skipped");
                        return null;
                    }
                    vlog("churn: scoring " + month);
                    ChurnJob.ScoreResult sr = ChurnJob.score(backend, warehouse, month);
                    log("churn: scored " + sr.customers() + " customers for " + month + " (" + sr.high() + " high risk)");
                    return null;
                });
                step(manifest, "profiles", () -> {
                    warehouse.registerViews(backend);
                    Path settingsFile = data.resolve("tiercube.yaml");
                    SegmentSettings settings = Files.isRegularFile(settingsFile) ? SegmentSettings.load(settingsFile) : SegmentSettings.defaults();
                    // Last month's profile first when it is missing: tier hysteresis and lifecycle transitions read it.
                    YearMonth prev = month.minusMonths(1);
                    if (!Files.isDirectory(warehouse.monthPartition("profiles", prev))) {
                        try {
                            vlog("profiles: building " + prev);
                            Profiles.build(backend, warehouse, settings, prev);
                            log("profiles: built " + prev + " too (previous month, for transitions)");
                        } catch (UserError noDataThatMonth) {
                            log("profiles: no " + prev + " to compare with: " + noDataThatMonth.getMessage());
                        }
                        warehouse.registerViews(backend);
                    }
                    vlog("profiles: building " + month);
                    Profiles.ProfileBuildResult pr = Profiles.build(backend, warehouse, settings, month);
                    log("profiles: " + pr.rows() + " customers for " + month + ", tiers " + pr.tierCounts());
                    return null;
                });
                report = step(manifest, "report", () -> {
                    return Report.write(backend, warehouse, month, null, manifest, section -> vlog("report: " + month + " " + section));
                });
            }
            manifest.finish(true, null);
        } catch (UserError e) {
            if (e.kind() != UserError.Kind.LOCKED) {
                manifest.finish(false, e.getMessage());
                manifest.save(warehouse);
            }
            throw e;
        } catch (RuntimeException e) {
            manifest.finish(false, e.toString());
            manifest.save(warehouse);
            throw e;
        }
        Path saved = manifest.save(warehouse);
        System.err.printf("nightly %s finished in %.1f s; run manifest %s%n", d, (System.nanoTime() - t0) / 1e9, saved);
        if (report != null) {
            System.out.println("report: " + report.html());
            report.summary().forEach(System.out::println);
        }
        manifest.datasets.forEach((k, c) -> System.out.printf("%-11s read %,d  accepted %,d  rejected %,d%n", k, c.read(), c.accepted(), c.rejected()));
        return ExitCodes.OK;
    }

    static void ingest(InputFolder folder, java.util.SortedMap<LocalDate, InputFolder.InputFile> days, LocalDate d,
                       Warehouse warehouse, Ingestor ingestor, RunManifest manifest) {
        InputHashes hashes = InputHashes.load(warehouse);
        InputFolder.InputFile customers = folder.customers();
        Optional<SourceMarker> latest = warehouse.latestCustomersSnapshot().flatMap(SourceMarker::read);
        RunManifest.Input cIn = hashes.hashed(customers);
        manifest.inputs.add(cIn);
        if (latest.isEmpty() || !latest.get().isFrom(cIn.sha256())) {
            log("ingest: customers (" + customers.name() + ") as snapshot " + d);
            manifest.addCounts("customers", ingestor.customers(customers, d).total());
        }
        TreeMap<LocalDate, InputFolder.InputFile> pending = new TreeMap<>();
        for (var e : days.entrySet()) {
            Optional<SourceMarker> m = SourceMarker.read(warehouse.usageDay(e.getKey()));
            RunManifest.Input in = hashes.hashed(e.getValue());
            manifest.inputs.add(in);
            if (m.isEmpty() || !m.get().isFrom(in.sha256())) {
                pending.put(e.getKey(), e.getValue());
            }
        }
        if (!pending.isEmpty()) {
            log("ingest: usage, " + pending.size() + " day file(s) from " + pending.firstKey() + " to " + pending.lastKey());
            try (Progress p = Progress.start("usage files", pending.size(), System.err)) {
                ingestor.onProgress(f -> p.step());
                manifest.addCounts("usage", ingestor.usage(pending).total());
            } finally {
                ingestor.onProgress(f -> { });
            }
        } else {
            log("ingest: usage up to date (" + days.size() + " day files)");
        }
        Optional<InputFolder.InputFile> complaints = folder.complaints();
        if (complaints.isPresent()) {
            Optional<SourceMarker> m = SourceMarker.read(warehouse.dataset("complaints"));
            RunManifest.Input in = hashes.hashed(complaints.get());
            manifest.inputs.add(in);
            if (m.isEmpty() || !m.get().isFrom(in.sha256())) {
                log("ingest: complaints (" + complaints.get().name() + ")");
                manifest.addCounts("complaints", ingestor.complaints(complaints.get(), d).total());
            }
        }
        hashes.save();
    }

    /** Rebuilds, for each cube model in the data folder's cubes/, only the months whose usage changed. */
    private void buildCubes(Backend backend, Warehouse warehouse) {
        Path dir = data.resolve("cubes");
        if (!Files.isDirectory(dir)) {
            log("cube: no cube models in " + dir);
            return;
        }
        try (var models = Files.list(dir)) {
            for (Path f : models.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                CubeModel model = CubeModel.load(f);
                List<YearMonth> months = CubeBuild.monthsNeedingBuild(warehouse, model);
                if (months.isEmpty()) {
                    log("cube: " + model.name() + " up to date");
                }
                for (YearMonth m : months) {
                    warehouse.registerViews(backend);
                    vlog("cube: building " + model.name() + " " + m);
                    CubeBuild.Result r = CubeBuild.build(backend, warehouse, model, m);
                    log("cube: " + model.name() + " " + m + " built (" + r.cuboids() + " cuboids, " + r.rows() + " rows)");
                }
                if (!CubeBuild.builtMonths(warehouse, model.name()).isEmpty()) {
                    // Also when nothing was built: a run killed after a month's commit may not have saved it.
                    CubeBuild.saveModelIfChanged(warehouse, model);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A step of the run, timed in the manifest and, with --verbose, announced as {@code step: NAME}. */
    private <T> T step(RunManifest manifest, String name, java.util.function.Supplier<T> work) {
        vlog("step: " + name);
        return manifest.step(name, work);
    }

    /** A line for --verbose only. */
    private void vlog(String line) {
        if (verbose) {
            log(line);
        }
    }

    static void log(String line) {
        System.err.println(line);
    }
}
