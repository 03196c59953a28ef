package io.tiercube.engine.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChurnJobTest {

    @TempDir
    static Path dir;
    static Warehouse wh;
    static Backend duck;

    @BeforeAll
    static void build() {
        wh = ChurnFixture.build(dir.resolve("wh"), 1500, 11);
        duck = Engine.DUCKDB.open(Engine.Options.defaults());
    }

    @AfterAll
    static void close() {
        duck.close();
    }

    @Test
    void outOfTimeEvaluationFindsThePlantedDeclineSignal() {
        Evaluation e = ChurnJob.evaluateOutOfTime(duck, wh, YearMonth.of(2026, 7), 2);
        assertTrue(e.rocAuc() >= 0.80, "ROC AUC " + e.rocAuc());
        assertTrue(e.topDecileLift() >= 3.0, "top-decile lift " + e.topDecileLift());
        assertEquals(10, e.calibration().size());
        assertEquals(e.rowsTest(), e.calibration().stream().mapToLong(Evaluation.CalibrationBin::rows).sum());
    }

    @Test
    void trainWritesTheModelFileAndScoreWritesEveryActiveCustomer() {
        ChurnJob.TrainResult t = ChurnJob.train(duck, wh, YearMonth.of(2026, 8), 2);
        assertTrue(t.positives() >= 10);
        JsonNode doc = Warehouse.readJson(ChurnJob.modelFile(wh), JsonNode.class);
        assertEquals("2026-08", doc.get("as_of").asText());
        assertEquals(2, doc.get("horizon").asInt());
        assertEquals(Features.names().size(), doc.get("model").get("features").size());
        assertTrue(doc.get("bands").get("high").asDouble() > doc.get("bands").get("medium").asDouble());
        assertTrue(doc.get("validation").get("roc_auc").asDouble() > 0.7, doc.get("validation").toString());

        ChurnJob.ScoreResult s = ChurnJob.score(duck, wh, YearMonth.of(2026, 10));
        long active = duck.query("SELECT count(*) FROM customers WHERE join_date <= DATE '2026-10-31'"
                + " AND (closed_date IS NULL OR closed_date > DATE '2026-10-31')").scalarLong();
        assertEquals(active, s.customers());
        assertEquals(s.customers(), s.high() + s.medium() + s.low());
        assertTrue(Files.isDirectory(wh.monthPartition("churn_scores", YearMonth.of(2026, 10))));
        Table top = duck.query("SELECT month, customer_id, churn_score, churn_band, churn_reasons FROM churn_scores"
                + " ORDER BY churn_score DESC NULLS LAST, customer_id LIMIT 5");
        assertEquals("high", top.getString(0, "churn_band"));
        assertEquals("2026-10", top.getString(0, "month"));
        assertTrue(top.getString(0, "churn_reasons") != null && !top.getString(0, "churn_reasons").isEmpty());
        assertTrue(ChurnJob.trainIfStale(duck, wh, YearMonth.of(2026, 10), 2, Duration.ofDays(30)).isEmpty());

        ChurnJob.ModelSummary summary = ChurnJob.modelSummary(wh).orElseThrow();
        assertEquals(YearMonth.of(2026, 8), summary.asOf());
        assertEquals(t.validation().rocAuc(), summary.validation().rocAuc(), 1e-12);
        assertEquals(t.outOfTime().rocAuc(), summary.outOfTime().rocAuc(), 1e-12);
        assertTrue(summary.outOfTime().description().contains("tested as of 2026-08"), summary.outOfTime().description());
    }

    @Test
    void aModelOlderThanItsMaximumAgeOrForAnotherHorizonIsRetrained() {
        ChurnJob.train(duck, wh, YearMonth.of(2026, 7), 1);
        var again = ChurnJob.trainIfStale(duck, wh, YearMonth.of(2026, 10), 2, Duration.ofDays(30));
        assertEquals(YearMonth.of(2026, 8), again.orElseThrow().asOf(), "horizon changed from 1 to 2: retrained as of 2026-10 minus 2");
        assertTrue(ChurnJob.trainIfStale(duck, wh, YearMonth.of(2026, 10), 2, Duration.ZERO).isPresent(), "older than zero days");
    }

    @Test
    void trainingBeforeTheLabelsAreKnownIsRefused() {
        UserError e = assertThrows(UserError.class, () -> ChurnJob.train(duck, wh, YearMonth.of(2026, 9), 2));
        assertEquals(UserError.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("2026-08 or earlier"), e.getMessage());
    }
}
