package io.tiercube.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.cube.CubeBuild;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trend and breakdowns read from the usage cube's cells when the cube month is current, and from the
 * facts when it is missing or stale: the figures (hand-computed from {@link ReportFixture}) are the
 * same every way.
 */
class ReportCubeTest {

    static final YearMonth SEP = YearMonth.of(2026, 9);
    static final YearMonth OCT = YearMonth.of(2026, 10);

    @TempDir
    Path tmp;

    @Test
    void reportReadsCubeCellsWhenCubeIsFreshAndFactsOtherwise() throws IOException {
        Warehouse wh = ReportFixture.build(tmp.resolve("wh"));
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            wh.registerViews(duck);
            assertNull(ReportCube.open(duck, wh), "no cube built yet");
            ReportData facts = Report.collect(duck, wh, OCT, null);
            assertHandFigures(facts);

            ReportFixture.cube(duck, wh);
            ReportCube cube = ReportCube.open(duck, wh);
            assertTrue(cube.apex(OCT, 4).isPresent(), "October is current: its apex cell is read");
            assertTrue(cube.byColumn(OCT, 4, "city").isPresent());
            assertTrue(cube.month(OCT, 5).isEmpty(), "a row count other than the build's means the facts changed");
            ReportData fromCube = Report.collect(duck, wh, OCT, null);
            assertHandFigures(fromCube);
            assertEquals(facts.trend(), fromCube.trend());
            assertEquals(facts.breakdowns(), fromCube.breakdowns());

            // September's usage files touched after the build: September is stale, October still current.
            try (Stream<Path> files = Files.walk(wh.monthPartition("usage", SEP))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 60_000));
                }
            }
            wh.registerViews(duck);
            ReportCube mixed = ReportCube.open(duck, wh);
            assertTrue(mixed.apex(SEP, 4).isEmpty(), "stale month: facts");
            assertTrue(mixed.apex(OCT, 4).isPresent());
            ReportData half = Report.collect(duck, wh, OCT, null);
            assertEquals(facts.trend(), half.trend());
            assertEquals(facts.breakdowns(), half.breakdowns());

            // No cube month at all (deleted): every figure from the facts again.
            Warehouse.deleteTree(CubeBuild.monthDir(wh, ReportCube.CUBE, SEP));
            Warehouse.deleteTree(CubeBuild.monthDir(wh, ReportCube.CUBE, OCT));
            assertTrue(ReportCube.open(duck, wh).apex(OCT, 4).isEmpty());
            ReportData none = Report.collect(duck, wh, OCT, null);
            assertEquals(facts.trend(), none.trend());
            assertEquals(facts.breakdowns(), none.breakdowns());
        }
    }

    /**
     * A snapshot holding c1 twice (a warehouse written by another tool; ingest and the cube build
     * refuse it): the breakdowns join customers and count c1's usage twice, the month totals never
     * joined and count it once, as before the facts were read in one scan.
     */
    @Test
    void factsScanCountsACustomerHeldTwiceTwiceInBreakdownsAndOnceInTotals() {
        Warehouse wh = ReportFixture.build(tmp.resolve("wh"));
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            duck.registerParquet("old_snapshot", wh.latestCustomersSnapshot().orElseThrow());
            duck.writeParquet("SELECT * FROM old_snapshot UNION ALL SELECT * FROM old_snapshot WHERE customer_id = 'c1'",
                    wh.customersSnapshot(java.time.LocalDate.of(2026, 11, 1)), List.of());
            wh.registerViews(duck);
            ReportData r = Report.collect(duck, wh, OCT, null);
            assertEquals(List.of(new ReportData.MonthPoint(SEP, new BigDecimal("50.00"), 4), new ReportData.MonthPoint(OCT, new BigDecimal("69.75"), 3)),
                    r.trend());
            assertEquals(List.of("Chengdu 92.25 25.00 2", "Mianyang 20.00 35.00 1"), rows(r, "region"));
            assertEquals(List.of("voice 60.00 35.00 1", "data 45.00 20.00 2", "subscription 7.25 0.00 1", "sms 0.00 5.00 0"), rows(r, "product"));
            assertEquals(List.of("store 85.00 35.00 1", "online 20.00 20.00 1", "agent 7.25 5.00 1"), rows(r, "channel"));
        }
    }

    /** The fixture's figures: 2026-09 revenue 50.00 / 4 users, 2026-10 69.75 / 3; by city, product line and channel. */
    private static void assertHandFigures(ReportData r) {
        assertEquals(List.of(new ReportData.MonthPoint(SEP, new BigDecimal("50.00"), 4), new ReportData.MonthPoint(OCT, new BigDecimal("69.75"), 3)),
                r.trend());
        assertEquals(List.of("Chengdu 49.75 15.00 2", "Mianyang 20.00 35.00 1"), rows(r, "region"));
        assertEquals(List.of("data 32.50 20.00 2", "voice 30.00 25.00 1", "subscription 7.25 0.00 1", "sms 0.00 5.00 0"), rows(r, "product"));
        assertEquals(List.of("store 42.50 25.00 1", "online 20.00 20.00 1", "agent 7.25 5.00 1"), rows(r, "channel"));
    }

    private static List<String> rows(ReportData r, String id) {
        List<String> out = new ArrayList<>();
        for (ReportData.Breakdown b : r.breakdowns()) {
            if (b.id().equals(id)) {
                b.members().forEach(m -> out.add(m.name() + " " + m.revenue() + " " + m.previous() + " " + m.users()));
            }
        }
        return out;
    }
}
