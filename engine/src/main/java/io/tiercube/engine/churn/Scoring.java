package io.tiercube.engine.churn;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.segment.CustomerMonths;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;

/** Scoring a month with the saved model, in SQL on the engine, into {@code churn_scores/month=YYYY-MM}. */
final class Scoring {

    private Scoring() {
    }

    static ChurnJob.ScoreResult score(Backend b, Warehouse wh, YearMonth month) {
        wh.registerViews(b);
        ModelFile mf = ModelFile.read(wh);
        Path target = wh.monthPartition("churn_scores", month);
        // The month's sums, stored for the features and, after them, the profiles: one scan of its facts for both;
        // and its contacts, which the next two months' features read instead of its facts.
        CustomerMonths.store(b, wh, month);
        ContactMonths.store(b, wh, month);
        FeatureView.with(b, wh, month, 0, (view, n) -> {
            Path staged = wh.newStaging("churn-scores");
            b.writeParquet(ScoreSql.select(mf.model(), mf.means(), mf.bandHigh(), mf.bandMedium(), view, month.toString()),
                    staged.resolve("p"), List.of());
            wh.commit(staged.resolve("p"), target);
            return n;
        });
        wh.registerViews(b);
        b.registerParquet("churn_scores_month", target);
        Table t = b.query("SELECT churn_band, count(*) AS n FROM churn_scores_month GROUP BY churn_band");
        long high = 0;
        long medium = 0;
        long low = 0;
        for (int i = 0; i < t.size(); i++) {
            long n = t.getLong(i, "n");
            switch (t.getString(i, "churn_band")) {
                case "high" -> high = n;
                case "medium" -> medium = n;
                default -> low = n;
            }
        }
        return new ChurnJob.ScoreResult(month, high + medium + low, high, medium, low, mf.asOf(), target);
    }
}
