package io.tiercube.engine.segment;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.Warehouse;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Concentration and the long tail of one month's revenue, for customers and for products, in SQL:
 * the Lorenz curve (100 points), the Gini coefficient, the top-20 % share, and the head/tail split,
 * with the same figures for the month before (the month-over-month trend).
 *
 * <p>Definitions (all computed exactly in decimals, then divided once as doubles):
 * <ul>
 * <li>Customers: everyone on the network in the month (joined by its end, not closed before its start)
 * plus anyone with usage in it; revenue = the month's charges (refunds net out; a negative total counts
 * as 0). Products: every product with usage in the month.</li>
 * <li>Lorenz: units sorted by revenue ascending; L(p) at p = k/100, k = 1..100, is the revenue share of
 * the poorest p, interpolated linearly inside a unit (so it is exact for any n).</li>
 * <li>Gini = (2 Σ i·x<sub>i</sub>) / (n Σ x) - (n+1)/n over the ascending order: 0 when all are equal,
 * (n-1)/n when one unit has everything.</li>
 * <li>Top-20 % share = 1 - L(0.8).</li>
 * <li>Head: the smallest set of top units holding at least 80 % of revenue; tail: the rest.</li>
 * </ul>
 */
public final class LongTail {

    private LongTail() {
    }

    /** Levels {@code --by} accepts, and the customer column each reads. */
    public static final Map<String, String> BY_LEVELS = byLevels();

