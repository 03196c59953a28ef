package io.tiercube.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The segment commands end to end on a small ingested warehouse (DuckDB). */
class SegmentCliTest {

    @Test
    void buildTiersLongtailAndExportRunFromTheCommandLine(@TempDir Path dir) throws Exception {
        Path drop = TestDrop.write(dir.resolve("drop"), 30, 3, 60);
        String wh = dir.resolve("wh").toString();
        assertEquals(0, CliRun.of("ingest", "customers", "--input", drop.resolve("customers.csv").toString(), "--date", "2026-10-31",
                "--warehouse", wh).exit());
        assertEquals(0, CliRun.of("ingest", "usage", "--input", drop.resolve("usage").toString(), "--date", "2026-10-31",
                "--warehouse", wh).exit());

        CliRun build = CliRun.of("segment", "build", "--month", "2026-10", "--warehouse", wh);
        assertEquals(0, build.exit(), build.err());
        assertTrue(build.out().contains("profiles 2026-10: 30 customers"), build.out());

        CliRun tiers = CliRun.of("tiers", "--month", "2026-10", "--policy", "unicom-yibin", "--format", "json", "--warehouse", wh);
        assertEquals(0, tiers.exit(), tiers.err());
        JsonNode t = new ObjectMapper().readTree(tiers.out());
        assertEquals(30, t.get("customers").asLong());
        assertEquals(30, t.get("pyramid").get(3).get("customers").asLong(), "one month of data: nobody has 6 months, all ordinary");

        CliRun lt = CliRun.of("longtail", "--month", "2026-10", "--format", "json", "--warehouse", wh);
        assertEquals(0, lt.exit(), lt.err());
        JsonNode l = new ObjectMapper().readTree(lt.out());
        assertEquals("2026-10", l.get("month").asText());
        assertEquals(100, l.get("customers").get("lorenz").size());
        assertTrue(l.get("products").has("gini"));

        Path out = dir.resolve("out/chengdu.csv");
        CliRun ex = CliRun.of("segment", "export", "--month", "2026-10", "--filter", "region.city=Chengdu", "--out", out.toString(),
                "--warehouse", wh);
        assertEquals(0, ex.exit(), ex.err());
        String csv = Files.readString(out);
        assertEquals(11, csv.lines().count(), "header + 10 Chengdu customers");
        assertFalse(Pattern.compile("(?<!\\d)1\\d{10}(?!\\d)").matcher(csv).find(), csv);
        assertTrue(Files.exists(dir.resolve("out/chengdu.csv.json")));

        CliRun life = CliRun.of("segment", "lifecycle", "--month", "2026-10", "--warehouse", wh);
        assertEquals(0, life.exit(), life.err());
        assertTrue(life.out().contains("acquisition"));
    }

    @Test
    void badPolicyAndEscapingOutputAreUserErrors(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "name: bad\nmetric: {type: arpu}\ntiers:\n  - {name: gold, at_least: 100}\n  - {name: silver, at_least: 200}\n");
        CliRun r = CliRun.of("tiers", "--month", "2026-10", "--policy", bad.toString(), "--warehouse", dir.resolve("wh").toString());
        assertEquals(ExitCodes.BAD_CONFIG, r.exit());
        assertTrue(r.err().contains("bad.yaml") && r.err().contains("tiers[1] (silver)"), r.err());

        CliRun e = CliRun.of("segment", "export", "--month", "2026-10", "--filter", "tier=gold", "--out", "../x.csv",
                "--warehouse", dir.resolve("wh").toString());
        assertEquals(ExitCodes.BAD_QUERY, e.exit());

        CliRun nf = CliRun.of("segment", "build", "--month", "2026-10", "--warehouse", dir.resolve("wh").toString());
        assertEquals(ExitCodes.NOT_FOUND, nf.exit(), nf.err());
    }
}
