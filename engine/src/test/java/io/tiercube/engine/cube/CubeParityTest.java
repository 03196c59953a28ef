package io.tiercube.engine.cube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.Warehouse;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same build and the same drills give the same answers on DuckDB and Spark. */
class CubeParityTest {

    static final List<YearMonth> MONTHS = List.of(YearMonth.of(2026, 9), YearMonth.of(2026, 10));

    @TempDir
    static Path dir;
    static Backend duck;
    static Backend spark;
    static Warehouse onDuck;
    static Warehouse onSpark;
    static CubeModel model;

    @BeforeAll
    static void build() {
        duck = Engine.DUCKDB.open(Engine.Options.defaults());
        spark = Engine.SPARK.open(Engine.Options.defaults());
        model = CubeFixtures.model();
        onDuck = CubeFixtures.generated(duck, dir.resolve("duck"));
        onSpark = CubeFixtures.generated(duck, dir.resolve("spark"));
        for (YearMonth m : MONTHS) {
            CubeBuild.build(duck, onDuck, model, m);
            CubeBuild.build(spark, onSpark, model, m);
        }
    }

    @AfterAll
    static void close() {
        duck.close();
        spark.close();
    }

    static Map<String, List<Object>> cells(Warehouse w) {
        duck.registerParquet("t_parity", CubeBuild.cubeDir(w, "usage"));
        String levels = model.cuboidLevels().stream().map(l -> "COALESCE(" + l.alias() + ", '-')").collect(Collectors.joining(" || '|' || "));
        Table t = duck.query("SELECT month || ':' || CAST(cuboid_id AS VARCHAR) || ':' || " + levels
                + " AS k, m_revenue, m_events, m_minutes, m_users, n_rows FROM t_parity");
        Map<String, List<Object>> out = new TreeMap<>();
        t.rows().forEach(r -> out.put((String) r.get(0), r.subList(1, r.size())));
        return out;
    }

    @Test
    void sparkBuildsTheSameCellsAsDuckDb() {
        Map<String, List<Object>> a = cells(onDuck);
        Map<String, List<Object>> b = cells(onSpark);
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            List<Object> x = a.get(k);
            List<Object> y = b.get(k);
            assertEquals(0, ((BigDecimal) x.get(0)).compareTo((BigDecimal) y.get(0)), k);
            assertEquals(x.get(1), y.get(1), k);
            assertEquals((Double) x.get(2), (Double) y.get(2), 1e-9 * Math.max(1, Math.abs((Double) x.get(2))), k);
            assertEquals(x.get(3), y.get(3), k);
            assertEquals(x.get(4), y.get(4), k);
        }
        for (YearMonth m : MONTHS) {
            assertEquals(CubeBuild.manifest(onDuck, "usage", m).orElseThrow().rows(),
                    CubeBuild.manifest(onSpark, "usage", m).orElseThrow().rows());
        }
    }

    @Test
    void sparkAnswersTheSameDrillsAsDuckDb() {
        Random rnd = new Random(7);
        for (int i = 0; i < 4; i++) {
            DrillQuery.Request q = DrillGoldenRuleTest.randomDrill(rnd);
            if (q.from.isBefore(MONTHS.get(0))) {
                q.month(MONTHS.get(1));
            }
            DrillQuery.Result d = DrillQuery.run(duck, onDuck, model, q);
            DrillQuery.Result s = DrillQuery.run(spark, onSpark, model, q);
            String what = "drill #" + i + " by " + q.by + " where '" + q.where + "' " + q.measures;
            assertEquals(d.plan(), s.plan(), what);
            DrillGoldenRuleTest.assertSameAnswer(d.table(), s.table(), what);
        }
        DrillQuery.Request def = new DrillQuery.Request();
        DrillGoldenRuleTest.assertSameAnswer(DrillQuery.run(duck, onDuck, model, def).table(),
                DrillQuery.run(spark, onSpark, model, def).table(), "default drill");
    }

    @Test
    void sparkExplainsTheSameChangeAsDuckDb() {
        Explain.Request q = new Explain.Request("arpu", MONTHS.get(0), MONTHS.get(1), List.of("region"), 2, null);
        Explain.Result d = Explain.run(duck, onDuck, model, q);
        Explain.Result s = Explain.run(spark, onSpark, model, q);
        assertEquals((Double) d.totalChange(), (Double) s.totalChange(), 1e-9);
        assertEquals(d.contributors().size(), s.contributors().size());
        for (int i = 0; i < d.contributors().size(); i++) {
            assertEquals(d.contributors().get(i).member(), s.contributors().get(i).member());
            assertEquals((Double) d.contributors().get(i).contribution(), (Double) s.contributors().get(i).contribution(), 1e-9);
        }
    }
}
