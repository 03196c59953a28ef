package io.tiercube.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.backend.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A warehouse's user-visible contents, for comparing two warehouses and for spotting half-written state. */
final class WarehouseContents {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Run ids as nightly names them, e.g. {@code 20261123-142039-nightly-9bfdae}. */
    private static final Pattern RUN_ID = Pattern.compile("\\d{8}-\\d{6}-[a-z]+-[0-9a-f]{6}");

    /** Top-level entries that are bookkeeping of individual runs, not contents: run manifests, work areas, the lock. */
    private static final Set<String> NOT_CONTENTS = Set.of("_runs", "_staging", "_tmp", "_lock");

    /** Parquet datasets (directories under the root) whose rows are compared; cubes/&lt;name&gt; are added per cube. */
    private static final List<String> DATASETS = List.of("usage", "customers", "complaints", "profiles", "churn_scores");

    private WarehouseContents() {
    }

    /** What a user can query, and the rejects files, as text. */
    static String of(Path wh) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String q : List.of("select record_id, customer_id, event_time, charge, src_file, src_line from usage order by record_id",
                "select customer_id, city, snapshot_date from customers order by customer_id",
                "select ticket_id, customer_id from complaints order by ticket_id")) {
            CliRun r = CliRun.of("sql", "--warehouse", wh.toString(), "--format", "csv", q);
            assertEquals(0, r.exit(), r.err());
            sb.append(r.out());
        }
        try (Stream<Path> s = Files.walk(wh.resolve("rejects"))) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                sb.append(wh.relativize(f)).append('\n').append(Files.readString(f));
            }
        }
        return sb.toString();
    }

    /**
     * Every difference between two warehouses built from the same input, as one line each (empty when
     * they are equal): the same files (outside run bookkeeping), the same rows in every dataset and
     * every cube (exact, except DOUBLE columns, which may differ in the last bits because parallel
     * aggregation adds in any order: within 1e-9 relative), the same rejects files, and the same
     * JSON documents and report files once the fields that legitimately differ per run are left out:
     * <ul>
     *   <li>run ids (partition markers' {@code runId}, the report's run ids and the run it names),</li>
     *   <li>timestamps and durations (the churn model's {@code trained_at}, a cube month's
     *   {@code built_at} and {@code build_seconds}, the latest run's {@code started}),</li>
     *   <li>a cube month's {@code source_fingerprint} (a hash of its usage files' modification times),</li>
     *   <li>the report's {@code data_quality.latest_nightly.datasets}: what that one run read, which
     *   after a killed run is only what the rerun had left to read (the warehouse's own counts,
     *   {@code data_quality.datasets}, are compared), and the same sentence in index.html,</li>
     *   <li>in rejects files, the detail of a duplicate record id: see {@link #perRunTextMasked}.</li>
     * </ul>
     */
    static List<String> differences(Path expected, Path actual) {
        List<String> out = new ArrayList<>();
        Set<String> a = files(expected);
        Set<String> b = files(actual);
        for (String f : a) {
            if (!b.contains(f)) {
                out.add("missing file " + f);
            }
        }
        for (String f : b) {
            if (!a.contains(f)) {
                out.add("extra file " + f);
            }
        }
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            List<String> datasets = new ArrayList<>(DATASETS);
            for (Path cube : subdirs(expected.resolve("cubes"))) {
                datasets.add("cubes/" + cube.getFileName());
            }
            for (String ds : datasets) {
                compareRows(duck, ds, expected.resolve(ds), actual.resolve(ds), out);
            }
        }
        for (String f : a) {
            if (!b.contains(f)) {
                continue;
            }
            Path fa = expected.resolve(f);
            Path fb = actual.resolve(f);
            String name = fa.getFileName().toString();
            try {
                if (name.endsWith(".json")) {
                    compareJson(f, normalize(f, JSON.readTree(fa.toFile())), normalize(f, JSON.readTree(fb.toFile())), out);
                } else if (name.endsWith(".csv") || name.endsWith(".md") || name.endsWith(".html") || name.endsWith(".yaml")) {
                    String ta = perRunTextMasked(Files.readString(fa, StandardCharsets.UTF_8));
                    String tb = perRunTextMasked(Files.readString(fb, StandardCharsets.UTF_8));
                    if (!ta.equals(tb)) {
                        out.add(f + " differs" + firstDifference(ta, tb));
                    }
                }
            } catch (IOException e) {
                out.add(f + ": " + e);
            }
        }
        return out;
    }

    /**
     * What a reader could see half-written in a warehouse (empty when nothing): a hidden temporary
     * file outside the work areas, a JSON document that does not parse, a Parquet file that does not
     * read, a partition without its marker or whose row count differs from its marker's (usage days,
     * customers snapshots, complaints) or manifest's (cube months), a rejects file without its header
     * or cut short, a report directory without all three files, or whose files come from different
     * runs or end early.
     */
    static List<String> halfWritten(Path wh) {
        List<String> out = new ArrayList<>();
        for (String f : filesOutsideWorkAreas(wh)) {
            Path p = wh.resolve(f);
            String name = p.getFileName().toString();
            if (name.startsWith(".") || name.endsWith(".tmp")) {
                out.add("temporary file left visible: " + f);
            } else if (name.endsWith(".json")) {
                try {
                    if (JSON.readTree(p.toFile()) == null) {
                        out.add("empty JSON: " + f);
                    }
                } catch (IOException e) {
                    out.add("JSON does not parse: " + f + ": " + e.getMessage());
                }
            } else if (name.equals("rejects.csv")) {
                try {
                    String text = Files.readString(p, StandardCharsets.UTF_8);
                    if (!text.startsWith("file,line,field,reason,raw,detail") || !text.endsWith("\n")) {
                        out.add("rejects file cut short: " + f);
                    }
                } catch (IOException e) {
                    out.add(f + ": " + e);
                }
            }
        }
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            for (Path month : subdirs(wh.resolve("usage"))) {
                for (Path day : subdirs(month)) {
                    checkCount(duck, wh, day, "_SOURCE.json", "accepted", out);
                }
            }
            for (Path snapshot : subdirs(wh.resolve("customers"))) {
                checkCount(duck, wh, snapshot, "_SOURCE.json", "accepted", out);
            }
            if (Files.isDirectory(wh.resolve("complaints"))) {
                checkCount(duck, wh, wh.resolve("complaints"), "_SOURCE.json", "accepted", out);
            }
            for (Path cube : subdirs(wh.resolve("cubes"))) {
                for (Path month : subdirs(cube)) {
                    checkCount(duck, wh, month, "_manifest.json", "rows", out);
                }
            }
            for (String ds : List.of("profiles", "churn_scores")) {
                for (Path month : subdirs(wh.resolve(ds))) {
                    if (rows(duck, month) <= 0) {
                        out.add("partition without rows: " + wh.relativize(month));
                    }
                }
            }
        } catch (RuntimeException e) {
            out.add("a Parquet file does not read: " + e.getMessage());
        }
        for (Path report : subdirs(wh.resolve("reports"))) {
            Set<String> names = new TreeSet<>();
            try (Stream<Path> s = Files.list(report)) {
                s.forEach(p -> names.add(p.getFileName().toString()));
                if (!names.equals(Set.of("index.html", "report.md", "summary.json"))) {
                    out.add("report " + wh.relativize(report) + " holds " + names);
                    continue;
                }
                String html = Files.readString(report.resolve("index.html"), StandardCharsets.UTF_8);
                String md = Files.readString(report.resolve("report.md"), StandardCharsets.UTF_8);
                JsonNode json = JSON.readTree(report.resolve("summary.json").toFile());
                if (!html.strip().endsWith("</html>")) {
                    out.add("report " + wh.relativize(report) + ": index.html ends early");
                }
                Set<String> runs = new TreeSet<>();
                RUN_ID.matcher(html).results().forEach(m -> runs.add("html " + m.group()));
                RUN_ID.matcher(md).results().forEach(m -> runs.add("md " + m.group()));
                String jsonRun = json.path("data_quality").path("latest_nightly").path("run_id").asText("");
                Set<String> ids = runs.stream().map(r -> r.substring(r.indexOf(' ') + 1)).collect(Collectors.toSet());
                if (!jsonRun.isEmpty()) {
                    ids.add(jsonRun);
                }
                if (ids.size() > 1) {
                    out.add("report " + wh.relativize(report) + " mixes runs: " + runs + ", summary.json " + jsonRun);
                }
            } catch (IOException e) {
                out.add("report " + wh.relativize(report) + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static void checkCount(Backend duck, Path wh, Path partition, String doc, String field, List<String> out) {
        Path f = partition.resolve(doc);
        if (!Files.isRegularFile(f)) {
            out.add("partition without its " + doc + ": " + wh.relativize(partition));
            return;
        }
        long expected;
        try {
            expected = JSON.readTree(f.toFile()).path(field).asLong(-1);
        } catch (IOException e) {
            return; // reported by the JSON check
        }
        long n = rows(duck, partition);
        if (n != expected) {
            out.add("partition " + wh.relativize(partition) + " has " + n + " rows, its " + doc + " says " + expected);
        }
    }

    /** Rows in a partition's Parquet files (any depth), -1 when it has none. */
    private static long rows(Backend duck, Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            if (s.noneMatch(p -> p.toString().endsWith(".parquet"))) {
                return -1;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return duck.query("SELECT count(*) AS n FROM read_parquet('" + dir.toString().replace("'", "''") + "/**/*.parquet')").scalarLong();
    }

    /** Relative paths of every file outside the work areas {@code _staging/} and {@code _tmp/}. */
    private static Set<String> filesOutsideWorkAreas(Path wh) {
        Set<String> out = new TreeSet<>();
        if (!Files.isDirectory(wh)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(wh)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Path rel = wh.relativize(p);
                String top = rel.getName(0).toString();
                if (!top.equals("_staging") && !top.equals("_tmp")) {
                    out.add(rel.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Relative paths of every file outside run bookkeeping, Parquet file names included. */
    static Set<String> files(Path wh) {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.walk(wh)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Path rel = wh.relativize(p);
                if (!NOT_CONTENTS.contains(rel.getName(0).toString())) {
                    out.add(rel.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static List<Path> subdirs(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of one dataset in both warehouses: as multisets, DOUBLE columns within 1e-9 relative. */
    private static void compareRows(Backend duck, String ds, Path dirA, Path dirB, List<String> out) {
        String va = "exp_" + ds.replaceAll("[^a-z0-9]", "_");
        String vb = "act_" + ds.replaceAll("[^a-z0-9]", "_");
        boolean hasA = duck.registerParquet(va, dirA);
        boolean hasB = duck.registerParquet(vb, dirB);
        if (hasA != hasB) {
            out.add(ds + ": " + (hasA ? "no data" : "data where the clean run has none"));
            return;
        }
        if (!hasA) {
            return;
        }
        Table ca = duck.query("DESCRIBE " + va);
        Table cb = duck.query("DESCRIBE " + vb);
        if (!ca.rows().equals(cb.rows())) {
            out.add(ds + ": columns differ: " + ca.rows() + " vs " + cb.rows());
            return;
        }
        List<String> exact = new ArrayList<>();
        List<String> approx = new ArrayList<>();
        for (int i = 0; i < ca.size(); i++) {
            String col = ca.getString(i, "column_name");
            String type = ca.getString(i, "column_type");
            (type.equals("DOUBLE") || type.equals("FLOAT") ? approx : exact).add(col);
        }
        long na = duck.query("SELECT count(*) AS n FROM " + va).scalarLong();
        long nb = duck.query("SELECT count(*) AS n FROM " + vb).scalarLong();
        if (na != nb) {
            out.add(ds + ": " + nb + " rows, the clean run has " + na);
        }
        String cols = exact.stream().map(WarehouseContents::q).collect(Collectors.joining(", "));
        Table missing = duck.query("SELECT " + cols + " FROM " + va + " EXCEPT ALL SELECT " + cols + " FROM " + vb + " LIMIT 3");
        Table extra = duck.query("SELECT " + cols + " FROM " + vb + " EXCEPT ALL SELECT " + cols + " FROM " + va + " LIMIT 3");
        if (missing.size() > 0 || extra.size() > 0) {
            out.add(ds + ": rows differ, e.g. missing " + missing.rows() + ", extra " + extra.rows());
            return;
        }
        if (approx.isEmpty()) {
            return;
        }
        long distinct = duck.query("SELECT count(*) AS n FROM (SELECT DISTINCT " + cols + " FROM " + va + ") k").scalarLong();
        if (distinct != na) {
            out.add(ds + ": rows are not identified by their exact columns; DOUBLE columns " + approx + " not compared");
            return;
        }
        String on = exact.stream().map(c -> "a." + q(c) + " IS NOT DISTINCT FROM b." + q(c)).collect(Collectors.joining(" AND "));
        String differs = approx.stream().map(c -> "NOT (a." + q(c) + " IS NOT DISTINCT FROM b." + q(c) + " OR abs(a." + q(c) + " - b." + q(c)
                + ") <= 1e-9 * greatest(abs(a." + q(c) + "), abs(b." + q(c) + ")))").collect(Collectors.joining(" OR "));
        Table diff = duck.query("SELECT " + exact.stream().limit(4).map(c -> "a." + q(c)).collect(Collectors.joining(", ")) + ", "
                + approx.stream().map(c -> "a." + q(c) + " AS " + q("exp_" + c) + ", b." + q(c) + " AS " + q("act_" + c))
                .collect(Collectors.joining(", "))
                + " FROM " + va + " a JOIN " + vb + " b ON " + on + " WHERE " + differs + " LIMIT 3");
        if (diff.size() > 0) {
            out.add(ds + ": DOUBLE values differ, e.g. " + diff.columns() + " " + diff.rows());
        }
    }

    /**
     * Text with what legitimately differs per run masked: run ids; in the report, the latest run's
     * start time and what that run read ("started 2026-11-23 14:29:10): read 256,563 rows, rejected
     * 536.") and the runs that loaded each dataset's partitions (one run, or the killed run and
     * its rerun).
     */
    static String perRunTextMasked(String text) {
        String t = RUNS_CELL.matcher(text).replaceAll("<td class=\"runs\">(runs)</td>");
        t = RUN_ID.matcher(t).replaceAll("<run>");
        t = LATEST_RUN.matcher(t).replaceAll("started <time>): read <n> rows, rejected <n>.");
        return t;
    }

    /** The report's cell listing the runs that loaded a dataset's partitions (summary.json's run_ids). */
    private static final Pattern RUNS_CELL = Pattern.compile("<td class=\"runs\">[^<]*</td>");

    private static final Pattern LATEST_RUN = Pattern.compile(
            "started \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}(:\\d{2})?\\): read [\\d,]+ rows, rejected [\\d,]+\\.");

    /** A quoted identifier (this comparison runs on DuckDB only). */
    private static String q(String column) {
        return "\"" + column.replace("\"", "\"\"") + "\"";
    }

    /** Drops the fields of a JSON document that legitimately differ per run (see {@link #differences}). */
    private static JsonNode normalize(String path, JsonNode doc) {
        if (!(doc instanceof ObjectNode o)) {
            return doc;
        }
        String name = Path.of(path).getFileName().toString();
        switch (name) {
            case "_SOURCE.json" -> o.remove("runId");
            case "churn.json" -> o.remove("trained_at");
            case "_manifest.json" -> o.remove(List.of("built_at", "build_seconds", "source_fingerprint"));
            case "summary.json" -> {
                JsonNode q = o.path("data_quality");
                if (q.path("latest_nightly") instanceof ObjectNode run) {
                    run.remove(List.of("run_id", "started", "datasets"));
                }
                for (JsonNode d : q.path("datasets")) {
                    ((ObjectNode) d).remove("run_ids");
                }
            }
            default -> { }
        }
        return o;
    }

    /** Structural equality; numbers that are not integers within 1e-9 relative. */
    private static void compareJson(String where, JsonNode a, JsonNode b, List<String> out) {
        if (a.isNumber() && b.isNumber() && !(a.isIntegralNumber() && b.isIntegralNumber())) {
            double x = a.asDouble();
            double y = b.asDouble();
            if (x != y && Math.abs(x - y) > 1e-9 * Math.max(Math.abs(x), Math.abs(y))) {
                out.add(where + ": " + b + ", the clean run has " + a);
            }
            return;
        }
        if (a.isObject() && b.isObject()) {
            Set<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                if (!a.has(k) || !b.has(k)) {
                    out.add(where + "." + k + ": " + (a.has(k) ? "missing" : "extra"));
                } else {
                    compareJson(where + "." + k, a.get(k), b.get(k), out);
                }
            }
            return;
        }
        if (a.isArray() && b.isArray() && a.size() == b.size()) {
            Iterator<JsonNode> ia = a.elements();
            Iterator<JsonNode> ib = b.elements();
            for (int i = 0; ia.hasNext(); i++) {
                compareJson(where + "[" + i + "]", ia.next(), ib.next(), out);
            }
            return;
        }
        if (!a.equals(b)) {
            out.add(where + ": " + abbreviate(b.toString()) + ", the clean run has " + abbreviate(a.toString()));
        }
    }

    private static String firstDifference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        int from = Math.max(0, i - 40);
        return " at character " + i + ": clean '" + abbreviate(a.substring(from, Math.min(a.length(), i + 40)))
                + "', this '" + abbreviate(b.substring(from, Math.min(b.length(), i + 40))) + "'";
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
