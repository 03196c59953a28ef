/**
 * OLAP cubes over usage records: the cube model, materialized cuboids, drill-down and change
 * attribution.
 *
 * <p>The idea. A {@link io.tiercube.engine.cube.CubeModel} (YAML) names dimensions as level
 * hierarchies (region: province &gt; city &gt; district), measures (sums, counts, exact distinct
 * counts, ratios such as ARPU) and {@code aggregates} groups: for a group, every combination of a
 * prefix of each of its hierarchies is a <em>cuboid</em> to materialize. {@link
 * io.tiercube.engine.cube.CubeBuild} writes, per month, one Parquet file set holding all cuboids of
 * that month (a {@code cuboid_id} column tells them apart; the id is computed by our own SQL, the
 * same on DuckDB and Spark) and a manifest. {@link io.tiercube.engine.cube.DrillQuery} answers a
 * query from the smallest cuboid that covers its levels and filters, or from the facts with a stated
 * reason; {@link io.tiercube.engine.cube.Explain} ranks the members that moved a measure between two
 * months.
 *
 * <p>Distinct counts are not additive. A cuboid's {@code users} is counted at its own grain, and a
 * drill adds cuboid cells only for additive measures: when a distinct count would have to add two
 * cells of one month, the drill answers from the facts instead. Over several months, ratios use
 * user-months (the sum of monthly distinct counts).
 *
 * <p>Exact distinct users at close to additive cost: the region, channel and segment of a usage row
 * come from its customer, so they are functionally determined by {@code customer_id} (the model's
 * {@code customer_attributes}). The build first aggregates the month's usage to customer x
 * (non-customer levels) grain, takes one row of attributes per customer (checked on the data: a
 * customer listed twice fails the build, naming it, rather than being miscounted), and then counts
 * users of every cuboid with plain {@code count(*)} over that pre-aggregate joined to the attributes.
 *
 * <p>This package reads the warehouse's {@code usage} and {@code customers} datasets and owns
 * {@code cubes/<cube>/}; it never writes elsewhere, never takes the writer lock (commands and the
 * nightly job do) and never prints.
 */
package io.tiercube.engine.cube;
