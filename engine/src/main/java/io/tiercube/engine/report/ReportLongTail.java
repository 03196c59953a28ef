package io.tiercube.engine.report;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.segment.LongTail;
import io.tiercube.engine.warehouse.Warehouse;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * The figures are then computed by the same SQL as {@code LongTail.run} over the same DECIMAL(18,2)
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

    // From here on LongTail.run, orEmpty, money and split, over the population given.

    private static LongTail.Concentration orEmpty(LongTail.Concentration c) {
        if (c != null) {
            return c;
        }
        LongTail.Split none = new LongTail.Split(0, 0.0, BigDecimal.ZERO.setScale(2), 0.0, null);
        return new LongTail.Concentration(0, BigDecimal.ZERO.setScale(2), null, null, none, none, List.of());
    }

    private LongTail.Concentration run(String population, boolean fullLorenz) {
        // Materialised, as LongTail.run does: the summary and the Lorenz points read them again.
        b.materialize("rpt_lt_pop", population);
        b.materialize("rpt_lt_r", "SELECT g, id, x,"
                + " row_number() OVER (PARTITION BY g ORDER BY x ASC NULLS LAST, id ASC NULLS LAST) AS i,"
                + " sum(x) OVER (PARTITION BY g ORDER BY x ASC NULLS LAST, id ASC NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum,"
                + " count(*) OVER (PARTITION BY g) AS n, sum(x) OVER (PARTITION BY g) AS t FROM rpt_lt_pop");
        b.createView("rpt_lt_sum", "SELECT g, max(n) AS n, max(t) AS t, sum(i * x) AS s,"
                + " sum(CASE WHEN (t - cum) * 10 < t * 8 THEN 1 ELSE 0 END) AS head_n,"
                + " sum(CASE WHEN (t - cum) * 10 < t * 8 THEN x ELSE 0 END) AS head_rev FROM rpt_lt_r GROUP BY g");
        Table s = b.query("SELECT g, n, t, head_n, head_rev,"
                + " CAST(2 * s - (n + 1) * t AS DOUBLE) / CAST(NULLIF(n * t, 0) AS DOUBLE) AS gini FROM rpt_lt_sum ORDER BY g ASC NULLS LAST");
        StringBuilder ks = new StringBuilder();
        for (int k = fullLorenz ? 1 : 80; k <= (fullLorenz ? 100 : 80); k++) {
            ks.append(ks.length() == 0 ? "" : ", ").append("(").append(k).append(")");
        }
        String idx = "CAST((k.k * s.n - (k.k * s.n) % 100) / 100 AS BIGINT)";
        Table l = b.query("SELECT s.g, k.k,"
                + " CAST(100 * COALESCE(a.cum, 0) + ((k.k * s.n) % 100) * COALESCE(nx.x, 0) AS DOUBLE) / CAST(NULLIF(100 * s.t, 0) AS DOUBLE) AS y,"
                + " CAST(100 * s.t - (100 * COALESCE(a.cum, 0) + ((k.k * s.n) % 100) * COALESCE(nx.x, 0)) AS DOUBLE)"
                + " / CAST(NULLIF(100 * s.t, 0) AS DOUBLE) AS rest"
                + " FROM rpt_lt_sum s CROSS JOIN (SELECT * FROM (VALUES " + ks + ") AS kk(k)) k"
                + " LEFT JOIN rpt_lt_r a ON a.g = s.g AND a.i = " + idx
                + " LEFT JOIN rpt_lt_r nx ON nx.g = s.g AND nx.i = " + idx + " + 1"
                + " ORDER BY s.g ASC NULLS LAST, k.k ASC NULLS LAST");
        Map<String, List<double[]>> lorenz = new LinkedHashMap<>();
        Map<String, Double> top20 = new LinkedHashMap<>();
        for (int i = 0; i < l.size(); i++) {
            String g = l.getString(i, "g");
            long k = l.getLong(i, "k");
            Object y = l.get(i, "y");
            if (fullLorenz && y != null) {
                lorenz.computeIfAbsent(g, x -> new ArrayList<>()).add(new double[] {k / 100.0, ((Number) y).doubleValue()});
            }
            if (k == 80 && l.get(i, "rest") != null) {
                top20.put(g, ((Number) l.get(i, "rest")).doubleValue());
            }
        }
        for (int i = 0; i < s.size(); i++) {
            String g = s.getString(i, "g");
            long n = s.getLong(i, "n");
            BigDecimal t = money(s.getDecimal(i, "t"));
            long hn = s.getLong(i, "head_n");
            BigDecimal hr = money(s.getDecimal(i, "head_rev"));
            Object gini = s.get(i, "gini");
            return new LongTail.Concentration(n, t, gini == null ? null : ((Number) gini).doubleValue(), top20.get(g),
                    split(hn, n, hr, t), split(n - hn, n, t.subtract(hr), t), List.copyOf(lorenz.getOrDefault(g, List.of())));
        }
        return null;
    }

    private static BigDecimal money(BigDecimal d) {
        return d == null ? BigDecimal.ZERO.setScale(2) : d.setScale(2, java.math.RoundingMode.HALF_EVEN);
    }

    private static LongTail.Split split(long k, long n, BigDecimal rev, BigDecimal total) {
        return new LongTail.Split(k, n == 0 ? 0.0 : (double) k / n, rev, total.signum() == 0 ? 0.0 : rev.doubleValue() / total.doubleValue(),
                k == 0 ? null : rev.divide(BigDecimal.valueOf(k), MathContext.DECIMAL64).doubleValue());
    }
}
