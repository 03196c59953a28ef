package io.tiercube.engine.report;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.cube.CubeBuild;
import io.tiercube.engine.cube.CubeManifest;
import io.tiercube.engine.cube.CubeModel;
import io.tiercube.engine.cube.Cuboid;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The month's revenue and users read from the materialized usage cube instead of the facts, when the
 * cube holds them exactly: a scan of a month's facts costs seconds, its few thousand cells nothing.
 *
 * <p>A month is read from the cube only when its build is current in every way the facts query
 * would notice: built from the model kept beside it, from the same usage files (the build's source
 * fingerprint), against the customers snapshot the report joins, and from as many usage rows as the
 * report finds dated in that month (a row filed under another month would be counted by its date
 * in the facts and by its file in the cube). Otherwise the caller falls back to the facts.
 */
final class ReportCube {

    /** The cube whose cells the report reads. */
    static final String CUBE = "usage";

    private final Backend b;
    private final Warehouse wh;
    private final CubeModel model;
    private final CubeModel.Measure revenue;
    private final CubeModel.Measure users;
    private final Map<Map.Entry<YearMonth, Long>, Optional<String>> views = new HashMap<>();
    /** Read once per month: the trend, the breakdowns and the checks below each ask for it. */
    private final Map<YearMonth, Optional<CubeManifest>> manifests = new HashMap<>();
    private final Map<Map.Entry<YearMonth, Long>, Optional<Table>> apexes = new HashMap<>();

    private ReportCube(Backend b, Warehouse wh, CubeModel model, CubeModel.Measure revenue, CubeModel.Measure users) {
        this.b = b;
        this.wh = wh;
        this.model = model;
        this.revenue = revenue;
        this.users = users;
    }

    /**
     * The cube reader, or null when the warehouse has no built usage cube whose model sums
     * {@code charge} and counts distinct {@code customer_id} (the report's two figures).
     */
    static ReportCube open(Backend b, Warehouse wh) {
        Path stored = CubeBuild.cubeDir(wh, CUBE).resolve(CubeModel.STORED_MODEL);
        if (!Files.isRegularFile(stored)) {
            return null;
        }
        CubeModel model;
        try {
            model = CubeModel.load(stored);
        } catch (UserError | java.io.UncheckedIOException e) {
            return null; // an unreadable kept model: the facts answer
        }
        CubeModel.Measure rev = null;
        CubeModel.Measure usr = null;
        for (CubeModel.Measure m : model.baseMeasures()) {
            if (rev == null && m.agg() == CubeModel.Agg.SUM && "charge".equals(m.expr().trim())) {
                rev = m;
            }
            if (usr == null && m.agg() == CubeModel.Agg.COUNT_DISTINCT && CubeModel.CUSTOMER_KEY.equals(m.expr().trim())) {
                usr = m;
            }
        }
        return rev == null || usr == null ? null : new ReportCube(b, wh, model, rev, usr);
    }

    /**
     * The registered view of the month's cells, or empty when the month must come from the facts.
     *
     * @param factRows usage rows dated in the month (as the report's facts queries see them)
     */
    Optional<String> month(YearMonth m, long factRows) {
        return views.computeIfAbsent(Map.entry(m, factRows), x -> register(m, factRows));
    }

    private Optional<String> register(YearMonth m, long factRows) {
        if (factRows == 0) {
            return Optional.empty();
        }
        Optional<CubeManifest> man = manifest(m);
        if (man.isEmpty()
                || !model.fingerprint().equals(man.get().modelFingerprint())
                || man.get().sourceRows() != factRows
                || !Objects.equals(man.get().customersSnapshot(), wh.latestCustomersSnapshot().map(p -> p.getFileName().toString()).orElse(null))
                || !CubeBuild.sourceFingerprint(wh, m).equals(man.get().sourceFingerprint())) {
            return Optional.empty();
        }
        String view = "rpt_cube_" + m.toString().replace('-', '_');
        return b.registerParquet(view, CubeBuild.monthDir(wh, CUBE, m)) ? Optional.of(view) : Optional.empty();
    }

    /** Whether the month's manifest lists the cuboid (a build of an older model may lack it). */
    private boolean built(YearMonth m, long id) {
        return manifest(m).map(x -> x.cuboids().stream().anyMatch(e -> e.id() == id)).orElse(false);
    }

