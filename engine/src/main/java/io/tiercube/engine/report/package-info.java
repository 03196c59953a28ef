/**
 * The monthly report: one page an analyst and a marketing lead both want to open.
 *
 * <p>{@link io.tiercube.engine.report.Report#write} gathers a {@code ReportData} (plain records, one per
 * section) from the warehouse, then three writers render it: {@code index.html} (self-contained:
 * inline CSS and hand-written inline SVG charts, no script, no web address, XHTML-compatible so any
 * XML parser accepts it), {@code report.md} and {@code summary.json} (fixed key order, exact money,
 * nothing time-dependent: a rerun writes the same bytes).
 *
 * <p>Sections from the facts (KPIs, revenue by region / product line / channel) are SQL in
 * {@code ReportQueries}; data quality reads run manifests, partition markers and rejects files. The
 * sections built by other packages (change attribution, tiers, lifecycle, churn, long tail) are
 * gathered in {@code Sections}; a section whose data is not in the warehouse says which command
 * builds it. Charts ({@code Charts}) have fixed, documented geometry so tests check coordinates
 * computed by hand.
 *
 * <p>This package only reads the warehouse. It never prints and never takes the writer lock (the CLI
 * command does when it writes inside the warehouse; nightly holds it for all its steps).
 */
package io.tiercube.engine.report;
