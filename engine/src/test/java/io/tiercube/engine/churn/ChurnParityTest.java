package io.tiercube.engine.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model scored as SQL by each engine equals the model computed in Java, and both engines agree. */
class ChurnParityTest {

    @TempDir
    static Path dir;
    static Warehouse wh;
    static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    @BeforeAll
    static void build() {
        wh = ChurnFixture.build(dir.resolve("wh"), 400, 5);
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            ChurnJob.train(duck, wh, YearMonth.of(2026, 8), 2);
        }
    }

    /** customer_id → [sql score, java score], and customer_id → band + reasons, for one engine. */
    private static Map<String, Object[]> scoreWith(Backend b) {
        ChurnJob.ScoreResult r = ChurnJob.score(b, wh, OCTOBER);
        ModelFile mf = ModelFile.read(wh);
        b.registerParquet("scores_oct", r.partition());
        Table sql = b.query("SELECT customer_id, churn_score, churn_band, churn_reasons FROM scores_oct");
        Table f = b.query(Features.sql(b.dialect(), OCTOBER, ChurnFixture.FIRST, 0, true));
        Map<String, Double> java = new HashMap<>();
        List<String> features = mf.model().features();
        for (int i = 0; i < f.size(); i++) {
            java.put(f.getString(i, "customer_id"), mf.model().probability(FeatureView.row(f, i, features)));
        }
        Map<String, Object[]> out = new HashMap<>();
        for (int i = 0; i < sql.size(); i++) {
            String id = sql.getString(i, "customer_id");
            out.put(id, new Object[] {sql.getDouble(i, "churn_score"), java.get(id), sql.getString(i, "churn_band"), sql.getString(i, "churn_reasons")});
        }
        assertEquals(f.size(), sql.size());
        return out;
    }

    @Test
    void sqlScoresEqualJavaScoresOnBothEnginesAndTheEnginesAgree() {
        Map<String, Object[]> duck;
        try (Backend b = Engine.DUCKDB.open(Engine.Options.defaults())) {
            duck = scoreWith(b);
        }
        Map<String, Object[]> spark;
        try (Backend b = Engine.SPARK.open(Engine.Options.defaults())) {
            spark = scoreWith(b);
        }
        assertEquals(duck.keySet(), spark.keySet());
        int withReasons = 0;
        for (Map.Entry<String, Object[]> e : duck.entrySet()) {
            Object[] d = e.getValue();
            Object[] s = spark.get(e.getKey());
            assertEquals((Double) d[1], (Double) d[0], 1e-9, "DuckDB SQL vs Java for " + e.getKey());
            assertEquals((Double) s[1], (Double) s[0], 1e-9, "Spark SQL vs Java for " + e.getKey());
            assertEquals((Double) d[0], (Double) s[0], 1e-9, "DuckDB vs Spark for " + e.getKey());
            assertEquals(d[2], s[2], "band of " + e.getKey());
            assertEquals(d[3], s[3], "reasons of " + e.getKey());
            withReasons += d[3] == null ? 0 : 1;
        }
        assertTrue(withReasons > duck.size() / 4, "most customers get reasons: " + withReasons + " of " + duck.size());
    }
}
