package io.tiercube.engine.report;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Dialect;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.RunManifest;
import io.tiercube.engine.warehouse.Warehouse;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The SQL behind the sections that come straight from the ingested facts (headline KPIs, the
 * monthly trend, revenue by region / product line / channel) and the data-quality section (run
 * manifests, partition markers, rejects files). Month bounds are engine-made DATE literals from a
 * validated {@link YearMonth}; nothing a user typed reaches the SQL text.
 */
final class ReportQueries {

    static final int TREND_MONTHS = 6;

    private final Backend b;
    private final Warehouse wh;
    private final Dialect d;
    private final List<String> views;
    /** The usage cube's cells, or null when the warehouse has no usable cube. */
    private final ReportCube cube;
    private Map.Entry<YearMonth, Map<YearMonth, Long>> monthRows;

    ReportQueries(Backend backend, Warehouse warehouse, List<String> views) {
        this.b = backend;
        this.wh = warehouse;
        this.d = backend.dialect();
        this.views = views;
        this.cube = views.contains("usage") ? ReportCube.open(backend, warehouse) : null;
    }

    static String date(LocalDate day) {
        return "DATE '" + day + "'";
    }

    static String start(YearMonth m) {
        return date(m.atDay(1));
    }

    /** The months that have usage, oldest first. */
    List<YearMonth> usageMonths() {
        if (!views.contains("usage")) {
            return List.of();
        }
        Table t = b.query("SELECT DISTINCT " + d.formatMonth("event_date") + " AS m FROM usage ORDER BY m NULLS LAST");
        List<YearMonth> out = new ArrayList<>();
        for (List<Object> r : t.rows()) {
            if (r.get(0) != null) {
                out.add(YearMonth.parse(r.get(0).toString()));
            }
        }
        return out;
    }

    /**
     * The month's usage partition as a view, or null when it holds no Parquet files: its counts need
     * no date filter and come from the Parquet footers instead of a scan of the dates; with six
     * months of history that scan was most of the report's time.
     */
    static String monthView(Backend b, Warehouse wh, YearMonth m) {
        return wh.registerUsageMonth(b, m).orElse(null);
    }

    /** Whether the warehouse holds usage rows for the month. */
    static boolean hasUsage(Backend b, Warehouse wh, YearMonth m) {
        String view = monthView(b, wh, m);
        return view != null && b.query("SELECT count(*) AS n FROM " + view).scalarLong() > 0;
    }

    /** Fails with a clear message when the month has no usage; returns the last day with usage in it. */
    String requireMonth(YearMonth month) {
        if (!views.contains("usage")) {
            throw new UserError(UserError.Kind.NOT_FOUND, "the warehouse " + wh.root()
                    + " has no usage yet: run 'tiercube nightly' (or 'tiercube ingest usage') first");
        }
        String view = monthView(b, wh, month);
        Table t = view == null ? null : b.query("SELECT max(event_date) AS last_day, count(*) AS n FROM " + view);
        if (t == null || t.getLong(0, "n") == 0) {
            List<YearMonth> months = usageMonths();
            throw new UserError(UserError.Kind.NOT_FOUND, "no usage for " + month + " in " + wh.root()
                    + (months.isEmpty() ? "" : "; months with usage: " + months.get(0) + " to " + months.get(months.size() - 1)));
        }
        return String.valueOf(t.get(0, "last_day"));
    }

    /**
     * Usage rows per month of the {@value #TREND_MONTHS} months ending with {@code month} (months
     * without rows left out), for the cube's freshness check.
     */
    private Map<YearMonth, Long> monthRows(YearMonth month) {
        if (monthRows == null || !monthRows.getKey().equals(month)) {
            List<String> parts = new ArrayList<>();
            List<YearMonth> withPartition = wh.usageMonths();
            for (YearMonth m = month.minusMonths(TREND_MONTHS - 1); !m.isAfter(month); m = m.plusMonths(1)) {
                String view = withPartition.contains(m) ? monthView(b, wh, m) : null;
                if (view != null) {
                    parts.add("SELECT CAST(" + (m.getYear() * 12L + m.getMonthValue()) + " AS BIGINT) AS mi, count(*) AS n FROM " + view);
                }
            }
            Map<YearMonth, Long> out = new TreeMap<>();
            Table t = parts.isEmpty() ? null : b.query(String.join(" UNION ALL ", parts));
            for (int i = 0; t != null && i < t.size(); i++) {
                if (t.getLong(i, "n") > 0) {
                    out.put(monthOf(t.getLong(i, "mi")), t.getLong(i, "n"));
                }
            }
            monthRows = Map.entry(month, out);
        }
        return monthRows.getValue();
    }

