/**
 * Churn risk: who is likely to leave, and why, in words an account manager acts on.
 *
 * <p>The idea. For every customer active at the end of a month, {@code Features} computes in SQL
 * (the same text on DuckDB and Spark) the signals that precede churn: spend now against the previous
 * three months, per service (the long-distance line that fell 68 %), the six-month trend, how active
 * the customer still is, tenure, plan, complaints and their resolution, and how many of the people
 * they call have already left. The label is "closed within the horizon after that month". A
 * {@link io.tiercube.engine.churn.ChurnModel} learns from one labelled month and is then compiled
 * back to one SQL expression, so the engine scores every customer where the data lives; the
 * per-feature contributions, ranked in SQL, become the three reasons shown beside each score.
 *
 * <p>The public face is small: {@link io.tiercube.engine.churn.ChurnJob} (train, score, evaluate,
 * for the CLI and the nightly job), {@link io.tiercube.engine.churn.ChurnModel} (the seam a second
 * model family plugs into), {@link io.tiercube.engine.churn.ChurnModels} (reading model files) and
 * {@link io.tiercube.engine.churn.Evaluation} (what the report shows). {@code ChurnJob} only delegates:
 * training, scoring, the out-of-sample evaluations, the model file, the feature view in {@code _tmp/}
 * and the warehouse checks each have a package-private class, as do the logistic regression, the
 * feature SQL, the scoring SQL and the CSV encoder.
 *
 * <p>This package reads the warehouse views {@code customers}, {@code usage} and {@code complaints},
 * writes only {@code models/churn.json} and {@code churn_scores/month=YYYY-MM/}, and never takes the
 * writer lock (its callers do). docs/churn.md is the user-facing description.
 */
package io.tiercube.engine.churn;
