package io.tiercube.engine.cube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.Warehouse;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every built cell agrees with the facts; the fast exact-users plan equals plain count(DISTINCT). */
class CubeConsistencyTest {

    static final List<YearMonth> MONTHS = List.of(YearMonth.of(2026, 8), YearMonth.of(2026, 9), YearMonth.of(2026, 10));

    /** Level expressions over usage u joined to customers c, written independently of the engine code. */
    static final Map<String, String> LEVEL_SQL = Map.of(
            "time.day", "strftime(u.event_date, '%Y-%m-%d')",
            "region.province", "COALESCE(c.province, '(unknown)')",
            "region.city", "COALESCE(c.city, '(unknown)')",
            "region.district", "COALESCE(c.district, '(unknown)')",
            "product.line", "COALESCE(u.service, '(unknown)')",
            "product.product", "COALESCE(u.product, '(unknown)')",
            "channel.type", "COALESCE(c.channel_type, '(unknown)')",
            "channel.outlet", "COALESCE(c.channel, '(unknown)')",
            "segment.segment", "COALESCE(c.segment, '(unknown)')");

    @TempDir
    static Path dir;
    static Backend duck;
    static Warehouse wh;
    static CubeModel model;

    @BeforeAll
    static void build() {
        duck = Engine.DUCKDB.open(Engine.Options.defaults());
        wh = CubeFixtures.generated(duck, dir.resolve("wh"));
        model = CubeFixtures.model();
        for (YearMonth m : MONTHS) {
            CubeBuild.build(duck, wh, model, m);
        }
        wh.registerViews(duck);
    }

    @AfterAll
    static void close() {
        duck.close();
    }

    @Test
    void everyCuboidMatchesTheFactsRevenueAndDistinctUsersAtItsGrain() {
        for (YearMonth month : MONTHS) {
            for (Cuboid c : model.cuboids()) {
                String keys = c.levels().isEmpty() ? "'all'" : c.levels().stream().map(l -> LEVEL_SQL.get(l.qualified()))
                        .collect(Collectors.joining(" || '|' || "));
                Table facts = duck.query("SELECT " + keys + " AS k, sum(u.charge) AS revenue, count(DISTINCT u.customer_id) AS users,"
                        + " count(*) AS n FROM usage u LEFT JOIN customers c ON u.customer_id = c.customer_id"
                        + " WHERE strftime(u.event_date, '%Y-%m') = ? GROUP BY 1", month.toString());
                String cellKeys = c.levels().isEmpty() ? "'all'" : c.levels().stream().map(CubeModel.Level::alias)
                        .collect(Collectors.joining(" || '|' || "));
                Table cells = duck.query("SELECT " + cellKeys + " AS k, m_revenue AS revenue, m_users AS users, n_rows AS n"
                        + " FROM cube_usage WHERE month = ? AND cuboid_id = ?", month.toString(), c.id());
                assertEquals(asMap(facts), asMap(cells), month + " cuboid " + c.label());
            }
            BigDecimal total = (BigDecimal) duck.query("SELECT sum(charge) FROM usage WHERE strftime(event_date, '%Y-%m') = ?",
                    month.toString()).scalar();
            for (Cuboid c : model.cuboids()) {
                BigDecimal sum = (BigDecimal) duck.query("SELECT sum(m_revenue) FROM cube_usage WHERE month = ? AND cuboid_id = ?",
                        month.toString(), c.id()).scalar();
                assertEquals(0, total.compareTo(sum), "revenue of cuboid " + c.label() + " in " + month);
            }
        }
    }

    static Map<String, String> asMap(Table t) {
        Map<String, String> m = new TreeMap<>();
        for (List<Object> r : t.rows()) {
            m.put(String.valueOf(r.get(0)), ((BigDecimal) r.get(1)).stripTrailingZeros().toPlainString() + " users="
                    + ((Number) r.get(2)).longValue() + " rows=" + ((Number) r.get(3)).longValue());
        }
        return m;
    }

    static Map<String, List<Object>> allCells(Warehouse w, YearMonth month) {
        duck.registerParquet("t_all_cells", CubeBuild.monthDir(w, "usage", month));
        String levels = model.cuboidLevels().stream().map(l -> "COALESCE(" + l.alias() + ", '-')").collect(Collectors.joining(" || '|' || "));
        Table t = duck.query("SELECT CAST(cuboid_id AS VARCHAR) || ':' || " + levels + " AS k, m_revenue, m_events, m_minutes, m_users, n_rows"
                + " FROM t_all_cells");
        Map<String, List<Object>> out = new TreeMap<>();
        for (List<Object> r : t.rows()) {
            out.put((String) r.get(0), r.subList(1, r.size()));
        }
        return out;
    }

