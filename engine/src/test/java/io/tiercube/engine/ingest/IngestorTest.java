package io.tiercube.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestorTest {

    static final String CUSTOMERS = """
            customer_id,msisdn,name,gender,birth_date,occupation,income_band,education,province,city,district,segment,join_date,plan_id,plan_fee,channel_type,channel,status,closed_date
            C1,13800001111,张伟,M,1980-01-02,engineer,high,college,Sichuan,Chengdu,Wuhou,mass_market,2020-01-01,P1,59.00,store,CD-01,active,
            C2,13800002222,Li Na,F,,,,,Sichuan,Mianyang,Fucheng,enterprise,2021-05-01,P2,89.00,online,WEB,closed,2026-10-15
            """;
    static final String HEADER = "record_id,customer_id,event_time,service,call_type,product,duration_s,volume_mb,charge,other_party\n";
    static final LocalDate DAY = LocalDate.of(2026, 10, 31);

    @TempDir
    Path tmp;
    Warehouse wh;
    Backend duck;

    @BeforeEach
    void open() {
        wh = new Warehouse(tmp.resolve("wh"));
        duck = Engine.DUCKDB.open(Engine.Options.defaults());
    }

    @AfterEach
    void close() {
        duck.close();
    }

    Ingestor ingestor(Backend b, double maxRate) {
        return new Ingestor(b, wh, StandardCharsets.UTF_8, maxRate, "test-run");
    }

    InputFolder.InputFile file(String name, byte[] content) throws IOException {
        Path p = tmp.resolve("in").resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return new InputFolder.InputFile(p, name);
    }

    InputFolder.InputFile file(String name, String content) throws IOException {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    void customers(Backend b) throws IOException {
        ingestor(b, 1).customers(file("customers.csv", CUSTOMERS), DAY);
    }

    static TreeMap<LocalDate, InputFolder.InputFile> days(LocalDate d, InputFolder.InputFile f) {
        TreeMap<LocalDate, InputFolder.InputFile> m = new TreeMap<>();
        m.put(d, f);
        return m;
    }

    List<List<Object>> rejects(String partition) throws IOException {
        Path f = wh.rejects("usage", partition).resolve("rejects.csv");
        duck.registerCsv("r", f, List.of("file", "line", "field", "reason", "raw", "detail"));
        return duck.query("SELECT CAST(line AS BIGINT) AS line, field, reason FROM r ORDER BY line").rows();
    }

    @Test
    void eachDefectGivesExactlyOneRejectWithItsReasonFieldAndLine() throws IOException {
        customers(duck);
        String usage = HEADER
                + "R1,C1,2026-10-31 10:00:00,voice,local,voice-local,60,0,1.50,abc\n"      // line 2 ok
                + "R2,C1,2026-10-31 11:00:00,data,,data-4g,0,100.5,2.00,\n"                // 3 ok
                + "R3,C1,2026-10-31 11:00:00,data,,data-4g,0,100.5\n"                      // 4 wrong_column_count
                + "R4,C1,2026-10-31 11:00:00,data,,,0,1,2.00,\n"                           // 5 missing_field product
                + "R5,C1,2026-10-31 11:00:00,data,,data-4g,0,1,abc,\n"                     // 6 bad_number charge
                + "R6,C1,2026-02-30 11:00:00,data,,data-4g,0,1,1.00,\n"                    // 7 bad_timestamp
                + "R7,C1,2026-10-31 11:00:00,fax,,data-4g,0,1,1.00,\n"                     // 8 bad_enum service
                + "R8,C1,2026-10-31 11:00:00,data,,data-4g,0,1,-5.00,\n"                   // 9 negative_value
                + "R1,C1,2026-10-31 12:00:00,data,,data-4g,0,1,1.00,\n"                    // 10 duplicate_id
                + "R9,C9,2026-10-31 11:00:00,data,,data-4g,0,1,1.00,\n"                    // 11 unknown_customer
                + "R10,C1,2026-10-30 11:00:00,data,,data-4g,0,1,1.00,\n"                   // 12 out_of_range_date
                + "\"R11\",C1,\"2026-10-31 09:00:00\",sms,,\"sms, p2p\",0,0,0.10,\n";      // 13 ok, quoted comma
        byte[] bad = "R12,C1,2026-10-31 11:00:00,sms,,sms-p2p,0,0,0.10,\u0000\n".getBytes(StandardCharsets.UTF_8);
        bad[bad.length - 2] = (byte) 0xff;                                                  // 14 encoding
        // 15 bad_timestamp: hour 24 has the shape, and a cast would read it as the next midnight
        byte[] all = concat(concat(usage.getBytes(StandardCharsets.UTF_8), bad),
                "R13,C1,2026-10-31 24:00:00,sms,,sms-p2p,0,0,0.10,\n".getBytes(StandardCharsets.UTF_8));
        Ingestor.Result r = ingestor(duck, 1).usage(days(DAY, file("usage/2026-10-31.csv", all)));

        assertEquals(14, r.total().read());
        assertEquals(3, r.total().accepted());
        assertEquals(11, r.total().rejected());
        assertEquals(List.of(
                List.of(4L, "", "wrong_column_count"),
                List.of(5L, "product", "missing_field"),
                List.of(6L, "charge", "bad_number"),
                List.of(7L, "event_time", "bad_timestamp"),
                List.of(8L, "service", "bad_enum"),
                List.of(9L, "charge", "negative_value"),
                List.of(10L, "record_id", "duplicate_id"),
                List.of(11L, "customer_id", "unknown_customer"),
                List.of(12L, "event_time", "out_of_range_date"),
                List.of(14L, "", "encoding"),
                List.of(15L, "event_time", "bad_timestamp")), rejects("day=2026-10-31").stream()
                .map(row -> List.of(row.get(0), row.get(1) == null ? "" : row.get(1), row.get(2))).toList());
        wh.registerViews(duck);
        Table t = duck.query("SELECT record_id, product, charge FROM usage ORDER BY record_id");
        assertEquals(List.of(List.of("R1", "voice-local", new BigDecimal("1.50")), List.of("R11", "sms, p2p", new BigDecimal("0.10")),
                List.of("R2", "data-4g", new BigDecimal("2.00"))), t.rows());
    }

    @Test
    void rerunOfSameDayReplacesPartitionAndDuplicatesAcrossDaysAreRejected() throws IOException {
        customers(duck);
        LocalDate d1 = DAY.minusDays(1);
        ingestor(duck, 1).usage(days(d1, file("usage/2026-10-30.csv", HEADER + "A1,C1,2026-10-30 10:00:00,sms,,sms-p2p,0,0,0.10,\n")));
        InputFolder.InputFile v1 = file("usage/2026-10-31.csv", HEADER
                + "B1,C1,2026-10-31 10:00:00,sms,,sms-p2p,0,0,1.00,\nB2,C1,2026-10-31 10:00:00,sms,,sms-p2p,0,0,2.00,\n");
        ingestor(duck, 1).usage(days(DAY, v1));
        ingestor(duck, 1).usage(days(DAY, v1)); // same file again: its own ids are not duplicates of themselves
        wh.registerViews(duck);
        assertEquals(new BigDecimal("3.10"), duck.query("SELECT sum(charge) FROM usage").scalar());

        InputFolder.InputFile v2 = file("usage/2026-10-31.csv", HEADER
                + "B1,C1,2026-10-31 10:00:00,sms,,sms-p2p,0,0,5.00,\nA1,C1,2026-10-31 11:00:00,sms,,sms-p2p,0,0,7.00,\n");
        Ingestor.Result r = ingestor(duck, 1).usage(days(DAY, v2));
        assertEquals(1, r.total().rejected());
        wh.registerViews(duck);
        assertEquals(new BigDecimal("5.10"), duck.query("SELECT sum(charge) FROM usage").scalar());
        assertEquals(List.of(List.of(3L, "record_id", "duplicate_id")), rejects("day=2026-10-31"));
        assertTrue(SourceMarker.read(wh.usageDay(DAY)).orElseThrow().isFrom(v2.sha256()));
    }

    @Test
    void filesCheckedInSeveralGroupsGiveTheSameRowsAndRejectsAsOneGroup() throws IOException {
        customers(duck);
        TreeMap<LocalDate, InputFolder.InputFile> month = new TreeMap<>();
        month.put(DAY.minusDays(2), file("usage/2026-10-29.csv", HEADER
                + "R1,C1,2026-10-29 10:00:00,sms,,sms-p2p,0,0,1.00,\n"       // line 2 ok
                + "R2,C1,2026-10-29 10:00:00,sms,,sms-p2p,0,0,2.00,\n"       // 3 ok
                + "R3,C1,2026-10-29 10:00:00,sms,,sms-p2p,0,0,abc,\n"        // 4 bad_number: R3 not taken
                + "R9,C1,2026-10-29 10:00:00,sms\n"));                      // 5 wrong_column_count
        month.put(DAY.minusDays(1), file("usage/2026-10-30.csv", HEADER
                + "R1,C1,2026-10-30 10:00:00,sms,,sms-p2p,0,0,4.00,\n"       // 2 duplicate of day 29's R1
                + "R4,C1,2026-10-30 10:00:00,sms,,sms-p2p,0,0,8.00,\n"       // 3 ok
                + "R4,C1,2026-10-30 11:00:00,sms,,sms-p2p,0,0,16.00,\n"));   // 4 duplicate within the day
        month.put(DAY, file("usage/2026-10-31.csv", HEADER
                + "R2,C1,2026-10-31 10:00:00,sms,,sms-p2p,0,0,32.00,\n"      // 2 duplicate of day 29's R2
                + "R3,C1,2026-10-31 10:00:00,sms,,sms-p2p,0,0,64.00,\n"));   // 3 ok: the earlier R3 broke a rule
        List<String> expectedRejects = List.of(
                "day=2026-10-29 [[4, charge, bad_number], [5, null, wrong_column_count]]",
                "day=2026-10-30 [[2, record_id, duplicate_id], [4, record_id, duplicate_id]]",
                "day=2026-10-31 [[2, record_id, duplicate_id]]");
        for (long groupRows : new long[] {Ingestor.GROUP_ROWS, 1}) {
            Ingestor.Result r = ingestor(duck, 1).groupRows(groupRows).usage(month);
            assertEquals(List.of(9L, 4L, 5L), List.of(r.total().read(), r.total().accepted(), r.total().rejected()), "groups of " + groupRows);
            wh.registerViews(duck);
            assertEquals(List.of(List.of("R1", new BigDecimal("1.00")), List.of("R2", new BigDecimal("2.00")),
                    List.of("R3", new BigDecimal("64.00")), List.of("R4", new BigDecimal("8.00"))),
                    duck.query("SELECT record_id, charge FROM usage ORDER BY record_id").rows(), "groups of " + groupRows);
            List<String> got = new java.util.ArrayList<>();
            for (String part : List.of("day=2026-10-29", "day=2026-10-30", "day=2026-10-31")) {
                got.add(part + " " + rejects(part));
            }
            assertEquals(expectedRejects, got, "groups of " + groupRows);
        }
    }

    @Test
    void rejectsShowEachRowsEventTimeAsWrittenThoughOnlyBrokenRowsKeepItsText() throws IOException {
        customers(duck);
        ingestor(duck, 1).usage(days(DAY, file("usage/2026-10-31.csv", HEADER
                + "R1,C1,2026-10-31 00:00:00,sms,,sms-p2p,0,0,0.10,\n"
                + "R1,C1,2026-10-31 23:59:09,sms,,sms-p2p,0,0,0.20,x\n"           // duplicate: its text rebuilt
                + "R2,C1,2026-10-31 07:05:09,sms,,sms-p2p,0,0,abc,\n")));        // bad_number: its text held
        duck.registerCsv("r", wh.rejects("usage", "day=2026-10-31").resolve("rejects.csv"),
                List.of("file", "line", "field", "reason", "raw", "detail"));
        assertEquals(List.of(
                List.of("3", "duplicate_id", "R1,C1,2026-10-31 23:59:09,sms,,sms-p2p,0,0,0.20,x"),
                List.of("4", "bad_number", "R2,C1,2026-10-31 07:05:09,sms,,sms-p2p,0,0,abc,")),
                duck.query("SELECT line, reason, raw FROM r ORDER BY CAST(line AS INT)").rows());
    }

    @Test
    void ingestLeavesNothingInStagingAndFreesItsCheckedRows() throws IOException {
        customers(duck);
        ingestor(duck, 1).usage(days(DAY, file("usage/2026-10-31.csv", HEADER
                + "R1,C1,2026-10-31 10:00:00,sms,,sms-p2p,0,0,0.10,\nR1,C1,2026-10-31 10:00:00,sms,,sms-p2p,0,0,0.10,\n")));
        Path staging = wh.root().resolve("_staging");
        try (var s = Files.list(staging)) {
            assertEquals(List.of(), s.toList());
        }
        assertEquals(0L, duck.query("SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('in_checked', 'in_duplicates')").scalarLong());
    }

    @Test
    void spacesAroundValuesAreTrimmedBeforeRulesAndDuplicateCheck() throws IOException {
        customers(duck);
        String usage = HEADER
                + " R1 , C1 ,2026-10-31 10:00:00, voice ,local ,voice-local, 60 ,,1.50 ,\n"   // 2 ok once trimmed
                + "\" R2\",C1,2026-10-31 10:00:00,\"sms \",,sms-p2p,0,0,0.10,\n"              // 3 ok, quoted spaces too
                + "R1,C1,2026-10-31 11:00:00,sms,,sms-p2p,0,0,0.10,\n"                          // 4 duplicate of ' R1 '
                + "R3,C1,2026-10-31 11:00:00,data,  ,data-4g,0,1,1.00,\n"                       // 5 ok: a blank call_type is empty
                + "R4,C1,2026-10-31 11:00:00,data,,data-4g,0,1,   ,\n";                         // 6 missing charge
        Ingestor.Result r = ingestor(duck, 1).usage(days(DAY, file("usage/2026-10-31.csv", usage)));

        assertEquals(5, r.total().read());
        assertEquals(3, r.total().accepted());
        assertEquals(List.of(List.of(4L, "record_id", "duplicate_id"), List.of(6L, "charge", "missing_field")),
                rejects("day=2026-10-31").stream().map(row -> List.of(row.get(0), row.get(1), row.get(2))).toList());
        wh.registerViews(duck);
        assertEquals(List.of(List.of("R1", "C1", "voice", "local", 60L), java.util.Arrays.asList("R2", "C1", "sms", null, 0L),
                        java.util.Arrays.asList("R3", "C1", "data", null, 0L)),
                duck.query("SELECT record_id, customer_id, service, call_type, duration_s FROM usage ORDER BY record_id").rows());
    }

    @Test
    void rejectRateAboveLimitFailsNamingTheFileAndLoadsNothingFromIt() throws IOException {
        customers(duck);
        InputFolder.InputFile f = file("usage/2026-10-31.csv", HEADER
                + "B1,C1,2026-10-31 10:00:00,sms,,sms-p2p,0,0,1.00,\nB2,C1,2026-10-31 10:00:00,sms,,sms-p2p,0,0,x,\n");
        UserError e = assertThrows(UserError.class, () -> ingestor(duck, 0.05).usage(days(DAY, f)));
        assertEquals(UserError.Kind.DATA_QUALITY, e.kind());
        assertTrue(e.getMessage().startsWith("usage/2026-10-31.csv: 1 of 2 rows rejected (50.0 %)"), e.getMessage());
        assertTrue(Files.notExists(wh.usageDay(DAY)));
        assertEquals(1, rejects("day=2026-10-31").size());
    }

    @Test
    void gbkFileIsReadWithEncodingGbkAndRejectedAsEncodingWithout() throws IOException {
        Charset gbk = Charset.forName("GBK");
        InputFolder.InputFile f = file("customers.csv.gz", gzip(CUSTOMERS.getBytes(gbk)));
        new Ingestor(duck, wh, gbk, 0.05, "t").customers(f, DAY);
        wh.registerViews(duck);
        assertEquals("张伟", duck.query("SELECT name FROM customers WHERE customer_id = 'C1'").scalar());

        UserError e = assertThrows(UserError.class, () -> ingestor(duck, 0.05).customers(f, DAY));
        assertEquals(UserError.Kind.DATA_QUALITY, e.kind());
        assertTrue(e.getMessage().contains("most common reason: encoding (if the file is GBK, pass --encoding GBK)"), e.getMessage());
    }

    @Test
    void headerMissingAColumnIsAClearInputErrorNamingTheColumn() throws IOException {
        InputFolder.InputFile f = file("customers.csv", CUSTOMERS.replace("plan_fee,", "fee,"));
        UserError e = assertThrows(UserError.class, () -> ingestor(duck, 1).customers(f, DAY));
        assertEquals(UserError.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("customers.csv line 1: the header lacks column(s) plan_fee"), e.getMessage());
    }

    @Test
    void quotedFieldWithEmbeddedNewlineCrlfAndBomAreAccepted() throws IOException {
        customers(duck);
        String content = "\uFEFF" + HEADER.replace("\n", "\r\n")
                + "Q1,C1,2026-10-31 10:00:00,vas,,\"music\r\nplus\",0,0,3.00,\r\n"
                + "Q2,C1,2026-10-31 10:00:00,vas,,\"unterminated,0,0,3.00,\r\n"
                + "Q3,C1,2026-10-31 10:00:00,vas,,music,0,0,4.00,\r\n";
        Ingestor.Result r = ingestor(duck, 1).usage(days(DAY, file("usage/2026-10-31.csv", content)));
        assertEquals(3, r.total().read());
        assertEquals(List.of(List.of(4L, "", "wrong_column_count")),
                rejects("day=2026-10-31").stream().map(row -> List.of(row.get(0), row.get(1) == null ? "" : row.get(1), row.get(2))).toList());
        wh.registerViews(duck);
        assertEquals(new BigDecimal("7.00"), duck.query("SELECT sum(charge) FROM usage").scalar());
    }

    @Test
    void truncatedGzipIsAClearInputError() throws IOException {
        byte[] gz = gzip(CUSTOMERS.getBytes(StandardCharsets.UTF_8));
        InputFolder.InputFile f = file("customers.csv.gz", java.util.Arrays.copyOf(gz, gz.length / 2));
        UserError e = assertThrows(UserError.class, () -> ingestor(duck, 1).customers(f, DAY));
        assertEquals(UserError.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("customers.csv.gz: not a readable gzip file"), e.getMessage());
    }

    @Test
    void parquetDayFileIsValidatedLikeCsvWithRowNumbersAsLines() throws IOException {
        customers(duck);
        Path pq = tmp.resolve("in/usage/2026-10-31.parquet");
        Files.createDirectories(pq.getParent());
        duck.execute("COPY (SELECT * FROM (VALUES "
                + "('P1', 'C1', TIMESTAMP '2026-10-31 10:00:00', 'sms', NULL, 'sms-p2p', 0, 0.0, CAST(0.10 AS DECIMAL(18,2)), NULL), "
                + "('P2', 'C1', TIMESTAMP '2026-10-31 10:00:00', 'fax', NULL, 'sms-p2p', 0, 0.0, CAST(0.20 AS DECIMAL(18,2)), NULL), "
                + "('P3', 'C1', TIMESTAMP '2026-10-30 10:00:00', 'sms', NULL, 'sms-p2p', 0, 0.0, CAST(0.30 AS DECIMAL(18,2)), NULL)) "
                + "t(record_id, customer_id, event_time, service, call_type, product, duration_s, volume_mb, charge, other_party)) TO '"
                + pq + "' (FORMAT parquet)");
        Ingestor.Result r = ingestor(duck, 1).usage(days(DAY, new InputFolder.InputFile(pq, "usage/2026-10-31.parquet")));
        assertEquals(new io.tiercube.engine.warehouse.RunManifest.Counts(3, 1, 2), r.total());
        assertEquals(List.of(List.of(2L, "service", "bad_enum"), List.of(3L, "event_time", "out_of_range_date")), rejects("day=2026-10-31"));
    }

    @Test
    void rejectsNeverShowAWholeMobileNumberOrName() throws IOException {
        String bad = IngestorTest.CUSTOMERS
                + "C3,13912345678,王小明,M,1990-05-06,,,,Sichuan,Yibin,,retail,2020-01-01,P1,59.00,store,,active,\n"
                + "C4,13987654321,赵六,M,1990-05-06,,,,Sichuan,Yibin\n";
        ingestor(duck, 1).customers(file("customers.csv", bad), DAY);
        String text = Files.readString(wh.rejects("customers", "snapshot=" + DAY).resolve("rejects.csv"));
        assertTrue(text.contains("139****5678,王*,M,1990-**-**") && text.contains("139****4321"), text);
        assertTrue(!text.matches("(?s).*\\d{11}.*") && !text.contains("王小明"), text);
    }

    static byte[] gzip(byte[] b) throws IOException {
        var bos = new java.io.ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bos)) {
            o.write(b);
        }
        return bos.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