    private Optional<CubeManifest> manifest(YearMonth m) {
        return manifests.computeIfAbsent(m, x -> CubeBuild.manifest(wh, CUBE, x));
    }

    /** The month's total revenue and distinct users (the apex cell): columns revenue, users. */
    Optional<Table> apex(YearMonth m, long factRows) {
        return apexes.computeIfAbsent(Map.entry(m, factRows), x -> readApex(m, factRows));
    }

    private Optional<Table> readApex(YearMonth m, long factRows) {
        Optional<String> v = month(m, factRows);
        if (v.isEmpty() || !built(m, 0)) {
            return Optional.empty();
        }
        Table t = b.query("SELECT " + revenue.alias() + " AS revenue, " + users.alias() + " AS users FROM " + v.get()
                + " WHERE cuboid_id = 0");
        return t.size() == 1 ? Optional.of(t) : Optional.empty();
    }

    /** The level reading {@code column} and the cuboid at exactly its grain (the level and its ancestors), if built for the month. */
    private Optional<Map.Entry<CubeModel.Level, Cuboid>> grain(YearMonth m, String column) {
        CubeModel.Level level = model.levels().values().stream().filter(l -> l.column().equals(column)).findFirst().orElse(null);
        if (level == null) {
            return Optional.empty();
        }
        HashSet<CubeModel.Level> grain = new HashSet<>(model.withAncestors(level));
        Cuboid cuboid = model.cuboids().stream().filter(c -> new HashSet<>(c.levels()).equals(grain)).findFirst().orElse(null);
        return cuboid == null || !built(m, cuboid.id()) ? Optional.empty() : Optional.of(Map.entry(level, cuboid));
    }

    /**
     * Revenue and users of the month by the level reading {@code column} (e.g. {@code city}): columns
     * member, revenue, users; empty when the cube has no cuboid at exactly that level's grain.
     * Members are summed over the level's ancestors (a city name in two provinces), which is exact
     * for users only when the level is fixed per customer or has no ancestor: the two cases allowed.
     */
    Optional<Table> byColumn(YearMonth m, long factRows, String column) {
        Optional<String> v = month(m, factRows);
        Optional<Map.Entry<CubeModel.Level, Cuboid>> g = v.isEmpty() ? Optional.empty() : grain(m, column);
        if (g.isEmpty() || model.withAncestors(g.get().getKey()).size() > 1 && !model.isCustomerLevel(g.get().getKey())) {
            return Optional.empty();
        }
        String alias = g.get().getKey().alias();
        return Optional.of(b.query("SELECT " + alias + " AS member, sum(" + revenue.alias() + ") AS revenue, CAST(sum("
                + users.alias() + ") AS BIGINT) AS users FROM " + v.get() + " WHERE cuboid_id = " + g.get().getValue().id()
                + " GROUP BY " + alias));
    }

    /**
     * A SELECT of the month's cells at the grain of the level reading {@code column}: columns member,
     * revenue (one row per cell; a member under two ancestors has two rows, to be summed).
     */
    Optional<String> revenueCells(YearMonth m, long factRows, String column) {
        Optional<String> v = month(m, factRows);
        Optional<Map.Entry<CubeModel.Level, Cuboid>> g = v.isEmpty() ? Optional.empty() : grain(m, column);
        return g.map(e -> "SELECT " + e.getKey().alias() + " AS member, " + revenue.alias() + " AS revenue FROM " + v.get()
                + " WHERE cuboid_id = " + e.getValue().id());
    }

    /**
     * Whether the month's cells at the grain of the level reading {@code column} are current and have no
     * {@code (unknown)} member: for a customer attribute, every customer with usage is in the snapshot.
     */
    boolean hasNoUnknown(YearMonth m, long factRows, String column) {
        Optional<String> cells = revenueCells(m, factRows, column);
        return cells.isPresent() && b.query("SELECT count(*) AS n FROM (" + cells.get() + ") c WHERE member = ?", UNKNOWN).scalarLong() == 0;
    }

    /** The cube's value of a level whose source is NULL (a usage row whose customer is not in the snapshot). */
    static final String UNKNOWN = "(unknown)";
}
