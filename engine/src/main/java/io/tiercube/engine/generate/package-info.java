/**
 * Sample and benchmark data: a realistic, deterministic input drop (customers, one usage file per day,
 * complaints) in the input contract of {@code docs/input-format.md}, with planted patterns that other
 * features are tested against and bad rows of every reject reason.
 *
 * <p>The idea: every customer gets hidden traits (spend level from a per-segment lognormal, activity
 * rate, service mix, and for some a churn date with a 2–4 month decline, a collapsing service, a mild
 * decline, or a one-off spike month) in one DuckDB table; each day's records are then drawn from those
 * traits in SQL. Every random number is {@code hash(seed, tag, ids…)} mapped to [0, 1), so a value
 * depends only on the seed and its ids, never on threads: the same settings give byte-identical files
 * (on the same DuckDB version). Nothing is made row by row in Java; Java only gzips DuckDB's plain CSV
 * on a background thread and appends the few lines SQL cannot write (wrong column count, invalid
 * UTF-8). {@code _generated.json} lists every planted bad row with file, line, field and expected reason.
 *
 * <p>Public face: {@link io.tiercube.engine.generate.DataGenerator#generate} and
 * {@link io.tiercube.engine.generate.GeneratorSettings}. This package runs DuckDB only (its SQL uses
 * DuckDB functions such as {@code hash}, macros and list literals) and touches no warehouse.
 */
package io.tiercube.engine.generate;