    private static Map<String, String> byLevels() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("region.province", "province");
        m.put("region.city", "city");
        m.put("region.district", "district");
        m.put("segment", "segment");
        m.put("channel.type", "channel_type");
        m.put("channel.outlet", "channel");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Head or tail.
     *
     * @param share fraction of units; {@code revenueShare} fraction of revenue; arpu revenue / n (null when n = 0)
     */
    public record Split(long n, double share, BigDecimal revenue, double revenueShare, Double arpu) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", n);
            m.put("share", share);
            m.put("revenue", revenue);
            m.put("revenue_share", revenueShare);
            m.put("arpu", arpu);
            return m;
        }
    }

    /**
     * The figures of one population in one month. {@code gini} and {@code top20Share} are null when the
     * revenue is zero. {@code lorenz} holds [x, y] pairs for x = 0.01 ... 1.00 (empty for the previous month).
     */
    public record Concentration(long n, BigDecimal revenue, Double gini, Double top20Share, Split head, Split tail,
                                List<double[]> lorenz) {
        Map<String, Object> toMap(boolean withLorenz) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", n);
            m.put("revenue", revenue);
            m.put("gini", gini);
            m.put("top20_share", top20Share);
            m.put("head", head.toMap());
            m.put("tail", tail.toMap());
            if (withLorenz) {
                m.put("lorenz", lorenz);
            }
            return m;
        }
    }

    /** This month and the month before (null when the warehouse has no usage for it). */
    public record Scope(Concentration current, Concentration previous) {
        Map<String, Object> toMap() {
            Map<String, Object> m = current.toMap(true);
            m.put("previous", previous == null ? null : previous.toMap(false));
            return m;
        }
    }

    /** The figures within one group of {@code --by}. */
    public record Group(String group, Scope customers, Scope products) {
    }

    /** Everything {@code tiercube longtail} shows. {@code by} and {@code groups} are null/empty without --by. */
    public record LongTailReport(YearMonth month, YearMonth previousMonth, String by, Scope customers, Scope products, List<Group> groups) {

        /**
         * The JSON document: {@code {"month", "customers": {"n", "gini", "top20_share", "head": {...},
         * "tail": {...}, "lorenz": [[x, y], ...], "previous": {...}}, "products": {...}}}, plus
         * {@code "by"} and {@code "groups": [{"group", "customers", "products"}]} with --by.
         */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("month", month.toString());
            m.put("previous_month", previousMonth == null ? null : previousMonth.toString());
            m.put("customers", customers.toMap());
            m.put("products", products.toMap());
            if (by != null) {
                m.put("by", by);
                List<Map<String, Object>> gs = new ArrayList<>();
                for (Group g : groups) {
                    Map<String, Object> gm = new LinkedHashMap<>();
                    gm.put("group", g.group());
                    gm.put("customers", g.customers().toMap());
                    gm.put("products", g.products().toMap());
                    gs.add(gm);
                }
                m.put("groups", gs);
            }
            return m;
        }
    }

    /**
     * Computes the report. The backend must have the warehouse views registered.
     *
     * @param by a level of {@link #BY_LEVELS}, or null
     */
    public static LongTailReport compute(Backend b, Warehouse wh, YearMonth month, String by) {
        List<YearMonth> months = SegmentViews.requireMonth(wh, month);
        String byColumn = null;
        if (by != null) {
            byColumn = BY_LEVELS.get(by);
            if (byColumn == null) {
                throw new UserError(UserError.Kind.BAD_QUERY, "unknown level '" + by + "' for --by: expected one of "
                        + String.join(", ", BY_LEVELS.keySet())
                        + Names.closest(by, BY_LEVELS.keySet()).map(c -> " (did you mean '" + c + "'?)").orElse(""));
            }
        }
        YearMonth prevMonth = months.contains(month.minusMonths(1)) ? month.minusMonths(1) : null;
        Map<String, Concentration> cNow = run(b, "customers", month, null, true);
        Map<String, Concentration> pNow = run(b, "products", month, null, true);
        Map<String, Concentration> cPrev = prevMonth == null ? Map.of() : run(b, "customers", prevMonth, null, false);
        Map<String, Concentration> pPrev = prevMonth == null ? Map.of() : run(b, "products", prevMonth, null, false);
        Scope customers = new Scope(orEmpty(cNow.get("all")), cPrev.get("all"));
        Scope products = new Scope(orEmpty(pNow.get("all")), pPrev.get("all"));
        List<Group> groups = new ArrayList<>();
        if (byColumn != null) {
            Map<String, Concentration> gc = run(b, "customers", month, byColumn, true);
            Map<String, Concentration> gp = run(b, "products", month, byColumn, true);
            Map<String, Concentration> gcp = prevMonth == null ? Map.of() : run(b, "customers", prevMonth, byColumn, false);
            Map<String, Concentration> gpp = prevMonth == null ? Map.of() : run(b, "products", prevMonth, byColumn, false);
            TreeMap<String, Boolean> keys = new TreeMap<>();
            gc.keySet().forEach(k -> keys.put(k, true));
            gp.keySet().forEach(k -> keys.put(k, true));
            for (String k : keys.keySet()) {
                groups.add(new Group(k, new Scope(orEmpty(gc.get(k)), gcp.get(k)), new Scope(orEmpty(gp.get(k)), gpp.get(k))));
            }
        }
        return new LongTailReport(month, prevMonth, by, customers, products, List.copyOf(groups));
    }

    /** The figures of an empty population (no customers or products at all) when {@code c} is null. */
    public static Concentration orEmpty(Concentration c) {
        if (c != null) {
            return c;
        }
        Split none = new Split(0, 0.0, BigDecimal.ZERO.setScale(2), 0.0, null);
        return new Concentration(0, BigDecimal.ZERO.setScale(2), null, null, none, none, List.of());
    }

    /** Creates {@code lt_pop(g, id, x)} for a scope and month. */
    static String populationSql(String scope, YearMonth m, String byColumn) {
        String start = "DATE '" + m.atDay(1) + "'";
        String end = "DATE '" + m.atEndOfMonth() + "'";
        String g = byColumn == null ? "'all'" : "COALESCE(c." + byColumn + ", '(unknown)')";
        String usage = "SELECT customer_id, product, charge FROM usage WHERE event_date >= " + start + " AND event_date <= " + end;
        if (scope.equals("products")) {
            String join = byColumn == null ? "" : " LEFT JOIN customers c ON c.customer_id = u.customer_id";
            return "SELECT " + g + " AS g, COALESCE(u.product, '(none)') AS id, CAST(GREATEST(sum(u.charge), 0) AS DECIMAL(18,2)) AS x FROM (" + usage + ") u" + join
                    + " GROUP BY " + g + ", COALESCE(u.product, '(none)')";
        }
        String closed = "COALESCE(closed_date, CASE WHEN status = 'closed' THEN snapshot_date END)";
        String onNet = "SELECT * FROM customers WHERE (join_date IS NULL OR join_date <= " + end + ") AND (" + closed + " IS NULL OR "
                + closed + " >= " + start + ")";
        return "SELECT " + g + " AS g, COALESCE(c.customer_id, u.customer_id) AS id, CAST(GREATEST(COALESCE(u.rev, 0), 0) AS DECIMAL(18,2)) AS x"
                + " FROM (" + onNet + ") c FULL OUTER JOIN (SELECT customer_id, sum(charge) AS rev FROM (" + usage + ") uu GROUP BY customer_id) u"
                + " ON u.customer_id = c.customer_id";
    }

    private static Map<String, Concentration> run(Backend b, String scope, YearMonth m, String byColumn, boolean fullLorenz) {
        return concentrations(b, populationSql(scope, m, byColumn), fullLorenz);
    }

    /**
     * The concentration figures of a population given as SQL with columns {@code g} (group),
     * {@code id} (customer or product) and {@code x} (its revenue, DECIMAL(18,2), negatives as 0),
     * per group. {@code fullLorenz} adds the 100-point Lorenz curve. For callers that already hold
     * the population in a smaller relation than the facts (the report reads profiles and cube cells).
     */
    public static Map<String, Concentration> concentrations(Backend b, String population, boolean fullLorenz) {
        // Materialised: the summary, the Lorenz points and the tail read them again, and as views each
        // read was a scan of the month's facts and the windows over it.
        b.materialize("lt_pop", population);
        b.materialize("lt_r", "SELECT g, id, x,"
                + " row_number() OVER (PARTITION BY g ORDER BY x ASC NULLS LAST, id ASC NULLS LAST) AS i,"
                + " sum(x) OVER (PARTITION BY g ORDER BY x ASC NULLS LAST, id ASC NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum,"
                + " count(*) OVER (PARTITION BY g) AS n, sum(x) OVER (PARTITION BY g) AS t FROM lt_pop");
        b.createView("lt_sum", "SELECT g, max(n) AS n, max(t) AS t, sum(i * x) AS s,"
                + " sum(CASE WHEN (t - cum) * 10 < t * 8 THEN 1 ELSE 0 END) AS head_n,"
                + " sum(CASE WHEN (t - cum) * 10 < t * 8 THEN x ELSE 0 END) AS head_rev FROM lt_r GROUP BY g");
        Table s = b.query("SELECT g, n, t, head_n, head_rev,"
                + " CAST(2 * s - (n + 1) * t AS DOUBLE) / CAST(NULLIF(n * t, 0) AS DOUBLE) AS gini FROM lt_sum ORDER BY g ASC NULLS LAST");
        StringBuilder ks = new StringBuilder();
        for (int k = fullLorenz ? 1 : 80; k <= (fullLorenz ? 100 : 80); k++) {
            ks.append(ks.length() == 0 ? "" : ", ").append("(").append(k).append(")");
        }
        String idx = "CAST((k.k * s.n - (k.k * s.n) % 100) / 100 AS BIGINT)";
        Table l = b.query("SELECT s.g, k.k,"
                + " CAST(100 * COALESCE(a.cum, 0) + ((k.k * s.n) % 100) * COALESCE(nx.x, 0) AS DOUBLE) / CAST(NULLIF(100 * s.t, 0) AS DOUBLE) AS y,"
                + " CAST(100 * s.t - (100 * COALESCE(a.cum, 0) + ((k.k * s.n) % 100) * COALESCE(nx.x, 0)) AS DOUBLE)"
                + " / CAST(NULLIF(100 * s.t, 0) AS DOUBLE) AS rest"
                + " FROM lt_sum s CROSS JOIN (SELECT * FROM (VALUES " + ks + ") AS kk(k)) k"
                + " LEFT JOIN lt_r a ON a.g = s.g AND a.i = " + idx
                + " LEFT JOIN lt_r nx ON nx.g = s.g AND nx.i = " + idx + " + 1"
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
        Map<String, Concentration> out = new LinkedHashMap<>();
        for (int i = 0; i < s.size(); i++) {
            String g = s.getString(i, "g");
            long n = s.getLong(i, "n");
            BigDecimal t = money(s.getDecimal(i, "t"));
            long hn = s.getLong(i, "head_n");
            BigDecimal hr = money(s.getDecimal(i, "head_rev"));
            Object gini = s.get(i, "gini");
            out.put(g, new Concentration(n, t, gini == null ? null : ((Number) gini).doubleValue(), top20.get(g),
                    split(hn, n, hr, t), split(n - hn, n, t.subtract(hr), t), List.copyOf(lorenz.getOrDefault(g, List.of()))));
        }
        return out;
    }

    private static BigDecimal money(BigDecimal d) {
        return d == null ? BigDecimal.ZERO.setScale(2) : d.setScale(2, java.math.RoundingMode.HALF_EVEN);
    }

    private static Split split(long k, long n, BigDecimal rev, BigDecimal total) {
        return new Split(k, n == 0 ? 0.0 : (double) k / n, rev, total.signum() == 0 ? 0.0 : rev.doubleValue() / total.doubleValue(),
                k == 0 ? null : rev.divide(BigDecimal.valueOf(k), MathContext.DECIMAL64).doubleValue());
    }
}
