package io.tiercube.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.ingest.InputFolder;
import io.tiercube.engine.ingest.Ingestor;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.tiercube.engine.churn.ChurnJob;
import io.tiercube.engine.cube.CubeBuild;
import io.tiercube.engine.cube.CubeModel;
import io.tiercube.engine.cube.DrillQuery;
import io.tiercube.engine.report.Report;
import io.tiercube.engine.segment.LongTail;
import io.tiercube.engine.segment.Profiles;
import io.tiercube.engine.segment.SegmentSettings;
import java.time.LocalDate;
import java.time.YearMonth;
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

    @Option(names = "--memory-limit", description = "DuckDB memory limit, e.g. 12GB (default: 60%% of RAM).")
    String memoryLimit;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--naive-cube", defaultValue = "auto", description = {
        "Time the naive SQL of the model's own cuboids as the cube's baseline: auto (up to 50 M usage rows),",
        "always or never (default: ${DEFAULT-VALUE}). At 98 M rows it spilled 70 GB and filled the disk."})
    String naiveCube;

    /** Above this many usage rows, {@code --naive-cube auto} skips the naive SQL of the model's cuboids. */
    static final long NAIVE_MODEL_CUBE_MAX_ROWS = 50_000_000L;

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
        if (!List.of("auto", "always", "never").contains(naiveCube.toLowerCase(Locale.ROOT))) {
            // Checked before the data is generated and ingested, not an hour later.
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--naive-cube must be auto, always or never, got " + naiveCube);
        }
        Path input = data != null ? data : work.resolve("data-c" + customers + "-m" + months);
        if (data == null && !Files.isDirectory(input.resolve("usage"))) {
            System.err.println("bench: generating " + customers + " customers x " + months + " month(s) into " + input);
            io.tiercube.engine.generate.DataGenerator.generate(
                    io.tiercube.engine.generate.GeneratorSettings.of(customers, months).withSeed(seed), input, true, null);
        }
        InputFolder folder = new InputFolder(input);
        List<Engine> engines = switch (engine.toLowerCase(Locale.ROOT)) {
            case "both" -> List.of(Engine.DUCKDB, Engine.SPARK);
            default -> List.of(Engine.parse(engine));
        };
        BenchBaseline baseline = new BenchBaseline(folder, work.resolve("baseline"), memoryLimit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", machine());
        Map<String, Object> perEngine = new LinkedHashMap<>();
        for (Engine e : engines) {
            Map<String, StepTiming> steps = runSteps(e, folder, baseline);
            Map<String, Object> s = new LinkedHashMap<>();
            steps.forEach((k, v) -> s.put(k, v.json()));
            perEngine.put(e.id(), s);
        }
        Object first = perEngine.values().iterator().next();
        out.put("rows", baseline.usageRows());
        out.put("steps", first);
        if (drill != null) {
            out.put("drill", drill);
            System.out.printf("%ndrill: %s%n", drill);
        }
        if (perEngine.size() > 1) {
            out.put("engines", perEngine);
        }
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), out);
            System.err.println("bench: wrote " + json);
        }
        return ExitCodes.OK;
    }

    private Map<String, StepTiming> runSteps(Engine e, InputFolder folder, BenchBaseline baseline) throws IOException {
        Path whDir = work.resolve("wh-" + e.id());
        Warehouse.deleteTree(whDir);
        Warehouse wh = new Warehouse(whDir);
        Map<String, StepTiming> steps = new LinkedHashMap<>();
        LocalDate last = folder.usageDays().lastKey();
        YearMonth month = YearMonth.from(last);
        System.out.printf("%n%s%n%-10s %10s %12s %10s %10s %7s%n", e.id(), "step", "seconds", "rows/s", "peak MB", "baseline", "ratio");
        try (Backend b = e.open(new Engine.Options("local[*]", whDir.resolve("_tmp"), memoryLimit))) {
            Ingestor ing = new Ingestor(b, wh, StandardCharsets.UTF_8, 1.0, "bench");
            long[] rows = new long[1];
            // Ingest runs once: a second run would be a rerun (partitions replaced), a different job.
            step(steps, "ingest", () -> {
                ing.customers(folder.customers(), last);
                rows[0] = ing.usage(folder.usageDays()).total().read();
                folder.complaints().ifPresent(c -> ing.complaints(c, last));
            }, false, () -> rows[0], baseline::ingestSeconds);
            Path modelFile = folder.dir().resolve("cubes/usage.yaml");
            CubeModel model = CubeModel.load(Files.isRegularFile(modelFile) ? modelFile : Path.of("sample-data/cubes/usage.yaml"));
            boolean naiveModelCube = switch (naiveCube.toLowerCase(Locale.ROOT)) {
                case "always" -> true;
                case "never" -> false;
                default -> baseline.usageRows() <= NAIVE_MODEL_CUBE_MAX_ROWS; // auto
            };
            if (!naiveModelCube) {
                System.err.println("bench: the naive SQL of the model's cuboids is not timed at " + baseline.usageRows()
                        + " usage rows (--naive-cube " + naiveCube + "; auto times it up to " + NAIVE_MODEL_CUBE_MAX_ROWS + "): cube has no baseline");
            }
            step(steps, "cube", () -> buildCube(b, wh, model), true, () -> rows[0],
                    () -> naiveModelCube ? baseline.cubeSeconds(model) : null);
            // The reference cube, region x product x channel, beside the model's own cuboids.
            CubeModel threeDims = CubeModel.parse(THREE_DIMENSION_CUBE, work.resolve("bench_rpc.yaml"));
            step(steps, "cube_rpc", () -> buildCube(b, wh, threeDims), true, () -> rows[0], () -> baseline.cubeSeconds(threeDims));
            step(steps, "churn", () -> {
                wh.registerViews(b);
                try {
                    ChurnJob.trainIfStale(b, wh, month, ChurnJob.DEFAULT_HORIZON, java.time.Duration.ofDays(30));
                } catch (UserError tooFewMonths) {
                    System.err.println("bench: churn training skipped: " + tooFewMonths.getMessage());
                }
                if (Files.exists(ChurnJob.modelFile(wh))) {
                    ChurnJob.score(b, wh, month);
                }
            }, false, () -> rows[0], null); // once: a second run would find the model fresh and only score
            // The first build stores the month's sums (when churn scoring has not); later builds would read
            // them: each repeat starts from the state the first one found, so all three sum the month.
            Path monthSums = wh.monthPartition("customer_months", month);
            boolean summedBefore = Files.isDirectory(monthSums);
            step(steps, "profiles", () -> {
                if (!summedBefore) {
                    try {
                        Warehouse.deleteTree(monthSums);
                    } catch (IOException ex) {
                        throw new java.io.UncheckedIOException(ex);
                    }
                }
                wh.registerViews(b);
                Profiles.build(b, wh, SegmentSettings.defaults(), month);
            }, true, () -> rows[0], baseline::profileSeconds);
            step(steps, "longtail", () -> {
                wh.registerViews(b);
                LongTail.compute(b, wh, month, null);
            }, true, () -> rows[0], null);
            step(steps, "report", () -> {
                wh.registerViews(b);
                Report.write(b, wh, month, null);
            }, true, () -> rows[0], null);
            double ours = steps.entrySet().stream().filter(s -> !s.getKey().equals("cube_rpc")).mapToDouble(s -> s.getValue().seconds()).sum();
            Double cubeBase = steps.get("cube").baselineSeconds();
            Double profileBase = baseline.profileSeconds();
            Double base = cubeBase == null || profileBase == null ? null : baseline.ingestSeconds() + cubeBase + profileBase;
            long peak = steps.values().stream().mapToLong(StepTiming::peakRssMb).max().orElse(-1);
            steps.put("nightly", new StepTiming(ours, rows[0], peak, base));
            printRow("nightly", steps.get("nightly"));
            if (e == Engine.DUCKDB) {
                drill = drills(b, wh, model, month);
                drill.put("cli_wall_ms", cliWallMs(whDir, month));
            }
        }
        return steps;
    }

    /**
     * The cube of the measured facts: region (to the city), product line and channel type,
     * revenue, events and exact users. Not part of the nightly: it shows the plan on a small cube.
     */
    static final String THREE_DIMENSION_CUBE = """
            name: bench_rpc
            description: Revenue and users by city, product line and channel type (bench only).
            dimensions:
              time: [month]
              region: [province, city]
              product: [line: service]
              channel: [type: channel_type]
            measures:
              revenue: {agg: sum, expr: charge, unit: money}
              events: {agg: count}
              users: {agg: count_distinct, expr: customer_id}
            customer_attributes: [region, channel]
            aggregates:
              - [region.city, product.line, channel.type]
            """;

    private static void buildCube(Backend b, Warehouse wh, CubeModel model) {
        wh.registerViews(b);
        for (YearMonth m : CubeBuild.sourceMonths(wh)) {
            CubeBuild.build(b, wh, model, m);
        }
    }

    /** Times a step; a short repeatable one runs three times and reports the median. */
    private void step(Map<String, StepTiming> steps, String name, Runnable body, boolean repeatable,
            java.util.function.LongSupplier rows, java.util.function.Supplier<Double> baseline) {
        StepTiming first = timed(body, baseline);
        StepTiming t = first;
        if (repeatable && first.seconds() < SHORT_STEP_SECONDS) {
            List<StepTiming> runs = new ArrayList<>(List.of(first, timed(body, baseline), timed(body, baseline)));
            runs.sort(java.util.Comparator.comparingDouble(StepTiming::seconds));
            t = runs.get(1);
        }
        t = new StepTiming(t.seconds(), rows.getAsLong(), t.peakRssMb(), t.baselineSeconds());
        steps.put(name, t);
        printRow(name, t);
    }

    static final double SHORT_STEP_SECONDS = 30;

    /**
     * Wall time of a whole {@code tiercube drill} process (JVM start to exit), median of five, run
     * through the launcher that started this bench; null when there is none (spark-submit).
     */
    private static Double cliWallMs(Path whDir, YearMonth month) {
        String launcher = System.getProperty("tiercube.launcher");
        if (launcher == null || !Files.isExecutable(Path.of(launcher))) {
            return null;
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            try {
                Process p = new ProcessBuilder(launcher, "drill", "usage", "--warehouse", whDir.toString(), "--month", month.toString(),
                        "--format", "csv").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() != 0) {
                    return null;
                }
            } catch (IOException ex) {
                return null;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return null;
            }
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        java.util.Collections.sort(ms);
        return round(ms.get(2));
    }

    private Map<String, Object> drill;

    /** 200 random drills against the built cube, in process: p50 and p95 in milliseconds. */
    private static Map<String, Object> drills(Backend b, Warehouse wh, CubeModel model, YearMonth month) {
        List<List<String>> bys = List.of(List.of("region.city"), List.of("product.line"), List.of("channel.type"),
                List.of("region.city", "product.line"), List.of("segment.segment"), List.of("region.district"),
                List.of("product.product"), List.of("channel.type", "region.city"));
        java.util.Random r = new java.util.Random(7);
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            DrillQuery.Request q = new DrillQuery.Request().by(bys.get(r.nextInt(bys.size())))
                    .measures(List.of("revenue", "users", "arpu")).month(month);
            long t0 = System.nanoTime();
            DrillQuery.run(b, wh, model, q);
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        java.util.Collections.sort(ms);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queries", ms.size());
        m.put("p50_ms", round(ms.get(ms.size() / 2)));
        m.put("p95_ms", round(ms.get((int) (ms.size() * 0.95))));
        return m;
    }

    private static StepTiming timed(Runnable step, java.util.function.Supplier<Double> baseline) {
        Memory.resetPeak();
        long t0 = System.nanoTime();
        step.run();
        double s = (System.nanoTime() - t0) / 1e9;
        long peak = Memory.peakMb();
        return new StepTiming(s, 0, peak, baseline == null ? null : baseline.get());
    }

    private static void printRow(String name, StepTiming v) {
        System.out.printf(Locale.ROOT, "%-10s %10.2f %12s %10d %10s %7s%n", name, v.seconds(),
                v.seconds() > 0 ? String.format(Locale.ROOT, "%,d", Math.round(v.rows() / v.seconds())) : "",
                v.peakRssMb(), v.baselineSeconds() == null ? "" : String.format(Locale.ROOT, "%.2f", v.baselineSeconds()),
                v.baselineSeconds() == null ? "" : String.format(Locale.ROOT, "%.2f", v.seconds() / v.baselineSeconds()));
        System.out.flush();
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

    static UserError notBuilt(String what) {
        return new UserError(UserError.Kind.BAD_CONFIG, "bench: " + what + " is not built yet");
    }
}
