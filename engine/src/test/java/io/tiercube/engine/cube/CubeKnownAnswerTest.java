package io.tiercube.engine.cube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.Warehouse;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-computed answers on the twelve-row fixture ({@link CubeFixtures#tiny}). October: c1 Chengdu
 * voice 1.50 + data 10.00 + 5.00; c2 Chengdu voice 3.00 + sms 0.10; c3 Mianyang data 8.00 +
 * subscription 59.00; c5 (not in the snapshot) voice 2.00. September: c1 voice 4.00, c2 data 20.00,
 * c3 subscription 59.00, c4 Yibin data 6.00.
 */
class CubeKnownAnswerTest {

    static final YearMonth SEP = YearMonth.of(2026, 9);
    static final YearMonth OCT = YearMonth.of(2026, 10);

    @TempDir
    static Path dir;
    static Backend duck;
    static Warehouse wh;
    static CubeModel model;

    @BeforeAll
    static void build() {
        duck = Engine.DUCKDB.open(Engine.Options.defaults());
        wh = CubeFixtures.tiny(duck, dir.resolve("wh"));
        model = CubeFixtures.model();
        CubeBuild.build(duck, wh, model, SEP);
        CubeBuild.build(duck, wh, model, OCT);
    }

    @AfterAll
    static void close() {
        duck.close();
    }

    static BigDecimal money(String s) {
        return new BigDecimal(s);
    }

    /** The row whose first columns equal {@code keys}. */
    static List<Object> row(Table t, Object... keys) {
        for (List<Object> r : t.rows()) {
            boolean ok = true;
            for (int i = 0; i < keys.length; i++) {
                ok &= Objects.equals(String.valueOf(r.get(i)), String.valueOf(keys[i]));
            }
            if (ok) {
                return r;
            }
        }
        throw new AssertionError("no row " + Arrays.toString(keys) + " in " + t.rows());
    }

    static void assertMoney(String expected, Object actual) {
        assertEquals(0, money(expected).compareTo((BigDecimal) actual), "expected " + expected + ", got " + actual);
    }

    Table cells(Cuboid c, YearMonth m) {
        String cols = c.levels().stream().map(CubeModel.Level::alias).reduce((a, b) -> a + ", " + b).orElse("'all' AS k");
        duck.registerParquet("t_cells", CubeBuild.cubeDir(wh, "usage"));
        return duck.query("SELECT " + cols + ", m_revenue, m_users, n_rows FROM t_cells WHERE cuboid_id = ? AND month = ?",
                c.id(), m.toString());
    }

    Cuboid cuboid(String... levels) {
        List<String> want = List.of(levels);
        return model.cuboids().stream().filter(c -> c.levels().stream().map(CubeModel.Level::qualified).toList().equals(want))
                .findFirst().orElseThrow();
    }

    @Test
    void buildCountsRevenueAndExactUsersInEveryCuboidOfOctober() {
        Table apex = cells(cuboid(), OCT);
        assertMoney("88.60", apex.get(0, "m_revenue"));
        assertEquals(4L, apex.get(0, "m_users"));
        assertEquals(8L, apex.get(0, "n_rows"));

        Table city = cells(cuboid("region.province", "region.city"), OCT);
        assertMoney("19.60", row(city, "Sichuan", "Chengdu").get(2));
        assertEquals(2L, row(city, "Sichuan", "Chengdu").get(3));
        assertMoney("67.00", row(city, "Sichuan", "Mianyang").get(2));
        assertMoney("2.00", row(city, "(unknown)", "(unknown)").get(2));

        Table line = cells(cuboid("product.line"), OCT);
        assertMoney("6.50", row(line, "voice").get(1));
        assertEquals(3L, row(line, "voice").get(2));
        assertMoney("23.00", row(line, "data").get(1));
        assertEquals(2L, row(line, "data").get(2));

        Table cityLine = cells(cuboid("region.province", "region.city", "product.line"), OCT);
        assertMoney("15.00", row(cityLine, "Sichuan", "Chengdu", "data").get(3));
        assertEquals(1L, row(cityLine, "Sichuan", "Chengdu", "data").get(4));
        assertEquals(2L, row(cityLine, "Sichuan", "Chengdu", "voice").get(4));
    }

    @Test
    void manifestRecordsCuboidsSourceRowsAndPlan() {
        CubeManifest m = CubeBuild.manifest(wh, "usage", OCT).orElseThrow();
        assertEquals(8, m.sourceRows());
        assertEquals(model.cuboids().size(), m.cuboids().size());
        assertEquals("customer_preaggregate", m.plan());
        assertEquals(m.rows(), m.cuboids().stream().mapToLong(CubeManifest.Entry::rows).sum());
        assertEquals(4, CubeBuild.manifest(wh, "usage", SEP).orElseThrow().sourceRows());
        assertTrue(CubeBuild.monthsNeedingBuild(wh, model).isEmpty());
    }

    @Test
    void defaultDrillGivesRevenueUsersArpuByCityWithChangeVsPreviousMonth() {
        DrillQuery.Result r = DrillQuery.run(duck, wh, model, new DrillQuery.Request());
        assertTrue(r.plan().fromCuboid(), r.plan().describe());
        Table t = r.table();
        assertEquals(List.of("region.province", "region.city", "revenue", "revenue_prev", "revenue_change",
                "revenue_change_pct", "users", "users_prev", "users_change", "users_change_pct", "arpu", "arpu_prev",
                "arpu_change", "arpu_change_pct"), t.columns());
        List<Object> chengdu = row(t, "Sichuan", "Chengdu");
        assertMoney("19.60", chengdu.get(2));
        assertMoney("24.00", chengdu.get(3));
        assertMoney("-4.40", chengdu.get(4));
        assertEquals(-4.40 / 24.00 * 100, (Double) chengdu.get(5), 1e-9);
        assertEquals(2L, ((Number) chengdu.get(6)).longValue());
        assertEquals(9.80, (Double) chengdu.get(10), 1e-9);
        assertEquals(12.00, (Double) chengdu.get(11), 1e-9);
        List<Object> yibin = row(t, "Sichuan", "Yibin");
        assertMoney("0", yibin.get(2));
        assertMoney("-6.00", yibin.get(4));
        assertNull(yibin.get(10), "no ARPU without users");
        assertEquals("Mianyang", t.rows().get(0).get(1), "sorted by revenue, highest first");
    }

    @Test
    void drillFilteredToTwoLinesCountsUsersOnceAndComparesWithSeptember() {
        DrillQuery.Result r = DrillQuery.run(duck, wh, model, new DrillQuery.Request()
                .by(List.of("region.city")).where("product.line=voice,data").month(OCT)
                .compare(DrillQuery.Compare.PREV));
        assertFalse(r.plan().fromCuboid(), "c1 used voice and data: users cannot be added over the two lines");
        assertTrue(r.plan().reason().contains("distinct"), r.plan().reason());
        Table t = r.table();
        List<Object> chengdu = row(t, "Sichuan", "Chengdu");
        assertMoney("19.50", chengdu.get(2));
        assertMoney("24.00", chengdu.get(3));
        assertEquals(2L, ((Number) chengdu.get(6)).longValue());
        assertEquals(2L, ((Number) chengdu.get(7)).longValue());
        assertEquals(9.75, (Double) chengdu.get(10), 1e-9);
        assertEquals(12.0, (Double) chengdu.get(11), 1e-9);
        assertMoney("8.00", row(t, "Sichuan", "Mianyang").get(2));
        assertMoney("0", row(t, "Sichuan", "Mianyang").get(3));
        assertMoney("2.00", row(t, "(unknown)", "(unknown)").get(2));
        assertEquals(1L, ((Number) row(t, "Sichuan", "Yibin").get(7)).longValue());
        assertEquals(4, t.size());
    }

    @Test
    void drillOfRevenueFilteredToTwoLinesStaysOnTheCuboid() {
        DrillQuery.Result r = DrillQuery.run(duck, wh, model, new DrillQuery.Request()
                .by(List.of("region.city")).measures(List.of("revenue")).where("product.line=voice,data").month(OCT)
                .compare(DrillQuery.Compare.NONE));
        assertTrue(r.plan().fromCuboid(), r.plan().describe());
        assertEquals("region.province,region.city,product.line", r.plan().cuboid());
        assertMoney("19.50", row(r.table(), "Sichuan", "Chengdu").get(2));
    }

    @Test
    void drillFilteredToOneLineReadsExactUsersFromTheCuboid() {
        DrillQuery.Result r = DrillQuery.run(duck, wh, model, new DrillQuery.Request()
                .by(List.of("region.city")).measures(List.of("revenue", "users")).where("product.line=data").month(OCT)
                .compare(DrillQuery.Compare.NONE));
        assertTrue(r.plan().fromCuboid(), r.plan().describe());
        assertMoney("15.00", row(r.table(), "Sichuan", "Chengdu").get(2));
        assertEquals(1L, ((Number) row(r.table(), "Sichuan", "Chengdu").get(3)).longValue());
    }

    @Test
    void strictDrillRefusesToFallBackToTheFacts() {
        UserError e = assertThrows(UserError.class, () -> DrillQuery.run(duck, wh, model, new DrillQuery.Request()
                .by(List.of("region.city")).where("product.line=voice,data").month(OCT).strict(true)));
        assertEquals(UserError.Kind.BAD_QUERY, e.kind());
        assertTrue(e.getMessage().contains("--strict"), e.getMessage());
    }

    @Test
    void usersOverTwoMonthsAreDistinctOverTheRangeAndArpuUsesUserMonths() {
        DrillQuery.Result r = DrillQuery.run(duck, wh, model, new DrillQuery.Request()
                .by(List.of()).measures(List.of("revenue", "users", "arpu")).range(SEP, OCT).compare(DrillQuery.Compare.NONE));
        assertFalse(r.plan().fromCuboid());
        assertMoney("177.60", r.table().get(0, "revenue"));
        assertEquals(5L, ((Number) r.table().get(0, "users")).longValue());
        assertEquals(177.60 / 8, (Double) r.table().get(0, "arpu"), 1e-9);

        DrillQuery.Result arpuOnly = DrillQuery.run(duck, wh, model, new DrillQuery.Request()
                .by(List.of()).measures(List.of("revenue", "arpu")).range(SEP, OCT).compare(DrillQuery.Compare.NONE));
        assertTrue(arpuOnly.plan().fromCuboid(), arpuOnly.plan().describe());
        assertEquals(177.60 / 8, (Double) arpuOnly.table().get(0, "arpu"), 1e-9);
    }

    @Test
    void shareTopAndMeasureFilterShapeTheAnswer() {
        Table t = DrillQuery.run(duck, wh, model, new DrillQuery.Request()
                .by(List.of("product.line")).measures(List.of("revenue")).month(OCT).compare(DrillQuery.Compare.NONE)
                .share(true).top(2).where("revenue>=5")).table();
        assertEquals(List.of("product.line", "revenue", "revenue_share_pct"), t.columns());
        assertEquals(2, t.size());
        assertEquals("subscription", t.get(0, "product.line"));
        assertEquals(59.00 / (59.00 + 23.00 + 6.50) * 100, t.getDouble(0, "revenue_share_pct"), 1e-9);
    }

    @Test
    void drillByDayHasNoDefaultComparisonAndGivesDailyRevenue() {
        DrillQuery.Result r = DrillQuery.run(duck, wh, model, new DrillQuery.Request()
                .by(List.of("time.day")).measures(List.of("revenue", "users")).month(OCT).sort("time.day:asc"));
        assertTrue(r.plan().fromCuboid(), r.plan().describe());
        assertEquals(List.of("time.month", "time.day", "revenue", "users"), r.table().columns());
        assertEquals(List.of("2026-10", "2026-10-01"), r.table().rows().get(0).subList(0, 2));
        assertMoney("15.00", row(r.table(), "2026-10", "2026-10-02").get(2));
        assertEquals(7, r.table().size(), "seven days with usage in October (two rows on the 2nd)");
    }
}
