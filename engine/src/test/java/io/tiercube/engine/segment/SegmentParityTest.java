package io.tiercube.engine.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.backend.Table;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same segment jobs on DuckDB and Spark give the same answers: money exactly, ratios within 1e-9. */
class SegmentParityTest {

    static final YearMonth OCT = YearMonth.of(2026, 10);

    static Fixture fixture(Path dir) {
        Fixture fx = new Fixture(dir);
        String[] cities = {"Chengdu", "Yibin", "Mianyang"};
        YearMonth[] six = Fixture.months("2026-05", "2026-10");
        for (int i = 0; i < 24; i++) {
            String id = String.format("c%02d", i);
            LocalDate join = i % 5 == 0 ? LocalDate.of(2026, 8, 1 + i) : LocalDate.of(2015 + i % 10, 1 + i % 12, 1);
            LocalDate closed = i == 7 ? LocalDate.of(2026, 10, 9) : null;
            fx.customer(id, "138" + String.format("%08d", i * 7919), "客户" + i, cities[i % 3], join, (89 + 50 * (i % 12)) + ".00", closed);
            for (int k = 0; k < 6; k++) {
                if (six[k].isBefore(YearMonth.from(join))) {
                    continue;
                }
                long cents = 1000L * ((i * 37 + k * (i % 4 - 1) * 13) % 97 + 3) + i;
                fx.spend(id, six[k], k % 2 == 0 ? "voice" : "data", BigDecimal.valueOf(cents, 2).toPlainString());
                if (i % 3 == 0) {
                    fx.spendOn(id, six[k].atDay(10), "sms", "1.25", "sms-bundle-" + (i % 4));
                }
            }
        }
        return fx.write();
    }

    @Test
    void profilesTiersAndLongTailAgreeOnBothEngines(@TempDir Path dir) {
        Fixture d = fixture(dir.resolve("duck"));
        Fixture s = fixture(dir.resolve("spark"));
        SegmentSettings settings = SegmentSettings.defaults().withPolicy(TierPolicy.preset("unicom-yibin"));
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults()); Backend spark = Engine.SPARK.open(Engine.Options.defaults())) {
            d.wh.registerViews(duck);
            s.wh.registerViews(spark);
            Profiles.build(duck, d.wh, settings, OCT);
            Profiles.build(spark, s.wh, settings, OCT);
            String q = "SELECT * FROM profiles ORDER BY customer_id ASC NULLS LAST";
            Table a = duck.query(q);
            Table b = spark.query(q);
            assertEquals(24, a.size());
            assertEquals(a.size(), b.size());
            for (String col : a.columns()) {
                for (int i = 0; i < a.size(); i++) {
                    same(a.get(i, col), b.get(i, col), col + " of " + a.getString(i, "customer_id"));
                }
            }
            for (String preset : TierPolicy.PRESETS) {
                Tiers.TierReport x = Tiers.report(duck, d.wh, TierPolicy.preset(preset), OCT);
                Tiers.TierReport y = Tiers.report(spark, s.wh, TierPolicy.preset(preset), OCT);
                assertEquals(x.pyramid().stream().map(Tiers.TierRow::customers).toList(), y.pyramid().stream().map(Tiers.TierRow::customers).toList(), preset);
                assertEquals(x.revenue(), y.revenue(), preset);
                assertEquals(x.movements(), y.movements(), preset);
            }
            LongTail.LongTailReport x = LongTail.compute(duck, d.wh, OCT, "region.city");
            LongTail.LongTailReport y = LongTail.compute(spark, s.wh, OCT, "region.city");
            sameConcentration(x.customers().current(), y.customers().current());
            sameConcentration(x.products().current(), y.products().current());
            sameConcentration(x.customers().previous(), y.customers().previous());
            assertEquals(x.groups().size(), y.groups().size());
            for (int i = 0; i < x.groups().size(); i++) {
                assertEquals(x.groups().get(i).group(), y.groups().get(i).group());
                sameConcentration(x.groups().get(i).customers().current(), y.groups().get(i).customers().current());
                sameConcentration(x.groups().get(i).products().current(), y.groups().get(i).products().current());
            }
        }
    }

    static void sameConcentration(LongTail.Concentration a, LongTail.Concentration b) {
        assertEquals(a.n(), b.n());
        assertEquals(a.revenue(), b.revenue());
        same(a.gini(), b.gini(), "gini");
        same(a.top20Share(), b.top20Share(), "top20");
        assertEquals(a.head().n(), b.head().n());
        assertEquals(a.head().revenue(), b.head().revenue());
        assertEquals(a.lorenz().size(), b.lorenz().size());
        for (int i = 0; i < a.lorenz().size(); i++) {
            same(a.lorenz().get(i)[1], b.lorenz().get(i)[1], "lorenz " + i);
        }
    }

    static void same(Object a, Object b, String what) {
        if (a instanceof Double x && b instanceof Double y) {
            assertTrue(Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x)), what + ": " + x + " vs " + y);
        } else if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            assertEquals(0, x.compareTo(y), what + ": " + x + " vs " + y);
        } else {
            assertEquals(a, b, what);
        }
    }
}
