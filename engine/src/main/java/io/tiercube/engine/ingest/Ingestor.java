package io.tiercube.engine.ingest;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.RunManifest;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Validated ingest of input files into the warehouse. Every row read is either accepted into a
 * partition or written to that partition's {@code rejects.csv} with file, line, field and reason;
 * the counts are reconciled per file before anything is committed. Partitions are replaced whole
 * (re-ingesting a day replaces that day), and a file whose reject rate exceeds the limit is not
 * loaded at all: its rejects are written so the analyst can see why, and the run fails.
 *
 * <p>The caller holds the warehouse's writer lock.
 */
public final class Ingestor {

    /** Outcome of ingesting one dataset: counts per input file and for the whole batch. */
    public record Result(Dataset dataset, Map<String, RunManifest.Counts> perFile, RunManifest.Counts total,
                         List<RunManifest.Input> inputs) {
    }

    private final Backend backend;
    private final Warehouse warehouse;
    private final Charset charset;
    private final double maxRejectRate;
    private final String runId;
    private Consumer<String> progress = s -> { };

    /**
     * @param maxRejectRate fraction of a file's rows that may be rejected before the file fails (0–1)
     * @param runId recorded in each partition's {@code _SOURCE.json}
     */
    public Ingestor(Backend backend, Warehouse warehouse, Charset charset, double maxRejectRate, String runId) {
        if (maxRejectRate < 0 || maxRejectRate > 1) {
            throw new UserError(UserError.Kind.BAD_QUERY, "--max-reject-rate must be a fraction between 0 and 1, got " + maxRejectRate);
        }
        this.backend = backend;
        this.warehouse = warehouse;
        this.charset = charset;
        this.maxRejectRate = maxRejectRate;
        this.runId = runId;
        this.groupRows = Math.min(GROUP_ROWS, Math.max(1, backend.memoryBudget() / 5 * 2 / CHECKED_ROW_BYTES));
    }

    /** Receives one line per file normalised, for progress displays. */
    public Ingestor onProgress(Consumer<String> listener) {
        this.progress = listener;
        return this;
    }

    /** Resolves an {@code --encoding} name; unknown names are a clear input error. */
    public static Charset charset(String name) {
        try {
            return name == null ? StandardCharsets.UTF_8 : Charset.forName(name.trim());
        } catch (IllegalArgumentException e) {
            throw new UserError(UserError.Kind.BAD_INPUT, "unknown encoding '" + name + "': use UTF-8 (default) or GBK");
        }
    }

    /** Ingests the customers file as the snapshot of {@code snapshot}. */
    public Result customers(InputFolder.InputFile file, LocalDate snapshot) {
        Path stage = warehouse.newStaging("ingest-customers");
        try {
            Validation v = Validation.customers(backend.dialect(), snapshot);
            Batch batch = prepare(stage, Dataset.CUSTOMERS, Map.of(file, ""), v, null, List.of(), List.of());
            Result r = batch.finish("snapshot=" + snapshot);
            Path data = stage.resolve("data");
            mkdirs(data);
            batch.commitRejects("snapshot=" + snapshot);
            new SourceMarker("customers", r.inputs, r.total.read(), r.total.accepted(), r.total.rejected(), backend.name(), runId).write(data);
            warehouse.commit(data, warehouse.customersSnapshot(snapshot));
            return r;
        } finally {
            Warehouse.discardStaging(stage);
        }
    }

    /** Ingests the complaints file (all of it: the dataset is replaced), as of a date. */
    public Result complaints(InputFolder.InputFile file, LocalDate asOf) {
        Path stage = warehouse.newStaging("ingest-complaints");
        try {
            String known = knownCustomers();
            Validation v = Validation.complaints(backend.dialect(), known, asOf);
            Batch batch = prepare(stage, Dataset.COMPLAINTS, Map.of(file, ""), v, null,
                    List.of(backend.dialect().formatMonth("t_opened_at") + " AS month"), List.of("month"));
            Result r = batch.finish("all");
            Path data = stage.resolve("data");
            mkdirs(data);
            batch.commitRejects("all");
            new SourceMarker("complaints", r.inputs, r.total.read(), r.total.accepted(), r.total.rejected(), backend.name(), runId).write(data);
            warehouse.commit(data, warehouse.dataset("complaints"));
            return r;
        } finally {
            Warehouse.discardStaging(stage);
        }
    }

