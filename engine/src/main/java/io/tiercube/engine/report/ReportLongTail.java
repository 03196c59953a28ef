package io.tiercube.engine.report;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.segment.LongTail;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/**
 * {@link LongTail#compute} (without {@code --by}) over small inputs instead of the facts: each of its
 * queries re-reads the month's usage, several times over through its views. The same units and
 * amounts are already materialized:
 *
 * <ul>
 * <li>customers: the month's profile has one row per customer on the network or with usage (the
 * same population rule) and their month's spend {@code spend_m0}; read when the profile was written
 * after the month's usage and the customers snapshot last changed, and the current cube month has no
 * {@code (unknown)} city (so every customer with usage is in the snapshot, as the profile needs);</li>
 * <li>products: the cube's cells at product grain summed over their ancestors (revenue is additive),
 * when the cube month is current and has no {@code (unknown)} product (NULL and a product named so
 * would merge).</li>
 * </ul>
 *
 * The figures are then computed by {@link LongTail#concentrations} over the same DECIMAL(18,2)
 * amounts. Empty when any month needs the facts: the caller runs {@link LongTail#compute}.
 */
final class ReportLongTail {

    private final Backend b;
    private final Warehouse wh;
    private final ReportCube cube;
    private final java.util.function.ToLongFunction<YearMonth> rows;

    ReportLongTail(Backend b, Warehouse wh, ReportCube cube, java.util.function.ToLongFunction<YearMonth> factRows) {
        this.b = b;
        this.wh = wh;
        this.cube = cube;
        this.rows = factRows;
    }

    Optional<LongTail.LongTailReport> compute(YearMonth month) {
        if (cube == null || wh.latestCustomersSnapshot().isEmpty() || !Files.isDirectory(wh.monthPartition("usage", month))) {
            return Optional.empty();
        }
        YearMonth prev = month.minusMonths(1);
        boolean withPrev = Files.isDirectory(wh.monthPartition("usage", prev));
        Optional<String> cNow = customers(month);
        Optional<String> pNow = products(month);
        Optional<String> cPrev = withPrev ? customers(prev) : Optional.empty();
        Optional<String> pPrev = withPrev ? products(prev) : Optional.empty();
        if (cNow.isEmpty() || pNow.isEmpty() || withPrev && (cPrev.isEmpty() || pPrev.isEmpty())) {
            return Optional.empty();
        }
        LongTail.Scope customers = new LongTail.Scope(orEmpty(run(cNow.get(), true)), withPrev ? run(cPrev.get(), false) : null);
        LongTail.Scope products = new LongTail.Scope(orEmpty(run(pNow.get(), true)), withPrev ? run(pPrev.get(), false) : null);
        return Optional.of(new LongTail.LongTailReport(month, withPrev ? prev : null, null, customers, products, List.of()));
    }

    /** The customers population of the month from its profile, or empty when the profile may be stale. */
    private Optional<String> customers(YearMonth m) {
        long n = rows.applyAsLong(m);
        Path profile = wh.monthPartition("profiles", m);
        String view = "rpt_lt_profile_" + m.toString().replace('-', '_');
        if (n == 0 || !cube.hasNoUnknown(m, n, "city") || !b.registerParquet(view, profile)
                || ProfileTiers.newestModified(List.of(wh.monthPartition("usage", m), wh.latestCustomersSnapshot().get()))
                >= ProfileTiers.oldestFile(profile)) {
            return Optional.empty();
        }
        return Optional.of("SELECT 'all' AS g, customer_id AS id, CAST(GREATEST(COALESCE(spend_m0, 0), 0) AS DECIMAL(18,2)) AS x FROM " + view);
    }

    /** The products population of the month from the cube's cells, or empty when the facts must answer. */
    private Optional<String> products(YearMonth m) {
        long n = rows.applyAsLong(m);
        if (n == 0 || !cube.hasNoUnknown(m, n, "product")) {
            return Optional.empty();
        }
        return cube.revenueCells(m, n, "product").map(cells -> "SELECT 'all' AS g, member AS id,"
                + " CAST(GREATEST(sum(revenue), 0) AS DECIMAL(18,2)) AS x FROM (" + cells + ") c GROUP BY member");
    }

    private static LongTail.Concentration orEmpty(LongTail.Concentration c) {
        return LongTail.orEmpty(c);
    }

    private LongTail.Concentration run(String population, boolean fullLorenz) {
        return LongTail.concentrations(b, population, fullLorenz).get("all");
    }
}
