package io.tiercube.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, part 4: hostile text in the filters and identifiers of drill, explain and segment export
 * never becomes SQL. Each hostile value either is refused as a user error (exit 7 or 8, one line
 * naming what was wrong, no stack trace) or is read as a literal member that matches nothing; it
 * never returns extra rows and never changes the warehouse.
 */
class InjectionTest {

    /** Values an attacker (or a careless paste) might put where a member name belongs. */
    static final List<String> HOSTILE = List.of(
            "Chengdu' OR '1'='1",
            "Chengdu'--",
            "Chengdu' /* c */ OR 1=1 /*",
            "x; DROP TABLE usage",
            "x'; DROP VIEW usage; --",
            "x' UNION SELECT msisdn FROM customers --",
            "x\" UNION SELECT msisdn FROM customers --",
            "Chengdu\\' OR 1=1 --",
            "Chengdu\u2019 OR \u20191\u2019=\u20191",
            "Chengdu\uFF07 OR \uFF071\uFF07=\uFF071",
            "Chengdu\u0000' OR '1'='1",
            "') OR ('1'='1",
            "%' OR city LIKE '%");

    @TempDir
    static Path dir;
    static String wh;
    static Map<String, String> before;

    @BeforeAll
    static void warehouse() throws IOException {
        Path data = TestDrop.write(dir.resolve("in"), 30, 35, 40);
        wh = dir.resolve("wh").toString();
        assertEquals(0, CliRun.of("nightly", "--data", data.toString(), "--warehouse", wh, "--max-reject-rate", "0.1").exit());
        CliRun cube = CliRun.of("cube", "build", "--warehouse", wh, "--model", CubeCommandsTest.MODEL);
        assertEquals(0, cube.exit(), cube.err());
        CliRun seg = CliRun.of("segment", "build", "--month", "2026-10", "--warehouse", wh);
        assertEquals(0, seg.exit(), seg.err());
    }

    @BeforeEach
    void snapshot() throws IOException {
        before = files(Path.of(wh));
    }

    @AfterEach
    void warehouseUnchanged() throws IOException {
        assertEquals(before, files(Path.of(wh)), "the warehouse's data files are unchanged");
    }

