package io.tiercube.engine.cube;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Materializes a cube's cuboids for one month into {@code cubes/<cube>/month=YYYY-MM/} (Parquet,
 * one file set for all cuboids, plus {@value CubeManifest#FILE}), replacing the month atomically.
 *
 * <p>Each row of the files is one cell: {@code cuboid_id}, {@code month}, one string column per
 * level ({@code region_city}; NULL when the cuboid does not group by it), {@value FactSql#ROWS} and
 * {@code m_<measure>} per base measure. Distinct counts are exact at the cell's own grain.
 *
 * <p>Callers hold the warehouse writer lock; this class does not take it.
 */
public final class CubeBuild {

    /** How a month's distinct counts are computed. */
    public enum Plan {
        /** The customer pre-aggregate when the model allows it, else {@link #DISTINCT}. */
        AUTO,
        /** Pre-aggregate to customer x (non-customer levels), then {@code count(*)}: exact, near additive cost. */
        CUSTOMER_PREAGGREGATE,
        /** {@code count(DISTINCT)} over the facts inside the GROUPING SETS: exact, slow at scale. */
        DISTINCT
    }

    /** What one month's build did. */
    public record Result(String cube, YearMonth month, String plan, int cuboids, long rows, long sourceRows,
            double seconds, List<String> warnings) {
    }

    private CubeBuild() {
    }

    /** The directory holding every built month of a cube. */
    public static Path cubeDir(Warehouse wh, String cube) {
        return wh.dataset("cubes").resolve(cube);
    }

    public static Path monthDir(Warehouse wh, String cube, YearMonth month) {
        return cubeDir(wh, cube).resolve("month=" + month);
    }

    /** The manifest of a built month, if that month is built. */
    public static Optional<CubeManifest> manifest(Warehouse wh, String cube, YearMonth month) {
        Path f = monthDir(wh, cube, month).resolve(CubeManifest.FILE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        return Optional.of(Warehouse.readJson(f, CubeManifest.class));
    }

    /**
     * Keeps a copy of the model beside the built months ({@code cubes/<cube>/_model.yaml}), so a drill
     * reads the cube with the model it was built from. Written atomically.
     */
    public static void saveModel(Warehouse wh, CubeModel model) {
        wh.writeFile(cubeDir(wh, model.name()).resolve(CubeModel.STORED_MODEL), model.text().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@link #saveModel} when the kept copy is missing or differs from {@code model}: a build killed
     * between committing a month and saving the copy leaves the months up to date but no copy, and
     * the next run (which builds nothing) must still write it. Returns whether it wrote.
     */
    public static boolean saveModelIfChanged(Warehouse wh, CubeModel model) {
        Path target = cubeDir(wh, model.name()).resolve(CubeModel.STORED_MODEL);
        try {
            if (Files.isRegularFile(target) && Files.readString(target, StandardCharsets.UTF_8).equals(model.text())) {
                return false;
            }
        } catch (IOException e) {
            // unreadable: rewrite it
        }
        saveModel(wh, model);
        return true;
    }

    /** Months that have usage data in the warehouse, oldest first. */
    public static List<YearMonth> sourceMonths(Warehouse wh) {
        return wh.usageMonths().stream().filter(ym -> FactSql.hasUsage(wh, ym)).toList();
    }

    /** Months already built for a cube, oldest first. */
    public static List<YearMonth> builtMonths(Warehouse wh, String cube) {
        List<YearMonth> out = new ArrayList<>();
        for (Path p : Warehouse.partitions(cubeDir(wh, cube))) {
            String n = p.getFileName().toString();
            if (n.startsWith("month=") && Files.isRegularFile(p.resolve(CubeManifest.FILE))) {
                out.add(YearMonth.parse(n.substring(6)));
            }
        }
        return out;
    }

    /**
     * Months whose cube partition is missing or stale: the usage files of the month changed since it
     * was built (their names, sizes and modification times, ingest markers included), or the model
     * text changed. The nightly job rebuilds exactly these.
     */
    public static List<YearMonth> monthsNeedingBuild(Warehouse wh, CubeModel model) {
        List<YearMonth> out = new ArrayList<>();
        for (YearMonth ym : sourceMonths(wh)) {
            Optional<CubeManifest> m = manifest(wh, model.name(), ym);
            if (m.isEmpty() || !model.fingerprint().equals(m.get().modelFingerprint())
                    || !sourceFingerprint(wh, ym).equals(m.get().sourceFingerprint())) {
                out.add(ym);
            }
        }
        return out;
    }

    /** A hash of the month's usage files ({@link Warehouse#usageFingerprint}). */
    public static String sourceFingerprint(Warehouse wh, YearMonth month) {
        return wh.usageFingerprint(month);
    }

    /**
     * Builds every month that {@link #monthsNeedingBuild} lists, oldest first (what the nightly job
     * runs). Returns one result per month built; an empty list when the cube is up to date.
     */
    public static List<Result> buildStale(Backend backend, Warehouse wh, CubeModel model) {
        List<Result> out = new ArrayList<>();
        for (YearMonth m : monthsNeedingBuild(wh, model)) {
            out.add(build(backend, wh, model, m));
        }
        if (!builtMonths(wh, model.name()).isEmpty()) {
            saveModelIfChanged(wh, model);
        }
        return out;
    }

    /** Builds (or rebuilds) one month with the automatic plan. */
    public static Result build(Backend backend, Warehouse wh, CubeModel model, YearMonth month) {
        return build(backend, wh, model, month, Plan.AUTO);
    }

    /** Builds (or rebuilds) one month with the given plan. */
    public static Result build(Backend backend, Warehouse wh, CubeModel model, YearMonth month, Plan plan) {
        long t0 = System.nanoTime();
        if (!FactSql.hasUsage(wh, month)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no usage data for " + month + " in " + wh.root()
                    + " (months with data: " + sourceMonths(wh) + ")");
        }
        String fingerprint = sourceFingerprint(wh, month);
        FactSql.registerSources(backend, wh, model, List.of(month));
        List<String> warnings = new ArrayList<>();
        Plan chosen = plan == Plan.AUTO ? (preaggregateApplies(model) ? Plan.CUSTOMER_PREAGGREGATE : Plan.DISTINCT) : plan;
        if (chosen == Plan.CUSTOMER_PREAGGREGATE && !preaggregateApplies(model)) {
            throw new IllegalArgumentException("the customer pre-aggregate needs every distinct count to be over "
                    + CubeModel.CUSTOMER_KEY);
        }
        Path staging = wh.newStaging("cube-" + model.name() + "-" + month);
        List<String> intermediates = new ArrayList<>();
        try {
            String cellsSql;
            if (chosen == Plan.CUSTOMER_PREAGGREGATE) {
                List<CubeModel.Level> rest = allCuboidLevels(model).stream().filter(l -> !model.isCustomerLevel(l)).toList();
                CubeModel.Level day = rest.stream().filter(CellSql::isDay).findFirst().orElse(null);
                String preFacts = FactSql.facts(backend, model, List.of(month), rest.stream().filter(l -> l != day).toList(),
                        CellSql.needsCustomerJoin(model, rest));
                // The intermediate results stay in the engine (DuckDB temp tables, Spark cache): written
                // to Parquet, their compression cost more than the aggregations that made them.
                String preView = "cube_pre_" + model.name();
                backend.materialize(preView, CellSql.preaggregateSql(model, preFacts, rest, day));
                intermediates.add(preView);
                String attrView = "cube_attrs_" + model.name();
                backend.materialize(attrView, CellSql.customerAttributesSql(backend, model, preView));
                intermediates.add(attrView);
                checkOneRowPerCustomer(backend, wh, model, attrView, month);
                String dailyView = null;
                if (day != null) {
                    dailyView = "cube_daily_" + model.name();
                    backend.materialize(dailyView, CellSql.dailyFinestSql(backend, model, month, CellSql.dailyLevels(model, day)));
                    intermediates.add(dailyView);
                }
                cellsSql = CellSql.preaggregateCellsSql(model, preView, attrView, dailyView, rest, day, month);
            } else {
                cellsSql = CellSql.distinctSql(model, FactSql.facts(backend, model, List.of(month), allCuboidLevels(model), true), month);
            }
            Path out = staging.resolve("month");
            // Cells sorted by cuboid: a drill reads one cuboid, and Parquet row-group statistics skip the rest.
            backend.writeParquet("SELECT * FROM (" + cellsSql + ") cells ORDER BY cuboid_id", out, List.of());
            String staged = "cube_staged_" + model.name();
            backend.registerParquet(staged, out);
            Table counts = backend.query("SELECT cuboid_id, count(*) AS n, sum(" + FactSql.ROWS + ") AS facts FROM "
                    + staged + " GROUP BY cuboid_id ORDER BY cuboid_id NULLS LAST");
            Map<Long, Long> rowsById = new LinkedHashMap<>();
            long apexFacts = 0;
            for (int i = 0; i < counts.size(); i++) {
                long id = counts.getLong(i, "cuboid_id");
                rowsById.put(id, counts.getLong(i, "n"));
                if (id == 0) {
                    apexFacts = counts.getLong(i, "facts");
                }
            }
            long sourceRows = backend.query("SELECT count(*) AS n FROM " + FactSql.usageView(model, month)).scalarLong();
            if (apexFacts != sourceRows) {
                throw new UserError(UserError.Kind.DATA_QUALITY, "cube " + model.name() + " " + month + ": the join of usage ("
                        + sourceRows + " rows) to customers gave " + apexFacts + " rows: the customers snapshot "
                        + FactSql.snapshotName(wh) + " holds some customer_id more than once");
            }
            List<CubeManifest.Entry> entries = new ArrayList<>();
            long total = 0;
            for (Cuboid c : model.cuboids()) {
                long n = rowsById.getOrDefault(c.id(), 0L);
                total += n;
                entries.add(new CubeManifest.Entry(c.id(), c.levels().stream().map(CubeModel.Level::qualified).toList(), n));
            }
            double seconds = Math.round((System.nanoTime() - t0) / 1e6) / 1e3;
            CubeManifest manifest = new CubeManifest(model.name(), month.toString(), model.fingerprint(), fingerprint,
                    FactSql.snapshotName(wh), backend.name(), planName(chosen),
                    LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString(), seconds, sourceRows, total, entries,
                    List.copyOf(warnings));
            Warehouse.writeJson(out.resolve(CubeManifest.FILE), manifest);
            wh.commit(out, monthDir(wh, model.name(), month));
            saveModel(wh, model);
            return new Result(model.name(), month, manifest.plan(), entries.size(), total, sourceRows, seconds, List.copyOf(warnings));
        } finally {
            intermediates.forEach(backend::release);
            Warehouse.discardStaging(staging);
        }
    }

    static String planName(Plan p) {
        return p == Plan.CUSTOMER_PREAGGREGATE ? "customer_preaggregate" : "count_distinct";
    }

    /** The pre-aggregate counts users exactly when every distinct count is of the customer key. */
    static boolean preaggregateApplies(CubeModel m) {
        return m.baseMeasures().stream().filter(x -> x.agg() == CubeModel.Agg.COUNT_DISTINCT)
                .allMatch(x -> CubeModel.CUSTOMER_KEY.equals(x.expr().trim()));
    }

    /** Levels used by some cuboid, in model order. */
    static List<CubeModel.Level> allCuboidLevels(CubeModel m) {
        Set<CubeModel.Level> used = new LinkedHashSet<>();
        for (CubeModel.Level l : m.cuboidLevels()) {
            for (Cuboid c : m.cuboids()) {
                if (c.levels().contains(l)) {
                    used.add(l);
                }
            }
        }
        return new ArrayList<>(used);
    }

    /**
     * Verifies the functional dependency on the data: each customer of the month has one value of every
     * customer attribute. The only way to break it is a customers snapshot holding a customer twice
     * (with, say, two cities); that would also double the customer's revenue, so it fails the build
     * with the customers named, instead of miscounting.
     */
    static void checkOneRowPerCustomer(Backend b, Warehouse wh, CubeModel m, String attrView, YearMonth month) {
        Table t = b.query("SELECT customer_id, n, count(*) OVER () AS total FROM (SELECT customer_id, count(*) AS n FROM "
                + attrView + " GROUP BY customer_id HAVING count(*) > 1) v ORDER BY customer_id NULLS LAST LIMIT 3");
        if (t.size() == 0) {
            return;
        }
        String examples = java.util.stream.IntStream.range(0, t.size())
                .mapToObj(i -> t.getString(i, "customer_id") + " (" + t.getLong(i, "n") + " rows)").collect(Collectors.joining(", "));
        throw new UserError(UserError.Kind.DATA_QUALITY, "cube " + m.name() + " " + month + ": " + t.getLong(0, "total")
                + " customer(s) appear more than once in the customers snapshot " + FactSql.snapshotName(wh) + ", e.g. "
                + examples + ": their region, channel or segment is ambiguous and their usage would count twice");
    }
}
