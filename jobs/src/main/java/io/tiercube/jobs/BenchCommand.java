package io.tiercube.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.ingest.InputFolder;
import io.tiercube.engine.ingest.Ingestor;
import io.tiercube.engine.warehouse.RunManifest;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times each nightly step against a plain-DuckDB-SQL baseline of the same work, in the same run on
 * the same data, and reports ratios (ours / baseline). Speed is measured here, never in unit tests.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks the nightly steps against plain DuckDB SQL doing the same core work.",
            "Prints seconds, rows/s, peak memory and the ratio to the baseline per step; --json writes them."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--customers", defaultValue = "200000", description = "Customers to generate (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--months", defaultValue = "1", description = "Months of usage to generate (default: ${DEFAULT-VALUE}).")
    int months;

    @Option(names = "--engine", defaultValue = "duckdb", description = "duckdb, spark or both (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--data", description = "Use this input folder instead of generating one.")
    Path data;

    @Option(names = "--work", defaultValue = "target/bench", description = "Scratch folder for data and warehouses (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--json", description = "Write every figure as JSON to this file.")
    Path json;

    @Option(names = "--seed", defaultValue = "7", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--memory-limit", description = "DuckDB memory limit, e.g. 12GB (default: 60% of RAM).")
    String memoryLimit;

    /** One timed step: ours and the baseline's seconds, rows, peak resident memory. */
    record StepTiming(double seconds, long rows, long peakRssMb, Double baselineSeconds) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seconds", round(seconds));
            m.put("rows_per_s", seconds > 0 ? Math.round(rows / seconds) : null);
            m.put("peak_rss_mb", peakRssMb);
            m.put("baseline_seconds", baselineSeconds == null ? null : round(baselineSeconds));
            m.put("ratio", baselineSeconds == null || baselineSeconds == 0 ? null : round(seconds / baselineSeconds));
            return m;
        }
    }

    @Override
    public Integer call() throws Exception {
        Path input = data != null ? data : work.resolve("data-c" + customers + "-m" + months);
        if (data == null && !Files.isDirectory(input.resolve("usage"))) {
            throw notBuilt("generating data (pass --data DIR)");
        }
        InputFolder folder = new InputFolder(input);
        List<Engine> engines = switch (engine.toLowerCase(Locale.ROOT)) {
            case "both" -> List.of(Engine.DUCKDB, Engine.SPARK);
            default -> List.of(Engine.parse(engine));
        };
        Baseline baseline = new Baseline(folder, work.resolve("baseline"), memoryLimit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", machine());
        Map<String, Object> perEngine = new LinkedHashMap<>();
        for (Engine e : engines) {
            Map<String, StepTiming> steps = runSteps(e, folder, baseline);
            Map<String, Object> s = new LinkedHashMap<>();
            steps.forEach((k, v) -> s.put(k, v.json()));
            perEngine.put(e.id(), s);
            print(e, steps);
        }
        Object first = perEngine.values().iterator().next();
        out.put("rows", baseline.usageRows());
        out.put("steps", first);
        if (perEngine.size() > 1) {
            out.put("engines", perEngine);
        }
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), out);
            System.err.println("bench: wrote " + json);
        }
        return ExitCodes.OK;
    }

    private Map<String, StepTiming> runSteps(Engine e, InputFolder folder, Baseline baseline) throws IOException {
        Path whDir = work.resolve("wh-" + e.id());
        Warehouse.deleteTree(whDir);
        Warehouse wh = new Warehouse(whDir);
        Map<String, StepTiming> steps = new LinkedHashMap<>();
        LocalDate last = folder.usageDays().lastKey();
        try (Backend b = e.open(new Engine.Options("local[*]", whDir.resolve("_tmp"), memoryLimit))) {
            Ingestor ing = new Ingestor(b, wh, StandardCharsets.UTF_8, 1.0, "bench");
            Memory.resetPeak();
            long t0 = System.nanoTime();
            ing.customers(folder.customers(), last);
            RunManifest.Counts usage = ing.usage(folder.usageDays()).total();
            folder.complaints().ifPresent(c -> ing.complaints(c, last));
            double s = (System.nanoTime() - t0) / 1e9;
            steps.put("ingest", new StepTiming(s, usage.read(), Memory.peakMb(), baseline.ingestSeconds()));
        }
        return steps;
    }

    private static void print(Engine e, Map<String, StepTiming> steps) {
        System.out.printf("%n%s%n%-10s %10s %12s %10s %10s %7s%n", e.id(), "step", "seconds", "rows/s", "peak MB", "baseline", "ratio");
        steps.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-10s %10.2f %12s %10d %10s %7s%n", k, v.seconds(),
                v.seconds() > 0 ? String.format(Locale.ROOT, "%,d", Math.round(v.rows() / v.seconds())) : "",
                v.peakRssMb(), v.baselineSeconds() == null ? "" : String.format(Locale.ROOT, "%.2f", v.baselineSeconds()),
                v.baselineSeconds() == null ? "" : String.format(Locale.ROOT, "%.2f", v.seconds() / v.baselineSeconds())));
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memory_gb", Math.round(((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize() / 1e9));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.version"));
        m.put("date", LocalDate.now().toString());
        return m;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Peak resident memory of this process, resettable between steps (Linux). */
    static final class Memory {
        private Memory() {
        }

        static void resetPeak() {
            try {
                Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            } catch (IOException | UnsupportedOperationException e) {
                // Not Linux, or not allowed: peaks then accumulate over the run.
            }
        }

        static long peakMb() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmHWM:")) {
                        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                    }
                }
            } catch (IOException e) {
                return -1;
            }
            return -1;
        }
    }

    /** The same core work written straightforwardly in plain DuckDB SQL, timed once per run. */
    static final class Baseline {
        private final InputFolder folder;
        private final Path dir;
        private final String memoryLimit;
        private Double ingest;
        private long usageRows = -1;

        Baseline(InputFolder folder, Path dir, String memoryLimit) {
            this.folder = folder;
            this.dir = dir;
            this.memoryLimit = memoryLimit;
        }

        long usageRows() {
            return usageRows;
        }

        /** {@code read_csv} of every day file into one Parquet file: what a hand-written load does. */
        double ingestSeconds() {
            if (ingest == null) {
                try (Backend b = Engine.DUCKDB.open(new Engine.Options(null, dir.resolve("_tmp"), memoryLimit))) {
                    Warehouse.deleteTree(dir.resolve("usage.parquet"));
                    Files.createDirectories(dir);
                    List<String> files = new ArrayList<>();
                    folder.usageDays().values().forEach(f -> files.add("'" + f.path().toAbsolutePath() + "'"));
                    long t0 = System.nanoTime();
                    b.execute("COPY (SELECT * FROM read_csv([" + String.join(", ", files) + "], header = true, ignore_errors = true)) TO '"
                            + dir.resolve("usage.parquet").toAbsolutePath() + "' (FORMAT parquet)");
                    ingest = (System.nanoTime() - t0) / 1e9;
                    usageRows = b.query("SELECT count(*) FROM read_parquet('" + dir.resolve("usage.parquet").toAbsolutePath() + "')").scalarLong();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return ingest;
        }
    }

    static UserError notBuilt(String what) {
        return new UserError(UserError.Kind.BAD_CONFIG, "bench: " + what + " is not built yet");
    }
}
