package io.tiercube.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Dialect;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.ingest.SourceMarker;
import io.tiercube.engine.warehouse.RunManifest;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The SQL behind the sections that come straight from the ingested facts (headline KPIs, the
 * monthly trend, revenue by region / product line / channel) and the data-quality section (run
 * manifests, partition markers, rejects files). Month bounds are engine-made DATE literals from a
 * validated {@link YearMonth}; nothing a user typed reaches the SQL text.
 */
final class ReportQueries {

    static final int TREND_MONTHS = 6;
    static final List<String> REJECT_COLUMNS = List.of("file", "line", "field", "reason", "raw", "detail");

    private final Backend b;
    private final Warehouse wh;
    private final Dialect d;
    private final List<String> views;

    ReportQueries(Backend backend, Warehouse warehouse, List<String> views) {
        this.b = backend;
        this.wh = warehouse;
        this.d = backend.dialect();
        this.views = views;
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

    /** Whether the usage view has any row in the month. */
    static boolean hasUsage(Backend b, YearMonth m) {
        return b.query("SELECT count(*) AS n FROM usage WHERE event_date >= " + start(m) + " AND event_date < "
                + start(m.plusMonths(1))).scalarLong() > 0;
    }

    /** Fails with a clear message when the month has no usage; returns the last day with usage in it. */
    String requireMonth(YearMonth month) {
        if (!views.contains("usage")) {
            throw new UserError(UserError.Kind.NOT_FOUND, "the warehouse " + wh.root()
                    + " has no usage yet: run 'tiercube nightly' (or 'tiercube ingest usage') first");
        }
        Table t = b.query("SELECT max(event_date) AS last_day, count(*) AS n FROM usage WHERE event_date >= " + start(month)
                + " AND event_date < " + start(month.plusMonths(1)));
        if (t.getLong(0, "n") == 0) {
            List<YearMonth> months = usageMonths();
            throw new UserError(UserError.Kind.NOT_FOUND, "no usage for " + month + " in " + wh.root()
                    + (months.isEmpty() ? "" : "; months with usage: " + months.get(0) + " to " + months.get(months.size() - 1)));
        }
        return String.valueOf(t.get(0, "last_day"));
    }

    /** Revenue and active users per month for the {@value #TREND_MONTHS} months ending with {@code month}. */
    List<ReportData.MonthPoint> trend(YearMonth month) {
        YearMonth first = month.minusMonths(TREND_MONTHS - 1);
        String m = d.formatMonth("event_date");
        Table t = b.query("SELECT " + m + " AS m, sum(charge) AS revenue, count(DISTINCT customer_id) AS users FROM usage"
                + " WHERE event_date >= " + start(first) + " AND event_date < " + start(month.plusMonths(1))
                + " GROUP BY " + m + " ORDER BY m NULLS LAST");
        List<ReportData.MonthPoint> out = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            out.add(new ReportData.MonthPoint(YearMonth.parse(t.getString(i, "m")), t.getDecimal(i, "revenue"), t.getLong(i, "users")));
        }
        return out;
    }

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

    /** Revenue by region (customers.city), product line (usage.service) and channel (customers.channel_type). */
    List<ReportData.Breakdown> breakdowns(YearMonth month) {
        boolean joined = views.contains("customers");
        List<ReportData.Breakdown> out = new ArrayList<>();
        out.add(new ReportData.Breakdown("region", "Revenue by region", "customers.city",
                breakdown(month, joined ? "c.city" : null)));
        out.add(new ReportData.Breakdown("product", "Revenue by product line", "usage.service", breakdown(month, "u.service")));
        out.add(new ReportData.Breakdown("channel", "Revenue by sales channel", "customers.channel_type",
                breakdown(month, joined ? "c.channel_type" : null)));
        return out;
    }

