package io.tiercube.engine.cube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.Warehouse;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The golden rule (as in Calcite's lattice tests): every drill answered from a cuboid equals the
 * same drill answered from the facts with routing disabled. A few hundred random drills (levels,
 * filters, months, ranges, comparisons) on a generated warehouse.
 */
class DrillGoldenRuleTest {

    static final Map<String, List<String>> MEMBERS = Map.of(
            "region.province", List.of("Sichuan", "Yunnan", "(unknown)"),
            "region.city", List.of("Chengdu", "Mianyang", "Yibin", "Xinjin"),
            "region.district", List.of("Chengdu-0", "Yibin-1", "Xinjin-0"),
            "product.line", List.of("voice", "sms", "data", "vas", "subscription"),
            "product.product", List.of("voice-0", "data-1", "sms-2"),
            "channel.type", List.of("store", "agent", "online"),
            "channel.outlet", List.of("outlet-1", "outlet-4"),
            "segment.segment", List.of("mass_market", "enterprise", "key_account"),
            "time.day", List.of("2026-09-05", "2026-10-12", "2026-10-01"),
            "time.month", List.of("2026-09", "2026-10"));

    static final List<String> MEASURES = List.of("revenue", "events", "minutes", "users", "arpu");

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
        for (YearMonth m : List.of(YearMonth.of(2026, 8), YearMonth.of(2026, 9), YearMonth.of(2026, 10))) {
            CubeBuild.build(duck, wh, model, m);
        }
    }

    @AfterAll
    static void close() {
        duck.close();
    }

    /** A random drill; the same seed always gives the same list. */
    static DrillQuery.Request randomDrill(Random rnd) {
        List<String> levels = new ArrayList<>(MEMBERS.keySet());
        levels.sort(Comparator.naturalOrder());
        List<String> by = new ArrayList<>();
        int nBy = rnd.nextInt(3);
        for (int i = 0; i < nBy; i++) {
            String l = levels.get(rnd.nextInt(levels.size()));
            if (!by.contains(l)) {
                by.add(l);
            }
        }
        List<String> terms = new ArrayList<>();
        int nWhere = rnd.nextInt(3);
        for (int i = 0; i < nWhere; i++) {
            String l = levels.get(rnd.nextInt(levels.size()));
            List<String> vals = MEMBERS.get(l);
            String v = vals.get(rnd.nextInt(vals.size()));
            if (rnd.nextInt(3) == 0) {
                v += "," + vals.get(rnd.nextInt(vals.size()));
            }
            terms.add(l + (rnd.nextInt(6) == 0 ? "!=" : "=") + v.replace("(unknown)", "'(unknown)'"));
        }
        List<String> ms = new ArrayList<>();
        for (String m : MEASURES) {
            if (rnd.nextInt(2) == 0) {
                ms.add(m);
            }
        }
        if (ms.isEmpty()) {
            ms.add("revenue");
        }
        DrillQuery.Request r = new DrillQuery.Request().by(by).measures(ms).where(String.join(" ", terms));
        int period = rnd.nextInt(5);
        if (period < 3) {
            r.month(YearMonth.of(2026, 8 + period));
        } else if (period == 3) {
            r.range(YearMonth.of(2026, 9), YearMonth.of(2026, 10));
        } else {
            r.range(YearMonth.of(2026, 8), YearMonth.of(2026, 10));
        }
        r.compare(DrillQuery.Compare.values()[rnd.nextInt(2)]).share(rnd.nextBoolean());
        if (rnd.nextInt(3) == 0 && !ms.get(0).equals("minutes")) {
            r.top(1 + rnd.nextInt(5));
        }
        return r;
    }

    static void assertSameAnswer(Table expected, Table actual, String what) {
        assertEquals(expected.columns(), actual.columns(), what);
        assertEquals(expected.size(), actual.size(), what + " rows");
        for (int i = 0; i < expected.size(); i++) {
            for (int j = 0; j < expected.columns().size(); j++) {
                Object e = expected.rows().get(i).get(j);
                Object a = actual.rows().get(i).get(j);
                String where = what + " row " + i + " column " + expected.columns().get(j);
                if (e instanceof BigDecimal be) {
                    assertEquals(0, be.compareTo((BigDecimal) a), where + ": " + e + " vs " + a);
                } else if (e instanceof Double de) {
                    assertEquals(de, (Double) a, 1e-9 * Math.max(1, Math.abs(de)), where);
                } else {
                    assertEquals(e, a, where);
                }
            }
        }
    }

    @Test
    void everyDrillAnsweredFromACuboidEqualsTheFactsAnswer() {
        Random rnd = new Random(20261031);
        int routed = 0;
        int fellBack = 0;
        for (int i = 0; i < 300; i++) {
            DrillQuery.Request q = randomDrill(rnd);
            DrillQuery.Result cube = DrillQuery.run(duck, wh, model, q);
            DrillQuery.Result facts = DrillQuery.run(duck, wh, model, q.routing(false));
            q.routing(true);
            assertTrue(!facts.plan().fromCuboid());
            String what = "drill #" + i + " by " + q.by + " where '" + q.where + "' measures " + q.measures + " "
                    + q.from + ".." + q.to + " (" + cube.plan().describe() + ")";
            assertSameAnswer(facts.table(), cube.table(), what);
            if (cube.plan().fromCuboid()) {
                routed++;
            } else {
                fellBack++;
            }
        }
        assertTrue(routed >= 150, "most drills should be answered from cuboids: " + routed + " routed, " + fellBack + " fell back");
    }
}
