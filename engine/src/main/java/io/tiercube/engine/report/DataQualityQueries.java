package io.tiercube.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.ingest.SourceMarker;
import io.tiercube.engine.warehouse.RunManifest;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The report's data-quality figures: rows read, accepted and rejected per dataset the month rests
 * on, reject reasons from the same partitions' {@code rejects.csv}, and the nightly run on record.
 */
final class DataQualityQueries {

    private static final List<String> REJECT_COLUMNS = List.of("file", "line", "field", "reason", "raw", "detail");

    private final Backend b;
    private final Warehouse wh;
    private final List<String> views;

    DataQualityQueries(Backend backend, Warehouse warehouse, List<String> views) {
        this.b = backend;
        this.wh = warehouse;
        this.views = views;
    }

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
                "SELECT count(*) AS n FROM usage WHERE event_date >= " + ReportQueries.start(month) + " AND event_date < "
                        + ReportQueries.start(month.plusMonths(1)),
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
}
