package io.tiercube.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 8, part 5: the CSV row pass of ingest on arbitrary bytes and near-valid lines. Whatever
 * follows a valid header, every record is either written out or becomes a reject naming the file,
 * a real line and a reason; records = accepted + rejected; no exception escapes. The whole ingest
 * (normalizer plus SQL validation) keeps the same books: read = accepted + rejected, one reject row each.
 */
class CsvRowPropertiesTest {

    static final String HEADER = "record_id,customer_id,event_time,service,call_type,product,duration_s,volume_mb,charge,other_party";
    static final List<String> COLUMNS = Dataset.USAGE.columns();
    static final LocalDate DAY = LocalDate.of(2026, 10, 31);
    static final Set<String> STRUCTURAL = Set.of("wrong_column_count", "encoding");

    static Path dir;
    static Backend duck;
    static final AtomicInteger N = new AtomicInteger();

    @BeforeContainer
    static void open() throws IOException {
        dir = Files.createTempDirectory("csv-props");
        duck = Engine.DUCKDB.open(Engine.Options.defaults());
    }

    @AfterContainer
    static void close() throws IOException {
        duck.close();
        Warehouse.deleteTree(dir);
    }

    /** Normalizes header + body and checks the books; returns the accepted records' line numbers. */
    static Set<Long> normalizeAndCheck(byte[] body) throws IOException {
        Path d = dir.resolve("n" + N.incrementAndGet());
        Files.createDirectories(d);
        Path in = d.resolve("2026-10-31.csv");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write((HEADER + "\n").getBytes(StandardCharsets.UTF_8));
        all.write(body);
        Files.write(in, all.toByteArray());
        CsvNormalizer.Counts c = new CsvNormalizer(in, "usage/2026-10-31.csv", StandardCharsets.UTF_8, COLUMNS, "2026-10-31")
                .normalize(d.resolve("out.csv"), d.resolve("rejects.csv"));
        List<List<String>> out = readCsv(Files.readString(d.resolve("out.csv")));
        List<List<String>> rejects = readCsv(Files.readString(d.resolve("rejects.csv")));
        assertEquals(CsvNormalizer.outputColumns(COLUMNS), out.get(0));
        assertEquals(CsvNormalizer.REJECT_COLUMNS, rejects.get(0));
        Set<Long> lines = new HashSet<>();
        Set<Long> accepted = new HashSet<>();
        for (List<String> row : out.subList(1, out.size())) {
            assertEquals(COLUMNS.size() + 1, row.size(), row.toString());
            long line = Long.parseLong(row.get(0));
            assertTrue(line >= 2 && line <= c.physicalLines(), "line " + line + " of " + c.physicalLines());
            assertTrue(lines.add(line), "line " + line + " counted once");
            accepted.add(line);
        }
        for (List<String> row : rejects.subList(1, rejects.size())) {
            assertEquals(CsvNormalizer.REJECT_COLUMNS.size(), row.size(), row.toString());
            assertEquals("usage/2026-10-31.csv", row.get(0));
            long line = Long.parseLong(row.get(1));
            assertTrue(line >= 2 && line <= c.physicalLines(), "reject line " + line + " of " + c.physicalLines());
            assertTrue(lines.add(line), "line " + line + " counted once");
            assertTrue(STRUCTURAL.contains(row.get(3)), row.get(3));
            assertFalse(row.get(5).isBlank(), "a reject says what was expected");
        }
        assertEquals(c.records(), out.size() - 1 + rejects.size() - 1, "records = accepted + rejected");
        assertEquals(c.structuralRejects(), rejects.size() - 1);
        assertTrue(c.records() <= c.physicalLines() - 1);
        return accepted;
    }