    /** The usage cube's reader, or null. */
    ReportCube cube() {
        return cube;
    }

    /** Usage rows dated in {@code m}, one of the {@value #TREND_MONTHS} months ending with {@code month}. */
    long rowsIn(YearMonth month, YearMonth m) {
        return monthRows(month).getOrDefault(m, 0L);
    }

    private static final String MONTH_INDEX = "year(event_date) * 12 + month(event_date)";

    private static YearMonth monthOf(long mi) {
        return YearMonth.of((int) ((mi - 1) / 12), (int) ((mi - 1) % 12) + 1);
    }

    /** {@code event_date} inside one of the months, as date ranges (contiguous months merged). */
    private static String inMonths(String col, List<YearMonth> months) {
        List<String> ranges = new ArrayList<>();
        List<YearMonth> sorted = months.stream().sorted().toList();
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1).equals(sorted.get(j).plusMonths(1))) {
                j++;
            }
            ranges.add("(" + col + " >= " + start(sorted.get(i)) + " AND " + col + " < " + start(sorted.get(j).plusMonths(1)) + ")");
            i = j + 1;
        }
        return "(" + String.join(" OR ", ranges) + ")";
    }

    /**
     * Revenue and active users per month for the {@value #TREND_MONTHS} months ending with {@code month}:
     * each month from the cube's apex cell when it is current, else from the facts.
     */
    List<ReportData.MonthPoint> trend(YearMonth month) {
        Map<YearMonth, Map<String, Map<String, Object[]>>> facts = facts(month);
        List<ReportData.MonthPoint> out = new ArrayList<>();
        for (Map.Entry<YearMonth, Long> e : monthRows(month).entrySet()) {
            YearMonth m = e.getKey();
            Object[] v = facts.containsKey(m) ? facts.get(m).getOrDefault(TOTAL, Map.of()).get("")
                    : cube.apex(m, e.getValue()).map(t -> new Object[] {t.getDecimal(0, "revenue"), t.getLong(0, "users")}).orElse(null);
            if (v != null) {
                out.add(new ReportData.MonthPoint(m, (BigDecimal) v[0], (Long) v[1]));
            }
        }
        return out;
    }

    /** The split of {@link #facts} holding a month's totals (member ""). */
    private static final String TOTAL = "total";

    /** One breakdown: its anchor, title, the attribute shown, the cube level's column, the facts expression and its side. */
    private record Split(String id, String title, String attribute, String column, String expr, boolean usageSide) {
    }

    private List<Split> splits() {
        boolean joined = views.contains("customers");
        return List.of(
                new Split("region", "Revenue by region", "customers.city", "city", joined ? "c.city" : null, false),
                new Split("product", "Revenue by product line", "usage.service", "service", "u.service", true),
                new Split("channel", "Revenue by sales channel", "customers.channel_type", "channel_type", joined ? "c.channel_type" : null, false));
    }

    /** Per month (last two) and split: member -> {revenue, users} from the cube, or null when a split is not in it. */
    private Map<String, Map<String, Object[]>> cubeSplits(YearMonth m, long rows) {
        if (cube == null) {
            return null;
        }
        Map<String, Map<String, Object[]>> bySplit = new LinkedHashMap<>();
        for (Split sp : splits()) {
            Optional<Table> t = cube.byColumn(m, rows, sp.column());
            if (t.isEmpty()) {
                return null;
            }
            Map<String, Object[]> members = new LinkedHashMap<>();
            for (int i = 0; i < t.get().size(); i++) {
                members.put(t.get().getString(i, "member"), new Object[] {t.get().getDecimal(i, "revenue"), t.get().getLong(i, "users")});
            }
            bySplit.put(sp.id(), members);
        }
        return bySplit;
    }

    private Map.Entry<YearMonth, Map<YearMonth, Map<String, Map<String, Object[]>>>> facts;

    /**
     * The months the cube cannot answer (no current apex, or, for the month and the one before, not
     * all three breakdowns), all read in one scan: per month, split ({@value #TOTAL} or a breakdown)
     * and member, {revenue, users}. The facts are first summed per month, customer and product line,
     * so the join to customers and the distinct counts run over about a million rows instead of
     * tens of millions (sums of sums and distinct customers are unchanged).
     */
    private Map<YearMonth, Map<String, Map<String, Object[]>>> facts(YearMonth month) {
        if (facts != null && facts.getKey().equals(month)) {
            return facts.getValue();
        }
        Map<YearMonth, Map<String, Map<String, Object[]>>> out = new TreeMap<>();
        List<YearMonth> need = new ArrayList<>();
        for (Map.Entry<YearMonth, Long> e : monthRows(month).entrySet()) {
            YearMonth m = e.getKey();
            boolean last2 = !m.isBefore(month.minusMonths(1));
            Map<String, Map<String, Object[]>> fromCube = last2 ? cubeSplits(m, e.getValue()) : Map.of();
            if (cube == null || cube.apex(m, e.getValue()).isEmpty() || fromCube == null) {
                need.add(m);
            } else if (last2) {
                cubeCells.put(m, fromCube);
            }
        }
        if (!need.isEmpty()) {
            List<Split> splits = splits();
            boolean joined = views.contains("customers");
            StringBuilder pre = new StringBuilder(MONTH_INDEX.replace("event_date", "u.event_date") + " AS mi, u.customer_id AS customer_id");
            List<String> preKeys = new ArrayList<>(List.of(MONTH_INDEX.replace("event_date", "u.event_date"), "u.customer_id"));
            StringBuilder cols = new StringBuilder("p.mi AS mi, p.customer_id AS customer_id, p.charge AS charge");
            for (Split sp : splits) {
                String key = sp.expr() == null ? "'(unknown)'" : "COALESCE(" + sp.expr() + ", '(unknown)')";
                if (sp.usageSide()) {
                    pre.append(", ").append(key).append(" AS k_").append(sp.id());
                    preKeys.add(key);
                    cols.append(", p.k_").append(sp.id()).append(" AS k_").append(sp.id());
                } else {
                    cols.append(", ").append(key).append(" AS k_").append(sp.id());
                }
            }
            StringBuilder which = new StringBuilder("CASE");
            StringBuilder member = new StringBuilder("CASE");
            List<String> sets = new ArrayList<>(List.of("(mi)"));
            for (Split sp : splits) {
                which.append(" WHEN GROUPING(k_").append(sp.id()).append(") = 0 THEN '").append(sp.id()).append("'");
                member.append(" WHEN GROUPING(k_").append(sp.id()).append(") = 0 THEN k_").append(sp.id());
                sets.add("(mi, k_" + sp.id() + ")");
            }
            String preagg = "SELECT " + pre + ", sum(u.charge) AS charge FROM usage u WHERE " + inMonths("u.event_date", need)
                    + " GROUP BY " + String.join(", ", preKeys);
            // A customer_id the snapshot holds twice doubles its rows in the breakdowns (as the join always
            // did) but not in the month's totals, which never joined: those count one joined row (cn = 1).
            cols.append(joined ? ", c.cn AS cn" : ", CAST(NULL AS BIGINT) AS cn");
            String customers = " LEFT JOIN (SELECT c0.*, row_number() OVER (PARTITION BY c0.customer_id ORDER BY c0.customer_id) AS cn"
                    + " FROM customers c0) c ON c.customer_id = p.customer_id";
            Table t = b.query("SELECT mi, " + which + " ELSE '" + TOTAL + "' END AS split, " + member + " ELSE '' END AS member,"
                    + " sum(charge) AS revenue, sum(CASE WHEN cn IS NULL OR cn = 1 THEN charge END) AS revenue_once,"
                    + " count(DISTINCT customer_id) AS users FROM (SELECT " + cols + " FROM (" + preagg + ") p"
                    + (joined ? customers : "") + ") f"
                    + " GROUP BY GROUPING SETS (" + String.join(", ", sets) + ")");
            for (int i = 0; i < t.size(); i++) {
                String split = t.getString(i, "split");
                out.computeIfAbsent(monthOf(t.getLong(i, "mi")), x -> new LinkedHashMap<>())
                        .computeIfAbsent(split, x -> new LinkedHashMap<>())
                        .put(t.getString(i, "member"), new Object[] {t.getDecimal(i, split.equals(TOTAL) ? "revenue_once" : "revenue"),
                                t.getLong(i, "users")});
            }
        }
        facts = Map.entry(month, out);
        return out;
    }

    /** The last two months' breakdowns that came from the cube (filled by {@link #facts}). */
    private final Map<YearMonth, Map<String, Map<String, Object[]>>> cubeCells = new TreeMap<>();

    /** Headline KPIs of the month and the previous one (from the trend rows and the customers snapshot). */
    ReportData.Kpis kpis(YearMonth month, List<ReportData.MonthPoint> trend) {
        ReportData.MonthPoint now = find(trend, month);
        ReportData.MonthPoint prev = find(trend, month.minusMonths(1));
        BigDecimal revenue = now == null ? BigDecimal.ZERO : now.revenue();
        long users = now == null ? 0 : now.activeUsers();
        Double arpu = users == 0 ? null : revenue.doubleValue() / users;
        Double arpuPrev = prev == null || prev.activeUsers() == 0 ? null : prev.revenue().doubleValue() / prev.activeUsers();
        Long churned = null;
        Long churnedPrev = null;
        if (views.contains("customers")) {
            String m = d.formatMonth("closed_date");
            Table t = b.query("SELECT " + m + " AS m, count(DISTINCT customer_id) AS n FROM customers"
                    + " WHERE closed_date >= " + start(month.minusMonths(1)) + " AND closed_date < " + start(month.plusMonths(1))
                    + " GROUP BY " + m + " ORDER BY m NULLS LAST");
            churned = 0L;
            churnedPrev = 0L;
            for (int i = 0; i < t.size(); i++) {
                if (t.getString(i, "m").equals(month.toString())) {
                    churned = t.getLong(i, "n");
                } else {
                    churnedPrev = t.getLong(i, "n");
                }
            }
        }
        return new ReportData.Kpis(
                new ReportData.Figure(revenue, prev == null ? null : prev.revenue()),
                new ReportData.Figure(users, prev == null ? null : prev.activeUsers()),
                new ReportData.Figure(arpu, arpuPrev),
                new ReportData.Figure(churned, prev == null ? null : churnedPrev));
    }

    private static ReportData.MonthPoint find(List<ReportData.MonthPoint> trend, YearMonth m) {
        return trend.stream().filter(p -> p.month().equals(m)).findFirst().orElse(null);
    }

    /**
     * Revenue by region (customers.city), product line (usage.service) and channel (customers.channel_type),
     * this month and last: each month from the cube when it is current and holds all three at their
     * exact grain, else from the facts.
     */
    List<ReportData.Breakdown> breakdowns(YearMonth month) {
        Map<YearMonth, Map<String, Map<String, Object[]>>> facts = facts(month);
        List<ReportData.Breakdown> out = new ArrayList<>();
        for (Split sp : splits()) {
            out.add(new ReportData.Breakdown(sp.id(), sp.title(), sp.attribute(),
                    members(cells(facts, month, sp.id()), cells(facts, month.minusMonths(1), sp.id()))));
        }
        return out;
    }

    private Map<String, Object[]> cells(Map<YearMonth, Map<String, Map<String, Object[]>>> facts, YearMonth m, String split) {
        Map<String, Map<String, Object[]>> bySplit = facts.containsKey(m) ? facts.get(m) : cubeCells.getOrDefault(m, Map.of());
        return bySplit.getOrDefault(split, Map.of());
    }

    /**
     * Members of both months, ordered as the SQL {@code ORDER BY revenue DESC NULLS LAST, member NULLS
     * LAST} orders them (a member without rows this month has no revenue; names compare as UTF-8
     * bytes, as both engines compare strings).
     */
    private static List<ReportData.Member> members(Map<String, Object[]> now, Map<String, Object[]> before) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>(now.keySet());
        names.addAll(before.keySet());
        // A member without rows in one month had no revenue there (0.00); the previous column stays
        // empty only when the previous month has no usage at all.
        boolean previousExists = before.values().stream().anyMatch(v -> v[0] != null);
        BigDecimal zero = BigDecimal.ZERO.setScale(2);
        List<String> order = new ArrayList<>(names);
        Comparator<String> byRevenue = Comparator.comparing(n -> now.containsKey(n) ? (BigDecimal) now.get(n)[0] : null,
                Comparator.nullsLast(Comparator.<BigDecimal>reverseOrder()));
        order.sort(byRevenue.thenComparing(n -> n.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.util.Arrays::compareUnsigned));
        List<ReportData.Member> out = new ArrayList<>();
        for (String n : order) {
            BigDecimal rev = now.containsKey(n) ? (BigDecimal) now.get(n)[0] : null;
            BigDecimal prev = before.containsKey(n) ? (BigDecimal) before.get(n)[0] : null;
            long users = now.containsKey(n) ? (Long) now.get(n)[1] : 0L;
            out.add(new ReportData.Member(n, rev == null ? zero : rev, prev == null && previousExists ? zero : prev, users));
        }
        return out;
    }

    // ------------------------------------------------------------------ data quality

    /** What the report's data-quality section shows: see {@link DataQualityQueries#dataQuality}. */
    ReportData.DataQuality dataQuality(YearMonth month, RunManifest current) {
        return new DataQualityQueries(b, wh, views).dataQuality(month, current);
    }
}