    private List<ReportData.Member> breakdown(YearMonth month, String expr) {
        String cur = "u.event_date >= " + start(month);
        String key = expr == null ? "'(unknown)'" : "COALESCE(" + expr + ", '(unknown)')";
        String from = views.contains("customers")
                ? " FROM usage u LEFT JOIN customers c ON c.customer_id = u.customer_id"
                : " FROM usage u";
        Table t = b.query("SELECT " + key + " AS member,"
                + " sum(CASE WHEN " + cur + " THEN u.charge END) AS revenue,"
                + " sum(CASE WHEN u.event_date < " + start(month) + " THEN u.charge END) AS previous,"
                + " count(DISTINCT CASE WHEN " + cur + " THEN u.customer_id END) AS users"
                + from
                + " WHERE u.event_date >= " + start(month.minusMonths(1)) + " AND u.event_date < " + start(month.plusMonths(1))
                + " GROUP BY " + key
                + " ORDER BY revenue DESC NULLS LAST, member NULLS LAST");
        // A member without rows in one month had no revenue there (0.00); the previous column stays
        // empty only when the previous month has no usage at all.
        boolean previousExists = false;
        for (int i = 0; i < t.size(); i++) {
            previousExists |= t.get(i, "previous") != null;
        }
        BigDecimal zero = BigDecimal.ZERO.setScale(2);
        List<ReportData.Member> out = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            BigDecimal rev = t.getDecimal(i, "revenue");
            BigDecimal prev = t.getDecimal(i, "previous");
            out.add(new ReportData.Member(t.getString(i, "member"), rev == null ? zero : rev,
                    prev == null && previousExists ? zero : prev, t.getLong(i, "users")));
        }
        return out;
    }

    // ------------------------------------------------------------------ data quality

    /**
     * Rows read / accepted / rejected for the data this month's report rests on: the usage days of
     * the month, the customers snapshot in use, and the complaints file; reject reasons counted from
     * the same partitions' {@code rejects.csv}; and the latest succeeded nightly run on record.
     */
    ReportData.DataQuality dataQuality(YearMonth month, RunManifest current) {
        List<ReportData.DatasetCounts> counts = new ArrayList<>();
        List<ReportData.ReasonCount> reasons = new ArrayList<>();

        List<Path> usageDays = Warehouse.partitions(wh.monthPartition("usage", month));
        List<Path> usageRejects = new ArrayList<>();
        for (Path day : usageDays) {
            usageRejects.add(wh.rejects("usage", day.getFileName().toString()).resolve("rejects.csv"));
        }
        // Days whose every row was rejected have no partition, only rejects: include them.
        for (Path r : Warehouse.partitions(wh.root().resolve("rejects").resolve("usage"))) {
            String name = r.getFileName().toString();
            if (name.startsWith("day=" + month) && usageDays.stream().noneMatch(p -> p.getFileName().toString().equals(name))) {
                usageRejects.add(r.resolve("rejects.csv"));
            }
        }
        counts.add(counts("usage", "usage days of " + month, usageDays, usageRejects,
                "SELECT count(*) AS n FROM usage WHERE event_date >= " + start(month) + " AND event_date < " + start(month.plusMonths(1)),
                views.contains("usage")));
        reasons.addAll(reasons("usage", usageRejects));

        Optional<Path> snapshot = wh.latestCustomersSnapshot();
        if (snapshot.isPresent()) {
            String part = snapshot.get().getFileName().toString();
            List<Path> rj = List.of(wh.rejects("customers", part).resolve("rejects.csv"));
            counts.add(counts("customers", "customers " + part.replace('=', ' '), List.of(snapshot.get()), rj,
                    "SELECT count(*) AS n FROM customers", views.contains("customers")));
            reasons.addAll(reasons("customers", rj));
        }
        if (Files.isDirectory(wh.dataset("complaints"))) {
            List<Path> rj = List.of(wh.rejects("complaints", "all").resolve("rejects.csv"));
            counts.add(counts("complaints", "complaints, whole file", List.of(wh.dataset("complaints")), rj,
                    "SELECT count(*) AS n FROM complaints", views.contains("complaints")));
            reasons.addAll(reasons("complaints", rj));
        }
        return new ReportData.DataQuality(current != null ? runInfo(current) : latestNightly(), counts, reasons);
    }

    private ReportData.DatasetCounts counts(String dataset, String scope, List<Path> partitions, List<Path> rejects,
                                            String countSql, boolean viewExists) {
        long read = 0;
        long accepted = 0;
        long rejected = 0;
        boolean allMarked = !partitions.isEmpty();
        java.util.TreeSet<String> runs = new java.util.TreeSet<>();
        for (Path p : partitions) {
            Optional<SourceMarker> m = SourceMarker.read(p);
            if (m.isEmpty()) {
                allMarked = false;
                break;
            }
            read += m.get().read();
            accepted += m.get().accepted();
            rejected += m.get().rejected();
            if (m.get().runId() != null) {
                runs.add(m.get().runId());
            }
        }
        if (!allMarked) {
            // No ingest markers (a warehouse written by other tools): count what is there.
            runs.clear();
            accepted = viewExists ? b.query(countSql).scalarLong() : 0;
            rejected = countRejects(rejects);
            read = accepted + rejected;
        }
        return new ReportData.DatasetCounts(dataset, scope, read, accepted, rejected, List.copyOf(runs));
    }

    private List<Path> existing(List<Path> files) {
        return files.stream().filter(Files::isRegularFile).sorted().toList();
    }

    /** Registers each rejects file as a view and returns a UNION ALL over them, or null when there are none. */
    private String rejectsUnion(String prefix, List<Path> files) {
        List<Path> present = existing(files);
        if (present.isEmpty()) {
            return null;
        }
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < present.size(); i++) {
            String view = "rpt_rj_" + prefix + "_" + i;
            b.registerCsv(view, present.get(i), REJECT_COLUMNS);
            sql.append(i == 0 ? "" : " UNION ALL ").append("SELECT reason FROM ").append(view);
        }
        return sql.toString();
    }

    private long countRejects(List<Path> files) {
        String union = rejectsUnion("n", files);
        return union == null ? 0 : b.query("SELECT count(*) AS n FROM (" + union + ") r").scalarLong();
    }

    private List<ReportData.ReasonCount> reasons(String dataset, List<Path> files) {
        String union = rejectsUnion(dataset, files);
        if (union == null) {
            return List.of();
        }
        Table t = b.query("SELECT COALESCE(reason, '(none)') AS reason, count(*) AS n FROM (" + union + ") r"
                + " GROUP BY COALESCE(reason, '(none)') ORDER BY n DESC NULLS LAST, reason NULLS LAST");
        List<ReportData.ReasonCount> out = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            out.add(new ReportData.ReasonCount(dataset, t.getString(i, "reason"), t.getLong(i, "n")));
        }
        return out;
    }

    /** The newest run manifest of a {@code nightly} that succeeded, or null. */
    ReportData.RunInfo latestNightly() {
        Path dir = wh.runsDir();
        if (!Files.isDirectory(dir)) {
            return null;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Own mapper on purpose: a mapper that registers every module on the classpath turns
        // Map.class into a Scala map when Spark is present.
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        JsonNode best = null;
        for (Path f : files) {
            JsonNode m;
            try {
                m = json.readTree(f.toFile());
            } catch (IOException e) {
                continue; // a torn or foreign file is not a run on record
            }
            if (m == null || !"succeeded".equals(m.path("status").asText()) || !m.path("command").asText().startsWith("nightly")) {
                continue;
            }
            if (best == null || m.path("started").asText().compareTo(best.path("started").asText()) > 0) {
                best = m;
            }
        }
        if (best == null) {
            return null;
        }
        Map<String, long[]> counts = new TreeMap<>();
        best.path("datasets").fields().forEachRemaining(e -> counts.put(e.getKey(),
                new long[] {e.getValue().path("read").asLong(), e.getValue().path("accepted").asLong(), e.getValue().path("rejected").asLong()}));
        return new ReportData.RunInfo(text(best, "run_id"), text(best, "command"), text(best, "engine"),
                text(best, "started"), text(best, "finished"), counts);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The run in progress (nightly calling the report as its last step). */
    static ReportData.RunInfo runInfo(RunManifest m) {
        Map<String, long[]> counts = new TreeMap<>();
        m.datasets.forEach((k, c) -> counts.put(k, new long[] {c.read(), c.accepted(), c.rejected()}));
        return new ReportData.RunInfo(m.runId, m.command, m.engine, m.started, m.finished, counts);
    }

    static Map<String, Object> ordered() {
        return new LinkedHashMap<>();
    }
}
