package io.tiercube.engine.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentExportTest {

    static final YearMonth OCT = YearMonth.of(2026, 10);
    static final Pattern MSISDN = Pattern.compile("(?<!\\d)1\\d{10}(?!\\d)");
    static final String EVIL = "=HYPERLINK(\"http://evil.example/x\",\"click\")";

    @TempDir
    static Path dir;
    static Fixture fx;
    static Backend duck;

    @BeforeAll
    static void build() {
        fx = new Fixture(dir.resolve("wh"));
        LocalDate old = LocalDate.of(2019, 1, 1);
        fx.customer("c1", "13812341234", "张三", "Chengdu", old, "99", null).monthly("c1", "500.00", Fixture.months("2026-05", "2026-10"));
        fx.customer("c2", "13900002222", EVIL, "Chengdu", old, "99", null).monthly("c2", "20.00", Fixture.months("2026-05", "2026-10"));
        fx.customer("c3", "15000003333", "欧阳修", "Yibin", old, "99", null).monthly("c3", "20.00", Fixture.months("2026-05", "2026-10"));
        fx.customer("c0", "18600000000", "+Bob", "Chengdu", old, "99", null).monthly("c0", "20.00", Fixture.months("2026-05", "2026-10"));
        fx.write();
        duck = Engine.DUCKDB.open(Engine.Options.defaults());
        fx.wh.registerViews(duck);
        Profiles.build(duck, fx.wh, SegmentSettings.defaults(), OCT);
    }

    @AfterAll
    static void close() {
        duck.close();
    }

    static SegmentExport.ExportResult export(String file, String filter, boolean pii) {
        return SegmentExport.export(duck, fx.wh, new SegmentExport.ExportRequest(OCT, null, filter, dir.resolve(file), pii, false, "run-1"));
    }

    @Test
    void csvMasksPiiAndNeutralisesFormulasInCustomerOrder() throws IOException {
        SegmentExport.ExportResult r = export("all.csv", "", false);
        assertEquals(4, r.rows());
        String text = Files.readString(r.file());
        assertFalse(MSISDN.matcher(text).find(), "no unmasked 11-digit msisdn:\n" + text);
        assertTrue(text.contains("138****1234"));
        assertTrue(text.contains("张*"));
        assertTrue(text.contains("欧**"));
        assertTrue(text.contains("1985-**-**"));
        assertFalse(text.contains("1985-03-14"));
        List<String> lines = text.lines().toList();
        assertEquals(List.of("c0", "c1", "c2", "c3"), lines.subList(1, 5).stream().map(l -> l.substring(0, 2)).toList());
        for (String line : lines) {
            for (String cell : line.split(",")) {
                assertFalse(cell.startsWith("=") || cell.startsWith("+") || cell.startsWith("\"="), cell);
            }
        }
    }

    @Test
    void includePiiKeepsTheDataButStillNeutralisesFormulas() throws IOException {
        SegmentExport.ExportResult r = export("pii.csv", "", true);
        String text = Files.readString(r.file());
        assertTrue(text.contains("13812341234"));
        assertTrue(text.contains("\"'=HYPERLINK(\"\"http://evil.example/x\"\",\"\"click\"\")\""), text);
        assertTrue(text.contains("'+Bob"));
        assertFalse(text.contains(",=HYPERLINK") || text.contains(",\"=HYPERLINK"));
        Map<?, ?> meta = io.tiercube.engine.warehouse.Warehouse.readJson(r.sidecar(), Map.class);
        assertEquals(true, meta.get("include_pii"));
        assertEquals(4, meta.get("rows"));
        assertEquals("run-1", meta.get("run_id"));
        assertEquals("2026-10", meta.get("month"));
    }

    @Test
    void xlsxHasNoUnmaskedMsisdnAndNoFormula() throws IOException {
        SegmentExport.ExportResult r = export("seg.xlsx", "region.city=Chengdu", false);
        assertEquals(3, r.rows());
        String xml = unzip(r.file());
        assertFalse(MSISDN.matcher(xml).find(), "no unmasked 11-digit msisdn in the workbook");
        assertFalse(xml.contains("<f>"), "no formula cells");
        assertFalse(xml.contains(">=HYPERLINK"), "a name starting with = is neutralised");
        assertTrue(xml.contains("138****1234"));
    }

    /** Personal data lives only in the customers dataset: profiles leave it out and the export joins it back. */
    @Test
    void profilesHoldNoPersonalDataAndTheExportJoinsItFromCustomers() throws IOException {
        duck.registerParquet("profiles_oct", fx.wh.monthPartition("profiles", OCT));
        List<String> cols = duck.query("SELECT * FROM profiles_oct LIMIT 1").columns();
        assertFalse(cols.contains("msisdn") || cols.contains("name") || cols.contains("birth_date"), cols.toString());
        assertTrue(cols.contains("gender") && cols.contains("city"), cols.toString());
        String text = Files.readString(export("joined.csv", "customer_id=c3", true).file());
        assertTrue(text.contains("c3,15000003333,欧阳修,M,1985-03-14,"), text);
    }

    @Test
    void filterSelectsByTierLifecycleAndNumbers() throws IOException {
        SegmentExport.ExportResult r = export("rich.csv", "arpu_6m_mean>=100 region.city=Chengdu,Yibin", false);
        assertEquals(1, r.rows());
        assertTrue(Files.readString(r.file()).contains("c1,"));
        assertEquals(0, export("none.csv", "tier=diamond lifecycle=E", false).rows());
    }

    @Test
    void badFilterNamesTheClosestKey() {
        UserError e = assertThrows(UserError.class, () -> SegmentFilter.parse("region.cty=Chengdu"));
        assertEquals(UserError.Kind.BAD_QUERY, e.kind());
        assertTrue(e.getMessage().contains("did you mean 'region.city'"), e.getMessage());
        assertThrows(UserError.class, () -> SegmentFilter.parse("arpu_1m>=abc"));
        assertThrows(UserError.class, () -> SegmentFilter.parse("tier>=gold"));
    }

    @Test
    void relativeOutputMayNotClimbOutButAbsoluteMay() {
        Path cwd = dir.resolve("cwd");
        UserError e = assertThrows(UserError.class, () -> SegmentExport.resolveOut("../x.csv", cwd));
        assertTrue(e.getMessage().contains("absolute path"), e.getMessage());
        assertThrows(UserError.class, () -> SegmentExport.resolveOut("a/../../x.csv", cwd));
        assertThrows(UserError.class, () -> SegmentExport.resolveOut("x.txt", cwd));
        assertEquals(cwd.resolve("out/x.csv").toAbsolutePath(), SegmentExport.resolveOut("out/x.csv", cwd));
        assertEquals(Path.of("/tmp/x.xlsx"), SegmentExport.resolveOut("/tmp/../tmp/x.xlsx", cwd));
    }

    @Test
    void namedSegmentsLoadAndCheckTheirFilters() throws IOException {
        Path f = dir.resolve("segments.yaml");
        Files.writeString(f, "segments:\n  vip-chengdu:\n    description: VIPs in Chengdu\n    filter: \"tier=gold,diamond region.city=Chengdu\"\n");
        assertEquals("tier=gold,diamond region.city=Chengdu", NamedSegments.get(f, "vip-chengdu").filter());
        assertThrows(UserError.class, () -> NamedSegments.get(f, "vip-chengd"));
        Files.writeString(f, "segments:\n  bad:\n    filter: \"tierr=gold\"\n");
        UserError e = assertThrows(UserError.class, () -> NamedSegments.load(f));
        assertTrue(e.getMessage().contains("segments.bad.filter"), e.getMessage());
    }

    static String unzip(Path xlsx) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(xlsx.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                try (InputStream in = z.getInputStream(e)) {
                    sb.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return sb.toString();
    }
}