    /** Every data file with its size and modification time; run manifests, spill space and exports are not data. */
    static Map<String, String> files(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString();
                if (!rel.startsWith("_runs") && !rel.startsWith("_tmp") && !rel.startsWith("exports")) {
                    m.put(rel, Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
                }
            }
        }
        return m;
    }

    static CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--warehouse");
        all.add(wh);
        return CliRun.of(all.toArray(String[]::new));
    }

    /** Refused as a user's mistake: exit 7 (bad query) or 8 (not found), one clear line, no trace. */
    static void assertUserError(CliRun r, String what) {
        assertTrue(r.exit() == ExitCodes.BAD_QUERY || r.exit() == ExitCodes.NOT_FOUND, what + ": exit " + r.exit() + "\n" + r.err());
        // picocli may first warn about an unbalanced quote in a comma-split option; the error is the last line.
        List<String> lines = r.err().strip().lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("tiercube: "), what + ": " + r.err());
        assertFalse(r.err().contains("internal error") || r.err().contains("\tat ") || r.err().contains("Exception"), what + ": " + r.err());
        assertEquals("", r.out(), what);
    }

    /** Either a user error, or a CSV answer with a header and no data row. */
    static void assertRefusedOrEmpty(CliRun r, String what) {
        if (r.exit() == 0) {
            assertEquals(1, r.out().strip().lines().count(), what + ": a literal member that does not exist matches nothing\n" + r.out());
            assertFalse(r.err().contains("Exception"), what + ": " + r.err());
        } else {
            assertUserError(r, what);
        }
    }

    @Test
    void drillFilterValuesAreLiteralMembersOrRefused() {
        CliRun honest = run("drill", "usage", "--by", "region.city", "--where", "region.city=Chengdu", "--month", "2026-10",
                "--compare", "none", "--format", "csv");
        assertEquals(0, honest.exit(), honest.err());
        assertEquals(2, honest.out().strip().lines().count(), "the honest filter finds Chengdu:\n" + honest.out());
        for (String v : HOSTILE) {
            for (String where : List.of("region.city=" + v, "region.city='" + v + "'", "region.city=\"" + v + "\"",
                    "region.city!=" + v + " region.city=Nowhere", "product.line=" + v)) {
                assertRefusedOrEmpty(run("drill", "usage", "--by", "region.city", "--where", where, "--month", "2026-10",
                        "--compare", "none", "--format", "csv"), "drill --where " + where);
            }
        }
    }

    @Test
    void aQuotedHostileValueIsOneLiteralMemberMatchingNothing() {
        CliRun r = run("drill", "usage", "--by", "region.city", "--where", "region.city=\"Chengdu' OR '1'='1\"", "--month",
                "2026-10", "--compare", "none", "--format", "csv");
        assertEquals(0, r.exit(), r.err());
        assertEquals("region.province,region.city,revenue,users,arpu", r.out().strip());
    }

    /** Spark binds the same values as parameters: a quote or a comment in a member name stays a literal. */
    @Test
    void hostileFilterValuesAreLiteralOnSparkToo() {
        SharedSpark.ready();
        for (String v : List.of("Chengdu' OR '1'='1", "x' UNION SELECT msisdn FROM customers --", "Chengdu\\' OR 1=1 --")) {
            CliRun r = run("drill", "usage", "--engine", "spark", "--by", "region.city", "--where", "region.city=\"" + v + "\"",
                    "--month", "2026-10", "--compare", "none", "--format", "csv");
            assertEquals(0, r.exit(), v + ": " + r.err());
            assertEquals("region.province,region.city,revenue,users,arpu", r.out().strip(), v);
        }
    }

    @Test
    void drillIdentifiersAreCheckedAgainstTheModel() {
        for (String v : HOSTILE) {
            assertUserError(run("drill", "usage", "--by", v, "--month", "2026-10"), "drill --by " + v);
            assertUserError(run("drill", "usage", "--by", "region.city" + v, "--month", "2026-10"), "drill --by region.city" + v);
            assertUserError(run("drill", "usage", "--measures", "revenue" + v, "--month", "2026-10"), "drill --measures " + v);
            assertUserError(run("drill", "usage", "--sort", v, "--month", "2026-10"), "drill --sort " + v);
            assertUserError(run("drill", "usage", "--sort", "revenue" + v + ":asc", "--month", "2026-10"), "drill --sort revenue" + v);
            assertUserError(run("drill", "usage", "--where", v + "=x", "--month", "2026-10"), "drill --where " + v + "=x");
            assertUserError(run("drill", "usage", "--where", "revenue>=" + v, "--month", "2026-10"), "drill --where revenue>=" + v);
        }
        CliRun typo = run("drill", "usage", "--by", "region.city;drop", "--month", "2026-10");
        assertTrue(typo.err().contains("region.city;drop") && typo.err().contains("did you mean 'region.city'"), typo.err());
        CliRun sort = run("drill", "usage", "--sort", "revenue desc; drop view usage", "--month", "2026-10");
        assertTrue(sort.err().contains("cannot sort by"), sort.err());
    }

    @Test
    void measureFilterOfAnAbsurdNumberIsAUserErrorNotAnEngineCrash() {
        for (String n : List.of("1e999999999", "-1e-999999999", "1e2147483647", "0x10", "NaN", "Infinity", "1_000", "1e-40")) {
            CliRun r = run("drill", "usage", "--measures", "revenue", "--where", "revenue>=" + n, "--month", "2026-10", "--compare",
                    "none", "--format", "csv");
            assertUserError(r, "revenue>=" + n);
            assertTrue(r.err().contains("revenue>=" + n), r.err());
        }
    }

    @Test
    void exponentNotationIsAPlainNumber() {
        CliRun plain = run("drill", "usage", "--measures", "revenue", "--where", "revenue>=1000", "--month", "2026-10",
                "--compare", "none", "--format", "csv");
        CliRun exp = run("drill", "usage", "--measures", "revenue", "--where", "revenue>=1e3", "--month", "2026-10",
                "--compare", "none", "--format", "csv");
        assertEquals(0, exp.exit(), exp.err());
        assertEquals(plain.out(), exp.out());
        assertTrue(plain.out().lines().count() > 1, plain.out());
        Path f = dir.resolve("exp/e.csv");
        CliRun seg = run("segment", "export", "--month", "2026-10", "--filter", "arpu_1m>=1E+1", "--out", f.toString());
        assertEquals(0, seg.exit(), seg.err());
    }

    @Test
    void explainMeasureDimsAndFilterAreCheckedOrLiteral() {
        for (String v : HOSTILE) {
            assertUserError(run("explain", "usage", "--measure", v, "--from", "2026-09", "--to", "2026-10"), "explain --measure " + v);
            assertUserError(run("explain", "usage", "--measure", "revenue", "--dims", v, "--from", "2026-09", "--to", "2026-10"),
                    "explain --dims " + v);
            CliRun r = run("explain", "usage", "--measure", "revenue", "--dims", "region", "--where", "region.city=\"" + v + "\"",
                    "--from", "2026-09", "--to", "2026-10", "--format", "csv");
            if (r.exit() == 0) {
                assertEquals(1, r.out().strip().lines().count(), "explain --where " + v + ": no member matches\n" + r.out());
            } else {
                assertUserError(r, "explain --where " + v);
            }
        }
    }

    @Test
    void segmentExportFilterValuesAreLiteralOrRefused() throws IOException {
        Path out = dir.resolve("exp/chengdu.csv");
        CliRun honest = run("segment", "export", "--month", "2026-10", "--filter", "region.city=Chengdu", "--out", out.toString());
        assertEquals(0, honest.exit(), honest.err());
        assertEquals(11, Files.readString(out).lines().count(), "header + 10 Chengdu customers");
        int i = 0;
        for (String v : HOSTILE) {
            for (String filter : List.of("region.city=" + v, "customer_id=" + v, "tier!=" + v + " region.city=Nowhere", v)) {
                Path f = dir.resolve("exp/h" + (i++) + ".csv");
                CliRun r = run("segment", "export", "--month", "2026-10", "--filter", filter, "--out", f.toString());
                String what = "segment export --filter " + filter;
                if (r.exit() == 0) {
                    assertEquals(1, Files.readString(f).lines().count(), what + ": only the header\n" + Files.readString(f));
                } else {
                    assertUserError(r, what);
                    assertFalse(Files.exists(f), what + ": nothing written");
                }
            }
        }
    }

    @Test
    void numberFilterOfAnAbsurdNumberIsAUserError() {
        for (String n : List.of("1e999999999", "1e2147483647", "1e-40", "NaN")) {
            Path f = dir.resolve("exp/n.csv");
            CliRun r = run("segment", "export", "--month", "2026-10", "--filter", "arpu_1m>=" + n, "--out", f.toString());
            assertUserError(r, "arpu_1m>=" + n);
        }
    }
}
