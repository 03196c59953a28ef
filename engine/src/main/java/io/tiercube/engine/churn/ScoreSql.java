package io.tiercube.engine.churn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compiles a model into the one SELECT that scores every row of a feature table: probability, band
 * and the three features that raise the risk most, in words. Reasons are computed in SQL too:
 * per-feature contributions are unpivoted (cross join with an index table), identical phrases merged, ranked with
 * {@code row_number()}, and the top three joined with {@code concat_ws}.
 */
final class ScoreSql {

    /** Contributions smaller than this (log-odds) are too weak to name as a reason. */
    static final double MIN_REASON_LOG_ODDS = 0.05;

    private ScoreSql() {
    }

    /**
     * @param featureView a view or table with {@code customer_id}, the model's features and {@code largest_drop_service}
     * @param month the {@code month} column's value ('YYYY-MM', engine-made)
     */
    static String select(ChurnModel model, Map<String, Double> featureMeans, double bandHigh, double bandMedium,
            String featureView, String month) {
        List<String> cols = model.features();
        List<String> contrib = model.contributionSql(cols);
        StringBuilder s = new StringBuilder("WITH s AS (\n  SELECT customer_id, ")
                .append(model.toSqlExpression(cols)).append(" AS churn_score");
        List<Integer> explained = new ArrayList<>();
        for (int j = 0; j < cols.size(); j++) {
            Features.Feature f = Features.feature(cols.get(j));
            if (f == null) {
                continue;
            }
            Double mean = featureMeans.get(cols.get(j));
            String meanSql = LogisticModel.lit(mean == null ? 0.0 : mean);
            s.append(",\n    ").append(contrib.get(j)).append(" AS k_").append(j)
                    .append(",\n    ").append(f.reason().apply(meanSql)).append(" AS t_").append(j);
            explained.add(j);
        }
        s.append("\n  FROM ").append(featureView).append("\n)");
        if (explained.isEmpty()) {
            s.append("\nSELECT '").append(month).append("' AS month, customer_id, churn_score, ")
                    .append(band(bandHigh, bandMedium)).append(" AS churn_band, CAST(NULL AS STRING) AS churn_reasons FROM s");
            return s.toString();
        }
        // Unpivot by a cross join with a small index table: one scan of s, and a plan that stays small
        // on Spark (a UNION ALL of one branch per feature would copy the scoring plan into every branch).
        s.append(", ix AS (\n  ");
        for (int i = 0; i < explained.size(); i++) {
            s.append(i == 0 ? "" : " UNION ALL ").append("SELECT ").append(i).append(" AS k");
        }
        StringBuilder contribution = new StringBuilder("CASE ix.k");
        StringBuilder phrase = new StringBuilder("CASE ix.k");
        for (int i = 0; i < explained.size(); i++) {
            int j = explained.get(i);
            contribution.append(" WHEN ").append(i).append(" THEN s.k_").append(j);
            phrase.append(" WHEN ").append(i).append(" THEN s.t_").append(j);
        }
        contribution.append(" END");
        phrase.append(" END");
        s.append("\n), r AS (\n  SELECT s.customer_id, ").append(contribution).append(" AS contribution,\n    ")
                .append(phrase).append(" AS phrase\n  FROM s CROSS JOIN ix\n");
        s.append("), d AS (\n")
                .append("  SELECT customer_id, phrase, max(contribution) AS contribution FROM r\n")
                .append("  WHERE contribution > ").append(LogisticModel.lit(MIN_REASON_LOG_ODDS)).append(" AND phrase IS NOT NULL\n")
                .append("  GROUP BY customer_id, phrase\n")
                .append("), k AS (\n")
                .append("  SELECT customer_id, phrase, row_number() OVER (PARTITION BY customer_id ORDER BY contribution DESC NULLS LAST,")
                .append(" phrase ASC NULLS LAST) AS rn FROM d\n")
                .append("), p AS (\n")
                .append("  SELECT customer_id, max(CASE WHEN rn = 1 THEN phrase END) AS r1, max(CASE WHEN rn = 2 THEN phrase END) AS r2,")
                .append(" max(CASE WHEN rn = 3 THEN phrase END) AS r3\n")
                .append("  FROM k WHERE rn <= 3 GROUP BY customer_id\n")
                .append(")\n")
                .append("SELECT '").append(month).append("' AS month, s.customer_id, s.churn_score, ")
                .append(band(bandHigh, bandMedium)).append(" AS churn_band,\n")
                .append("  NULLIF(concat_ws('; ', p.r1, p.r2, p.r3), '') AS churn_reasons\n")
                .append("FROM s LEFT JOIN p ON p.customer_id = s.customer_id");
        return s.toString();
    }

    private static String band(double high, double medium) {
        return "CASE WHEN s.churn_score >= " + LogisticModel.lit(high) + " THEN 'high' WHEN s.churn_score >= "
                + LogisticModel.lit(medium) + " THEN 'medium' ELSE 'low' END";
    }
}
