package io.tiercube.engine.warehouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tiercube.engine.backend.Backend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The Parquet warehouse on disk: where each dataset lives, how a partition is replaced atomically,
 * and which views a query session sees.
 *
 * <pre>
 * customers/snapshot=2026-10-31/        usage/month=2026-10/day=2026-10-31/
 * complaints/month=2026-10/             rejects/&lt;dataset&gt;/&lt;partition&gt;/rejects.csv
 * cubes/&lt;cube&gt;/month=2026-10/          profiles/month=2026-10/
 * _runs/&lt;run-id&gt;.json                   _staging/ (work in progress, never read)
 * </pre>
 *
 * <p>Writers build a partition in a fresh directory under {@code _staging/} and call
 * {@link #commit}: two renames on one file system, so a reader (or a killed writer) sees the old
 * partition, the new one, or briefly none, never a mix. Partition directory names are layout only;
 * every partition's files carry their own date columns.
 */
public final class Warehouse {

    /** Datasets whose partitions are all read together (every partition is one slice of history). */
    private static final List<String> HISTORY_DATASETS = List.of("usage", "complaints", "profiles", "churn_scores");

    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Path root;
    private java.util.function.Consumer<Path> commitListener = p -> { };

    public Warehouse(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Called after every committed partition with its path (for logs and progress). */
    public Warehouse onCommit(java.util.function.Consumer<Path> listener) {
        this.commitListener = listener;
        return this;
    }

    public Path root() {
        return root;
    }

    public Path dataset(String name) {
        return root.resolve(name);
    }

    /** The months with a {@code usage/month=YYYY-MM} partition, oldest first (other directory names are ignored). */
    public List<YearMonth> usageMonths() {
        List<YearMonth> months = new ArrayList<>();
        for (Path p : partitions(dataset("usage"))) {
            String name = p.getFileName().toString();
            if (name.startsWith("month=")) {
                try {
                    months.add(YearMonth.parse(name.substring(6)));
                } catch (java.time.format.DateTimeParseException e) {
                    // not a month partition: not ours to judge
                }
            }
        }
        return months;
    }

    /**
     * A hash of a month's usage files: relative path, size and modification time of each. What is
     * derived from a month's usage (cube cells, customer-month spend) records it, and is stale once
     * it differs: a corrected or added day file changes it.
     */
    public String usageFingerprint(YearMonth month) {
        Path dir = monthPartition("usage", month);
        if (!Files.isDirectory(dir)) {
            return "none";
        }
        try (Stream<Path> s = Files.walk(dir)) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String line = dir.relativize(p) + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis() + "\n";
                md.update(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Registers the month's usage partition as the view {@code usage_YYYY_MM} and returns its name;
     * empty when the month holds no Parquet files. Partitions hold their month's rows only (ingest
     * rejects a row dated off its file's day). A step that reads some months reads their views: one
     * over the whole history lists, and for {@code union_by_name} schema-reads, every month's files.
     */
    public Optional<String> registerUsageMonth(io.tiercube.engine.backend.Backend backend, YearMonth month) {
        String view = "usage_" + month.toString().replace('-', '_');
        return backend.registerParquet(view, monthPartition("usage", month)) ? Optional.of(view) : Optional.empty();
    }

    public Path usageDay(LocalDate day) {
        return dataset("usage").resolve("month=" + YearMonth.from(day)).resolve("day=" + day);
    }

    public Path customersSnapshot(LocalDate day) {
        return dataset("customers").resolve("snapshot=" + day);
    }

    /** A month partition of a monthly dataset such as {@code profiles} or {@code cubes/usage}. */
    public Path monthPartition(String dataset, YearMonth month) {
        return dataset(dataset).resolve("month=" + month);
    }

    /** The directory holding {@code rejects.csv} for one partition of a dataset. */
    public Path rejects(String dataset, String partition) {
        return root.resolve("rejects").resolve(dataset).resolve(partition);
    }

    public Path runsDir() {
        return root.resolve("_runs");
    }

    /** A fresh, empty directory under {@code _staging/} for one job's work in progress. */
    public Path newStaging(String purpose) {
        Path p = root.resolve("_staging").resolve(purpose + "-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /**
     * Replaces {@code target} with {@code staged} (a directory, normally under {@code _staging/}).
     * When {@code staged} is null the target is removed.
     */
    public void commit(Path staged, Path target) {
        try {
            Files.createDirectories(target.getParent());
            Path trash = null;
            if (Files.exists(target)) {
                trash = newStaging("trash");
                Files.delete(trash);
                move(target, trash);
            }
            if (staged != null) {
                move(staged, target);
            }
            if (trash != null) {
                deleteTree(trash);
            }
            commitListener.accept(target);
        } catch (IOException e) {
            throw new UncheckedIOException("could not commit " + target + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the warehouse must be on one file system that supports atomic rename: " + from + " -> " + to, e);
        }
    }

    /** Removes work left in {@code _staging/} by killed runs. Call only while holding the writer lock. */
    public void clearStaging() {
        try {
            deleteTree(root.resolve("_staging"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest customers snapshot, if any. */
    public Optional<Path> latestCustomersSnapshot() {
        return partitions(dataset("customers")).stream().reduce((a, b) -> b);
    }

    /** The partition directories directly under a dataset directory, sorted by name. */
    public static List<Path> partitions(Path datasetDir) {
        if (!Files.isDirectory(datasetDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(datasetDir)) {
            return s.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().contains("="))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Exposes every committed dataset to a backend session as a view: {@code customers} (latest
     * snapshot), {@code usage}, {@code complaints}, {@code profiles}, and {@code cube_<name>} for each
     * built cube. Returns the names of the views created (datasets with no data yet are skipped).
     */
    public List<String> registerViews(Backend backend) {
        List<String> created = new ArrayList<>();
        Optional<Path> snapshot = latestCustomersSnapshot();
        if (snapshot.isPresent() && backend.registerParquet("customers", snapshot.get())) {
            created.add("customers");
        }
        for (String d : HISTORY_DATASETS) {
            if (backend.registerParquet(d, dataset(d))) {
                created.add(d);
            }
        }
        Path cubes = dataset("cubes");
        if (Files.isDirectory(cubes)) {
            try (Stream<Path> s = Files.list(cubes)) {
                for (Path c : s.filter(Files::isDirectory).sorted().toList()) {
                    String view = "cube_" + c.getFileName();
                    if (view.matches("[a-z][a-z0-9_]*") && backend.registerParquet(view, c)) {
                        created.add(view);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return created;
    }

    /**
     * Replaces a single file inside the warehouse atomically: written under {@code _staging/}, then
     * renamed into place, so a run killed while writing leaves the old file and a staged leftover that
     * the next writer clears (a temporary file beside the target would stay there for good). Call
     * only while holding the writer lock.
     */
    public void writeFile(Path target, byte[] content) {
        Path staging = newStaging("file");
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path tmp = staging.resolve(target.getFileName().toString());
            Files.write(tmp, content);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
        }
    }

    /** {@link #writeFile} for a JSON document. */
    public void writeJsonFile(Path target, Object value) {
        try {
            writeFile(target, JSON.writeValueAsBytes(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Writes a JSON document atomically (temporary file, then rename). */
    public static void writeJson(Path file, Object value) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
            JSON.writeValue(tmp.toFile(), value);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T readJson(Path file, Class<T> type) {
        try {
            return JSON.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes staging (or part of it) that nothing reads again. Best effort: what cannot be deleted now
     * is removed by the next writer's {@link #clearStaging()}.
     */
    public static void discardStaging(Path p) {
        try {
            deleteTree(p);
        } catch (IOException e) {
            // Left for the next writer's clearStaging().
        }
    }

    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