    /** Ingests daily usage files, replacing each day's partition. Duplicates are checked across days. */
    public Result usage(SortedMap<LocalDate, InputFolder.InputFile> days) {
        if (days.isEmpty()) {
            return new Result(Dataset.USAGE, Map.of(), new RunManifest.Counts(0, 0, 0), List.of());
        }
        Path stage = warehouse.newStaging("ingest-usage");
        try {
            return usage(days, stage);
        } finally {
            Warehouse.discardStaging(stage);
        }
    }

    private Result usage(SortedMap<LocalDate, InputFolder.InputFile> days, Path stage) {
        String known = knownCustomers();
        // Keys already in the warehouse are looked up in the batch's own months only: the cost of a
        // nightly run follows the month it loads, not the length of the history (docs/input-format.md).
        List<String> monthViews = new ArrayList<>();
        for (YearMonth m : days.keySet().stream().map(YearMonth::from).distinct().toList()) {
            String view = "wh_usage_" + m.toString().replace('-', '_');
            if (backend.registerParquet(view, warehouse.monthPartition("usage", m))) {
                monthViews.add("SELECT record_id, event_date FROM " + view);
            }
        }
        String existing = null;
        if (!monthViews.isEmpty()) {
            String replaced = days.keySet().stream().map(d -> "DATE '" + d + "'").collect(Collectors.joining(", "));
            backend.createView("existing_keys", "SELECT record_id AS k FROM (" + String.join(" UNION ALL ", monthViews)
                    + ") u WHERE event_date NOT IN (" + replaced + ")");
            existing = "existing_keys";
        }
        Map<InputFolder.InputFile, String> files = new LinkedHashMap<>();
        days.forEach((d, f) -> files.put(f, d.toString()));
        Validation v = Validation.usage(backend.dialect(), known);
        // Split by the file's day (an accepted row's event time is on it): formatting every event
        // time into month and day text cost more than the write itself.
        Batch batch = prepare(stage, Dataset.USAGE, files, v, existing, List.of("c.src_no"), List.of(SPLIT_BY_FILE));
        Map<String, RunManifest.Counts> perFile = new LinkedHashMap<>();
        RunManifest.Counts total = new RunManifest.Counts(0, 0, 0);
        List<RunManifest.Input> inputs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (var e : days.entrySet()) {
            LocalDate day = e.getKey();
            InputFolder.InputFile f = e.getValue();
            try {
                Result r = batch.finishFile(f, day.toString());
                perFile.putAll(r.perFile);
                total = total.plus(r.total);
                inputs.addAll(r.inputs);
            } catch (UserError dq) {
                if (dq.kind() != UserError.Kind.DATA_QUALITY) {
                    throw dq;
                }
                failures.add(dq.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new UserError(UserError.Kind.DATA_QUALITY, String.join("\n", failures));
        }
        return new Result(Dataset.USAGE, perFile, total, inputs);
    }

    private String knownCustomers() {
        var snap = warehouse.latestCustomersSnapshot();
        if (snap.isEmpty() || !backend.registerParquet("known_customers", snap.get())) {
            throw new UserError(UserError.Kind.BAD_INPUT, "no customers in the warehouse yet: customers.csv must be ingested before usage and complaints");
        }
        return "known_customers";
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As a partition column of {@link #prepare}: one data directory per input file, {@code src_day=<its day>}. */
    private static final String SPLIT_BY_FILE = "src_no";

    /**
     * Rows checked together at most (more when one file has more), and fewer where 40 % of the
     * engine's memory budget would not hold them. DuckDB holds a checked row in ≈ 180 bytes:
     * 25 M rows are ≈ 4.5 GB. A month at 100 M rows held at once (17.6 GB) spilled past a 12 GB
     * limit, and every reader of the checked rows paid for it.
     */
    static final long GROUP_ROWS = 25_000_000L;
    private static final long CHECKED_ROW_BYTES = 180;

    private long groupRows;

    /** For tests: check fewer rows together, so that small inputs are split into several groups. */
    Ingestor groupRows(long rows) {
        this.groupRows = rows;
        return this;
    }

    /** The files' positions, in order, cut into runs of at most {@link #groupRows} records (one file at least). */
    private List<List<Integer>> groups(List<Long> records) {
        List<List<Integer>> groups = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        long rows = 0;
        for (int i = 0; i < records.size(); i++) {
            if (!current.isEmpty() && rows + records.get(i) > groupRows) {
                groups.add(current);
                current = new ArrayList<>();
                rows = 0;
            }
            current.add(i);
            rows += records.get(i);
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    private Batch prepare(Path stage, Dataset ds, Map<InputFolder.InputFile, String> files, Validation v, String existing,
                          List<String> partitionExprs, List<String> partitionCols) {
        Path norm = stage.resolve("norm");
        Path structural = stage.resolve("structural");
        mkdirs(norm);
        mkdirs(structural);
        Map<InputFolder.InputFile, CsvNormalizer.Counts> counts = new LinkedHashMap<>();
        Map<InputFolder.InputFile, String> hashes = new LinkedHashMap<>();
        List<InputFolder.InputFile> inputs = new ArrayList<>(files.keySet());
        List<String> names = normalize(ds, files, norm, structural, counts, hashes);
        Map<String, Path> rejectsByPartition = new LinkedHashMap<>();
        List<List<Integer>> groups = groups(inputs.stream().map(f -> counts.get(f).records()).toList());
        for (int g = 0; g < groups.size(); g++) {
            List<Integer> group = groups.get(g);
            Map<InputFolder.InputFile, String> groupFiles = new LinkedHashMap<>();
            group.forEach(i -> groupFiles.put(inputs.get(i), files.get(inputs.get(i))));
            backend.registerCsvFiles("in_raw", group.stream().map(i -> norm.resolve(names.get(i))).toList(),
                    CsvNormalizer.outputColumns(ds.columns()), "src_no");
            backend.registerCsvFiles("in_structural", group.stream().map(i -> structural.resolve(names.get(i))).toList(),
                    CsvNormalizer.REJECT_COLUMNS, "src_no");
            registerFiles(stage.resolve("files-" + g + ".csv"), groupFiles);
            // A key accepted by an earlier group is an earlier row: the later one is a duplicate, as
            // with keys already in the warehouse (the same rejects, in one group or several).
            String groupExisting = existing;
            if (g > 0 && backend.registerParquet("staged_keys", stage.resolve("data"))) {
                backend.createView("group_existing", "SELECT " + ds.key() + " AS k FROM staged_keys"
                        + (existing == null ? "" : " UNION ALL SELECT k FROM " + existing));
                groupExisting = "group_existing";
            }
            Path rejectsDir = stage.resolve("rejects").resolve("group=" + g);
            // The rules run once, into the engine's own storage; duplicates, accepted rows and rejects are
            // then read from it. A Parquet copy cost twice as much to write (compression) as the rules.
            try {
                backend.materialize("in_checked", v.checked("in_raw", "in_files"));
                Object[] keyRange = {};
                if (groupExisting != null) {
                    Table r = backend.query(v.passingKeyRange("in_checked"));
                    // With no passing row there is nothing to repeat: an empty range finds no earlier key.
                    keyRange = new Object[] {Objects.toString(r.getString(0, "lo"), ""), Objects.toString(r.getString(0, "hi"), "")};
                }
                backend.materialize("in_duplicates", v.duplicates("in_checked", groupExisting), keyRange);
                String accepted = v.accepted("in_checked", "in_duplicates", "in_files", partitionExprs);
                if (partitionCols.equals(List.of(SPLIT_BY_FILE))) {
                    Map<Integer, Path> dirs = new LinkedHashMap<>();
                    for (String day : groupFiles.values()) {
                        dirs.put(dirs.size(), stage.resolve("data").resolve("src_day=" + day));
                    }
                    backend.writeParquetSplit(accepted, SPLIT_BY_FILE, dirs);
                } else {
                    backend.writeParquet(accepted, stage.resolve("data"), partitionCols);
                }
                // Usage rejects are split by day (one rejects.csv per day partition); the other datasets have one file.
                backend.writeParquet(v.rejects("in_checked", "in_duplicates", "in_structural", "in_files"), rejectsDir,
                        ds == Dataset.USAGE ? List.of("src_day") : List.of());
            } finally {
                // A copy of every input row: freed before the next group, dataset or step, even when this one failed.
                backend.release("in_checked");
                backend.release("in_duplicates");
            }
            if (ds == Dataset.USAGE) {
                groupFiles.values().forEach(day -> rejectsByPartition.put("day=" + day, rejectsDir.resolve("src_day=" + day)));
            } else {
                rejectsByPartition.put(null, rejectsDir);
            }
            // The normalised copies are the size of the input, uncompressed: gone as soon as they are read.
            group.forEach(i -> Warehouse.discardStaging(norm.resolve(names.get(i))));
        }
        Map<String, Long> accepted = countBy("st_accepted", stage.resolve("data"), "src_file");
        Map<String, Long> rejected = countBy("st_rejects", stage.resolve("rejects"), "file");
        Warehouse.discardStaging(norm);
        Warehouse.discardStaging(structural);
        return new Batch(stage, ds, counts, hashes, accepted, rejected, rejectsByPartition);
    }

    /**
     * The Java pass over every file, in parallel: each file's normalised copy and structural rejects
     * under {@code norm} and {@code structural} by the returned names (in the order of {@code files}),
     * its counts and its SHA-256.
     */
    private List<String> normalize(Dataset ds, Map<InputFolder.InputFile, String> files, Path norm, Path structural,
                                   Map<InputFolder.InputFile, CsvNormalizer.Counts> counts,
                                   Map<InputFolder.InputFile, String> hashes) {
        List<String> names = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
        try {
            Map<InputFolder.InputFile, Future<CsvNormalizer.Counts>> futures = new LinkedHashMap<>();
            Map<InputFolder.InputFile, Future<String>> hashFutures = new LinkedHashMap<>();
            for (var e : files.entrySet()) {
                String n = String.format(Locale.ROOT, "%06d.csv", names.size());
                names.add(n);
                InputFolder.InputFile f = e.getKey();
                futures.put(f, pool.submit(() -> {
                    CsvNormalizer.Counts c = new CsvNormalizer(f.path(), f.name(), charset, ds.columns(), e.getValue())
                            .normalize(norm.resolve(n), structural.resolve(n));
                    progress.accept(f.name());
                    return c;
                }));
                hashFutures.put(f, pool.submit(f::sha256));
            }
            for (var e : futures.entrySet()) {
                counts.put(e.getKey(), e.getValue().get());
                hashes.put(e.getKey(), hashFutures.get(e.getKey()).get());
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        return names;
    }

    /**
     * Registers {@code in_files}: the input files as rows (src_no, src_file, src_day) numbered in the
     * order of {@code files}, as in in_raw. Written as data, not SQL text: file names are the user's.
     */
    private void registerFiles(Path csv, Map<InputFolder.InputFile, String> files) {
        try (java.io.Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            CsvNormalizer.writeRow(w, List.of("src_no", "src_file", "src_day"));
            int n = 0;
            for (var e : files.entrySet()) {
                CsvNormalizer.writeRow(w, List.of(Integer.toString(n++), e.getKey().name(), e.getValue()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        backend.registerCsv("in_files_text", csv, List.of("src_no", "src_file", "src_day"));
        backend.createView("in_files", "SELECT CAST(src_no AS INT) AS src_no, src_file, COALESCE(src_day, '') AS src_day FROM in_files_text");
    }

    private Map<String, Long> countBy(String view, Path dir, String column) {
        Map<String, Long> m = new LinkedHashMap<>();
        if (backend.registerParquet(view, dir)) {
            Table t = backend.query("SELECT " + column + " AS f, count(*) AS n FROM " + view + " GROUP BY " + column);
            for (int i = 0; i < t.size(); i++) {
                m.put(t.getString(i, "f"), t.getLong(i, "n"));
            }
        }
        return m;
    }

    /** A dataset staged for commit: everything validated, counted, nothing visible yet. */
    private final class Batch {
        final Path stage;
        final Dataset ds;
        final Map<InputFolder.InputFile, CsvNormalizer.Counts> counts;
        final Map<InputFolder.InputFile, String> hashes;
        final Map<String, Long> accepted;
        final Map<String, Long> rejected;
        /** Where each rejects partition's rows were staged ("day=D" for usage, null for the others). */
        final Map<String, Path> rejectsByPartition;

        Batch(Path stage, Dataset ds, Map<InputFolder.InputFile, CsvNormalizer.Counts> counts,
              Map<InputFolder.InputFile, String> hashes, Map<String, Long> accepted, Map<String, Long> rejected,
              Map<String, Path> rejectsByPartition) {
            this.stage = stage;
            this.ds = ds;
            this.counts = counts;
            this.hashes = hashes;
            this.accepted = accepted;
            this.rejected = rejected;
            this.rejectsByPartition = rejectsByPartition;
        }

        /** Checks a single-file dataset; {@code rejectsPartition} names where its rejects go. */
        Result finish(String rejectsPartition) {
            InputFolder.InputFile f = counts.keySet().iterator().next();
            return check(f, rejectsPartition);
        }

        /** Checks one usage day, then commits its rejects and its partition. */
        Result finishFile(InputFolder.InputFile f, String day) {
            Result r = check(f, "day=" + day);
            commitRejects("day=" + day);
            LocalDate d = LocalDate.parse(day);
            Path data = stage.resolve("data").resolve("src_day=" + d);
            mkdirs(data);
            new SourceMarker(ds.id(), r.inputs, r.total.read(), r.total.accepted(), r.total.rejected(), backend.name(), runId).write(data);
            warehouse.commit(data, warehouse.usageDay(d));
            return r;
        }

        private Result check(InputFolder.InputFile f, String rejectsPartition) {
            long read = counts.get(f).records();
            long acc = accepted.getOrDefault(f.name(), 0L);
            long rej = rejected.getOrDefault(f.name(), 0L);
            if (read != acc + rej) {
                throw new IllegalStateException("reconciliation failed for " + f.name() + ": read " + read + " but accepted "
                        + acc + " + rejected " + rej);
            }
            RunManifest.Counts c = new RunManifest.Counts(read, acc, rej);
            Result r = new Result(ds, Map.of(f.name(), c), c, List.of(new RunManifest.Input(f.name(), hashes.get(f))));
            if (read > 0 && (double) rej / read > maxRejectRate) {
                commitRejects(rejectsPartition);
                String top = topReason(f.name());
                throw new UserError(UserError.Kind.DATA_QUALITY, String.format(Locale.ROOT,
                        "%s: %d of %d rows rejected (%.1f %%), above the limit of %.1f %% (--max-reject-rate %s); most common reason: %s%s. "
                                + "Nothing from this file was loaded; its rejected rows are listed under %s",
                        f.name(), rej, read, 100.0 * rej / read, 100.0 * maxRejectRate, maxRejectRate, top,
                        "encoding".equals(top) && charset.equals(StandardCharsets.UTF_8) ? " (if the file is GBK, pass --encoding GBK)" : "",
                        warehouse.root().relativize(warehouse.rejects(ds.id(), rejectsPartition))));
            }
            return r;
        }

        private String topReason(String file) {
            Table t = backend.query("SELECT reason, count(*) AS n FROM st_rejects WHERE file = ? GROUP BY reason ORDER BY n DESC, reason", file);
            return t.size() == 0 ? "none" : t.getString(0, "reason");
        }

        /** Replaces a partition's rejects.csv with this batch's rejects for it (or removes it when there are none). */
        void commitRejects(String partition) {
            Path staged = stage.resolve("rejects-csv").resolve(partition);
            Path part = rejectsByPartition.get(ds == Dataset.USAGE ? partition : null);
            Path target = warehouse.rejects(ds.id(), partition);
            if (part != null && backend.registerParquet("st_rejects_part", part)) {
                mkdirs(staged);
                backend.writeCsv("SELECT file, line, field, reason, raw, detail FROM st_rejects_part"
                        + " ORDER BY file, line NULLS LAST, field", staged.resolve("rejects.csv"));
                warehouse.commit(staged, target);
            } else {
                warehouse.commit(null, target);
            }
        }
    }
}