    @Test
    void customerPreaggregatePlanEqualsNaiveCountDistinctCellForCell() {
        for (YearMonth month : MONTHS) {
            CubeBuild.Result fast = CubeBuild.build(duck, wh, model, month, CubeBuild.Plan.CUSTOMER_PREAGGREGATE);
            assertEquals("customer_preaggregate", fast.plan());
            Map<String, List<Object>> a = allCells(wh, month);
            CubeBuild.Result naive = CubeBuild.build(duck, wh, model, month, CubeBuild.Plan.DISTINCT);
            assertEquals("count_distinct", naive.plan());
            Map<String, List<Object>> b = allCells(wh, month);
            assertEquals(a.keySet(), b.keySet());
            for (String k : a.keySet()) {
                List<Object> x = a.get(k);
                List<Object> y = b.get(k);
                assertEquals(0, ((BigDecimal) x.get(0)).compareTo((BigDecimal) y.get(0)), k);
                assertEquals(x.get(1), y.get(1), k);
                assertEquals((Double) x.get(2), (Double) y.get(2), 1e-9 * Math.max(1, Math.abs((Double) y.get(2))), k);
                assertEquals(x.get(3), y.get(3), "users of " + k);
                assertEquals(x.get(4), y.get(4), k);
            }
            CubeBuild.build(duck, wh, model, month);
        }
    }

    @Test
    void aCustomerWithTwoCitiesInTheSnapshotFailsTheBuildNamingTheCustomer(@TempDir Path other) {
        Warehouse w = CubeFixtures.tiny(duck, other.resolve("wh"));
        duck.writeParquet("SELECT 'c1' AS customer_id, 'Sichuan' AS province, 'Leshan' AS city, 'X' AS district,"
                + " 'mass_market' AS segment, 'store' AS channel_type, 'Outlet-A' AS channel, DATE '2026-11-01' AS snapshot_date"
                + " UNION ALL SELECT 'c1', 'Sichuan', 'Chengdu', 'Jinjiang', 'mass_market', 'store', 'Outlet-A', DATE '2026-11-01'",
                w.customersSnapshot(LocalDate.of(2026, 11, 1)), List.of());
        UserError e = assertThrows(UserError.class, () -> CubeBuild.build(duck, w, model, YearMonth.of(2026, 10)));
        assertEquals(UserError.Kind.DATA_QUALITY, e.kind());
        assertTrue(e.getMessage().contains("more than once") && e.getMessage().contains("c1 (2 rows)"), e.getMessage());
        UserError naive = assertThrows(UserError.class, () -> CubeBuild.build(duck, w, model, YearMonth.of(2026, 10), CubeBuild.Plan.DISTINCT));
        assertTrue(naive.getMessage().contains("more than once"), "the count(DISTINCT) plan sees the doubled rows: " + naive.getMessage());
        assertFalse(Files.exists(CubeBuild.monthDir(w, "usage", YearMonth.of(2026, 10))), "nothing committed");
    }

    @Test
    void onlyMonthsWhoseUsageChangedNeedARebuild(@TempDir Path other) throws Exception {
        Warehouse w = CubeFixtures.tiny(duck, other.resolve("wh"));
        assertEquals(List.of(YearMonth.of(2026, 9), YearMonth.of(2026, 10)), CubeBuild.monthsNeedingBuild(w, model));
        CubeBuild.build(duck, w, model, YearMonth.of(2026, 9));
        CubeBuild.build(duck, w, model, YearMonth.of(2026, 10));
        assertEquals(List.of(), CubeBuild.monthsNeedingBuild(w, model));
        CubeFixtures.writeUsage(duck, w, LocalDate.of(2026, 10, 31), "SELECT * FROM (VALUES ('r99', 'c1', TIMESTAMP '2026-10-31 09:00:00',"
                + " DATE '2026-10-31', 'sms', NULL, 'sms', 0, 0, 0.20, NULL, 'f', 1)) t(" + CubeFixtures.USAGE_COLS + ")");
        assertEquals(List.of(YearMonth.of(2026, 10)), CubeBuild.monthsNeedingBuild(w, model));
        List<CubeBuild.Result> rebuilt = CubeBuild.buildStale(duck, w, model);
        assertEquals(1, rebuilt.size());
        assertEquals(9, rebuilt.get(0).sourceRows(), "the new row is in the rebuilt month");
        assertEquals(List.of(), CubeBuild.monthsNeedingBuild(w, model));
        CubeModel changed = CubeModel.parse(CubeFixtures.MODEL + "# edited\n", Path.of("edited.yaml"));
        assertEquals(2, CubeBuild.monthsNeedingBuild(w, changed).size(), "a changed model rebuilds every month");
    }
}