    /** RFC 4180 as the normalizer writes it (every field quoted, LF between records). */
    static List<List<String>> readCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    f.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                row.add(f.toString());
                f.setLength(0);
            } else if (ch == '\n') {
                row.add(f.toString());
                f.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                f.append(ch);
            }
        }
        assertFalse(quoted, "the normalizer's own CSV is well formed");
        return rows;
    }

    @Property(tries = 300)
    void arbitraryBytesAreEachAcceptedOrRejectedAndCountsReconcile(@ForAll @Size(max = 600) byte[] body) throws IOException {
        normalizeAndCheck(body);
    }

    @Property(tries = 100)
    void nearValidLinesAreAcceptedOrRejectedAndCountsReconcile(@ForAll("nearValidFile") byte[] body) throws IOException {
        normalizeAndCheck(body);
    }

    @Property(tries = 100)
    void validLinesAreAllAccepted(@ForAll("validLines") List<String> lines) throws IOException {
        Set<Long> accepted = normalizeAndCheck(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        assertEquals(lines.size(), accepted.size());
    }

    /** The whole ingest, validation SQL included, on near-valid files: the books balance and every reject says why. */
    @Property(tries = 10)
    void ingestKeepsTheBooksOnNearValidFiles(@ForAll("nearValidFile") byte[] body) throws IOException {
        Path d = dir.resolve("i" + N.incrementAndGet());
        Warehouse wh = new Warehouse(d.resolve("wh"));
        Path customers = d.resolve("customers.csv");
        Files.createDirectories(d.resolve("usage"));
        Files.writeString(customers, IngestorTest.CUSTOMERS);
        Path usage = d.resolve("usage/2026-10-31.csv");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write((HEADER + "\n").getBytes(StandardCharsets.UTF_8));
        all.write(body);
        Files.write(usage, all.toByteArray());
        Ingestor ing = new Ingestor(duck, wh, StandardCharsets.UTF_8, 1.0, "props");
        ing.customers(new InputFolder.InputFile(customers, "customers.csv"), DAY);
        TreeMap<LocalDate, InputFolder.InputFile> days = new TreeMap<>();
        days.put(DAY, new InputFolder.InputFile(usage, "usage/2026-10-31.csv"));
        Ingestor.Result r = ing.usage(days);
        assertEquals(r.total().read(), r.total().accepted() + r.total().rejected(), "read = accepted + rejected");
        Path rejects = wh.rejects("usage", "day=" + DAY).resolve("rejects.csv");
        List<List<String>> rows = Files.exists(rejects) ? readCsv(Files.readString(rejects).replace("\r\n", "\n")) : List.of(List.of());
        assertEquals(r.total().rejected(), Math.max(0, rows.size() - 1), "one reject row per rejected record");
        for (List<String> row : rows.subList(Math.min(1, rows.size()), rows.size())) {
            assertEquals("usage/2026-10-31.csv", row.get(0));
            assertTrue(Long.parseLong(row.get(1)) >= 2, row.toString());
            assertFalse(row.get(3).isBlank(), row.toString());
        }
        if (r.total().accepted() > 0) {
            duck.registerParquet("props_usage", wh.dataset("usage"));
            assertEquals(r.total().accepted(), duck.query("SELECT count(*) AS n FROM props_usage").scalarLong());
        }
    }

    @Example
    void aCustomersRowWithTheWrongColumnCountKeepsOnlyItsShape() throws IOException {
        Path d = dir.resolve("shape");
        Files.createDirectories(d);
        Path in = d.resolve("customers.csv");
        Files.writeString(in, String.join(",", Dataset.CUSTOMERS.columns()) + "\n"
                + "C00500201,15012340249,王雪云,F,1952-02-02,retired,,,Sichuan,Chengdu,Wuhou,mass_market,2024-06-11,P019,19.00,online,App,active\n");
        new CsvNormalizer(in, "customers.csv", StandardCharsets.UTF_8, Dataset.CUSTOMERS.columns(), "")
                .normalize(d.resolve("out.csv"), d.resolve("rejects.csv"));
        String raw = readCsv(Files.readString(d.resolve("rejects.csv"))).get(1).get(4);
        assertEquals("C********,150****0249,王**,F,****-**-**,r******,,,S******,C******,W****,m***_m*****,****-**-**,P***,**.**,o*****,A**,a*****", raw);
    }

    // ------------------------------------------------------------------ generators

    static Arbitrary<String> validLine() {
        Arbitrary<Integer> id = Arbitraries.integers().between(1, 1_000_000);
        Arbitrary<String> customer = Arbitraries.of("C1", "C2", "C9");
        Arbitrary<String> time = Combinators.combine(Arbitraries.integers().between(0, 23), Arbitraries.integers().between(0, 59))
                .as((h, m) -> String.format("2026-10-31 %02d:%02d:00", h, m));
        Arbitrary<String> service = Arbitraries.of("voice,local,voice-local", "data,,data-5g", "sms,,sms-p2p", "vas,,\"vas, music\"",
                "subscription,,plan-59");
        Arbitrary<String> money = Arbitraries.integers().between(0, 99_999).map(c -> c / 100 + "." + String.format("%02d", c % 100));
        Arbitrary<String> party = Arbitraries.of("", "a1b2c3d4e5f60718", "\"\"");
        return Combinators.combine(id, customer, time, service, money, party)
                .as((i, c, t, s, m, p) -> "R" + i + "," + c + "," + t + "," + s + ",60,1.5," + m + "," + p);
    }

    @Provide
    Arbitrary<List<String>> validLines() {
        return validLine().list().ofMinSize(1).ofMaxSize(20);
    }

    /** Valid lines with up to three edits each: stray quotes, commas, CR, NUL, BOM, invalid UTF-8, long fields, blank lines. */
    @Provide
    Arbitrary<byte[]> nearValidFile() {
        Arbitrary<String> edit = Arbitraries.of("\"", ",", "\r", "\u0000", "\uFEFF", "\n", "\"\n\"", "\\", "'", "\u00FF", "é", "王",
                "x".repeat(3000), "", ",,,,", "\"a\"\"b\"");
        Arbitrary<byte[]> raw = Arbitraries.of(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xE6, (byte) 0x9D},
                new byte[] {(byte) 0xD5, (byte) 0xC5}, new byte[0]);
        Arbitrary<byte[]> line = Combinators.combine(validLine(), edit.list().ofMaxSize(3), Arbitraries.integers().between(0, 200).list()
                .ofSize(3), raw, Arbitraries.of("\n", "\r\n", "\n\n"))
                .as((l, edits, at, bytes, eol) -> {
                    String s = l;
                    for (int k = 0; k < edits.size(); k++) {
                        int i = at.get(k) % (s.length() + 1);
                        s = s.substring(0, i) + edits.get(k) + s.substring(i);
                    }
                    byte[] text = s.getBytes(StandardCharsets.UTF_8);
                    ByteArrayOutputStream o = new ByteArrayOutputStream();
                    int cut = at.get(0) % (text.length + 1);
                    o.write(text, 0, cut);
                    o.write(bytes, 0, bytes.length);
                    o.write(text, cut, text.length - cut);
                    o.write(eol.getBytes(StandardCharsets.UTF_8), 0, eol.length());
                    return o.toByteArray();
                });
        return line.list().ofMinSize(1).ofMaxSize(25).map(ls -> {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            ls.forEach(b -> o.write(b, 0, b.length));
            return o.toByteArray();
        });
    }
}
