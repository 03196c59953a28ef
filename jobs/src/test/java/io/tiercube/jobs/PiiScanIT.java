package io.tiercube.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 8's acceptance: a scan of every file the sample nightly writes, of what it printed, and of
 * what drill, explain, tiers, longtail, lifecycle and segment export print or write without
 * --include-pii, finds no full msisdn of a sample customer and no 11-digit number starting with 1.
 * The customers dataset holds them by design and is skipped; the scanner is shown to work on it and
 * on an --include-pii export. Found numbers are reported masked, so a failure does not leak them either.
 */
class PiiScanIT {

    static final Path WH = SampleNightly.WH;
    static final Path OUT = Path.of("target/pii-scan-out").toAbsolutePath();
    /**
     * An 11-digit number starting with 1 that is not part of a longer word or number: a hashed id's
     * digits and the decimals of a ratio (0.16666666667) are not a phone number.
     */
    static final Pattern ELEVEN = Pattern.compile("(?<![0-9A-Za-z])(?<!\\d\\.)1\\d{10}(?![0-9A-Za-z])(?!\\.\\d)");
    static final Pattern DIGITS = Pattern.compile("\\d{11,}");
    static Set<String> msisdns;
    static CliRun nightly;

    @BeforeAll
    static void sample() throws IOException {
        nightly = SampleNightly.run();
        assertEquals(0, nightly.exit(), nightly.err());
        msisdns = new HashSet<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SampleNightly.DATA.resolve("customers.csv.gz")))) {
            Matcher m = ELEVEN.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            while (m.find()) {
                msisdns.add(m.group());
            }
        }
        assertTrue(msisdns.size() >= 2900, "the sample's msisdns: " + msisdns.size());
        Warehouse.deleteTree(OUT);
        Files.createDirectories(OUT);
    }

    /** What in {@code text} looks like or contains a customer's number, masked for the report. */
    static List<String> leaks(String where, String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = ELEVEN.matcher(text);
        while (m.find()) {
            found.add(mask(m.group()) + (msisdns.contains(m.group()) ? " (a sample customer's)" : " (11 digits starting with 1)"));
        }
        Matcher d = DIGITS.matcher(text);
        while (d.find()) {
            String run = d.group();
            for (int i = 0; i + 11 <= run.length(); i++) {
                if (msisdns.contains(run.substring(i, i + 11))) {
                    found.add(mask(run.substring(i, i + 11)) + " (a sample customer's, inside " + run.length() + " digits)");
                }
            }
        }
        return found.stream().map(f -> where + ": " + f).toList();
    }

    static String mask(String n) {
        return n.substring(0, 3) + "****" + n.substring(7);
    }

    static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }

    static String xlsxText(Path xlsx) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (ZipFile z = new ZipFile(xlsx.toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                try (InputStream in = z.getInputStream(e)) {
                    sb.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
                }
            }
        }
        return sb.toString();
    }

    /**
     * Every value of every column (cast to text) of a set of Parquet files that holds a run of 11 or
     * more digits, with the letters and digits around it.
     */
    static List<String> parquetTokens(Backend b, List<Path> files) {
        String list = files.stream().map(f -> "'" + f.toString().replace("'", "''") + "'").collect(Collectors.joining(", "));
        String src = "read_parquet([" + list + "], union_by_name = true, filename = true)";
        List<String> cols = b.query("DESCRIBE SELECT * FROM " + src).rows().stream().map(r -> (String) r.get(0))
                .filter(c -> !c.equals("filename")).toList();
        String text = "concat_ws('|', " + cols.stream().map(c -> "CAST(\"" + c + "\" AS VARCHAR)").collect(Collectors.joining(", ")) + ")";
        Table t = b.query("SELECT DISTINCT filename, unnest(regexp_extract_all(" + text + ", '[0-9A-Za-z.]*[0-9]{11,}[0-9A-Za-z.]*')) AS token"
                + " FROM " + src);
        return t.rows().stream().map(r -> r.get(0) + "\t" + r.get(1)).toList();
    }

    @Test
    void noFileOfTheWarehouseHoldsAnMsisdnOutsideTheCustomersDataset() throws IOException {
        List<String> found = new ArrayList<>();
        Map<String, List<Path>> parquet = new TreeMap<>();
        List<Path> customers = new ArrayList<>();
        int textFiles = 0;
        List<Path> all;
        try (Stream<Path> s = Files.walk(WH)) {
            all = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path p : all) {
            Path rel = WH.relativize(p);
            String top = rel.getName(0).toString();
            if (p.toString().endsWith(".parquet")) {
                if (top.equals("customers")) {
                    customers.add(p); // personal data by design
                } else {
                    parquet.computeIfAbsent(rel.getNameCount() > 2 && top.equals("cubes") ? "cubes/" + rel.getName(1) : top,
                            k -> new ArrayList<>()).add(p);
                }
            } else {
                textFiles++;
                found.addAll(leaks(rel.toString(), read(p)));
            }
        }
        try (Backend b = Engine.DUCKDB.open(Engine.Options.defaults())) {
            for (Map.Entry<String, List<Path>> e : parquet.entrySet()) {
                for (String token : parquetTokens(b, e.getValue())) {
                    String[] ft = token.split("\t", 2);
                    found.addAll(leaks(WH.relativize(Path.of(ft[0])).toString(), ft[1]));
                }
            }
            Set<String> inCustomers = new HashSet<>();
            for (String token : parquetTokens(b, customers)) {
                inCustomers.add(token.split("\t", 2)[1]);
            }
            inCustomers.retainAll(msisdns);
            assertTrue(inCustomers.size() >= 2900, "the scanner finds the msisdns the customers dataset holds: " + inCustomers.size());
        }
        assertTrue(textFiles > 100 && parquet.containsKey("usage") && parquet.containsKey("profiles") && parquet.containsKey("cubes/usage"),
                "the scan covered the warehouse: " + textFiles + " text files, parquet " + parquet.keySet());
        assertEquals(List.of(), found, found.size() + " msisdn-like numbers outside the customers dataset");
    }

    /** Rows that failed a rule show the masked name; rows whose fields cannot be told apart show only their shape. */
    @Test
    void customersRejectsShowNoFullNameOrBirthDate() throws IOException {
        List<Path> rejects;
        try (Stream<Path> s = Files.walk(WH.resolve("rejects/customers"))) {
            rejects = s.filter(p -> p.getFileName().toString().equals("rejects.csv")).toList();
        }
        assertTrue(!rejects.isEmpty(), "the sample plants bad customer rows");
        Set<String> names = new HashSet<>();
        try (Backend b = Engine.DUCKDB.open(Engine.Options.defaults())) {
            new Warehouse(WH).registerViews(b);
            b.query("SELECT name FROM customers WHERE length(name) >= 2").rows().forEach(r -> names.add((String) r.get(0)));
        }
        assertTrue(names.size() > 1000, "names: " + names.size());
        int structural = 0;
        for (Path r : rejects) {
            for (String line : read(r).split("\n")) {
                for (String field : line.split("[,\"]")) {
                    assertTrue(!names.contains(field), WH.relativize(r) + " shows a customer's name in full");
                }
                if (line.contains(",wrong_column_count,") || line.contains(",encoding,")) {
                    structural++;
                    assertTrue(!line.matches(".*\\d{4}-\\d{2}-\\d{2}.*"), WH.relativize(r) + ": a date in a structural reject: " + line);
                }
            }
        }
        assertTrue(structural > 0, "the sample plants rows with a wrong column count");
    }

    @Test
    void theNightlyPrintedNoMsisdn() {
        List<String> found = new ArrayList<>(leaks("nightly stdout", nightly.out()));
        found.addAll(leaks("nightly stderr", nightly.err()));
        assertEquals(List.of(), found);
    }

    static CliRun ok(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--warehouse", WH.toString()));
        CliRun r = CliRun.of(all.toArray(String[]::new));
        assertEquals(0, r.exit(), String.join(" ", args) + "\n" + r.err());
        return r;
    }

    @Test
    void analystCommandsAndMaskedExportsShowNoMsisdn() throws IOException {
        List<String> found = new ArrayList<>();
        List<String[]> commands = List.of(
                new String[] {"drill", "usage"},
                new String[] {"drill", "usage", "--by", "region.district,channel.outlet", "--format", "csv"},
                new String[] {"drill", "usage", "--by", "segment.segment", "--format", "json", "--explain-plan"},
                new String[] {"explain", "usage", "--measure", "revenue", "--format", "json"},
                new String[] {"explain", "usage", "--measure", "arpu"},
                new String[] {"tiers", "--month", "2026-10", "--policy", "telecom-sichuan"},
                new String[] {"tiers", "--month", "2026-10", "--policy", "telecom-sichuan", "--customers", "--format", "csv"},
                new String[] {"longtail", "--month", "2026-10", "--format", "json"},
                new String[] {"longtail", "--month", "2026-10", "--by", "region.city"},
                new String[] {"segment", "lifecycle", "--month", "2026-10"});
        for (String[] c : commands) {
            CliRun r = ok(c);
            found.addAll(leaks(String.join(" ", c), r.out() + "\n" + r.err()));
        }
        Path segments = SampleNightly.DATA.resolve("segments.yaml");
        List<String> exports = new ArrayList<>(List.of("--filter=", "--filter=region.city=Chengdu tier=gold,diamond"));
        for (String name : io.tiercube.engine.segment.NamedSegments.load(segments).keySet()) {
            exports.add("--segment=" + name);
        }
        int i = 0;
        for (String how : exports) {
            for (String ext : List.of(".csv", ".xlsx")) {
                Path out = OUT.resolve("export-" + (i++) + ext);
                CliRun r = ok("segment", "export", "--month", "2026-10", how, "--segments", segments.toString(), "--out", out.toString());
                found.addAll(leaks("segment export " + how + " (output)", r.out() + "\n" + r.err()));
                found.addAll(leaks(out.getFileName().toString(), ext.equals(".xlsx") ? xlsxText(out) : read(out)));
                found.addAll(leaks(out.getFileName() + ".json", read(out.resolveSibling(out.getFileName() + ".json"))));
            }
        }
        assertEquals(List.of(), found);
    }

    /** The scan would see a leak: an --include-pii export is full of the customers' numbers. */
    @Test
    void theScannerFindsTheNumbersInAnIncludePiiExport() throws IOException {
        for (String ext : List.of(".csv", ".xlsx")) {
            Path out = OUT.resolve("with-pii" + ext);
            ok("segment", "export", "--month", "2026-10", "--filter", "region.city=Chengdu", "--include-pii", "--out", out.toString());
            List<String> found = leaks(out.getFileName().toString(), ext.equals(".xlsx") ? xlsxText(out) : read(out));
            assertTrue(found.size() > 500, found.size() + " numbers found in " + out);
        }
    }
}
