package io.tiercube.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tiercube report} after a real nightly run: figures match {@code tiercube sql}, reruns are identical. */
class ReportCommandTest {

    @TempDir
    Path tmp;

    @Test
    void reportAfterNightlyMatchesSqlAndRerunsIdentically() throws Exception {
        Path data = TestDrop.write(tmp.resolve("drop"), 6, 3, 10);
        String wh = tmp.resolve("wh").toString();
        assertEquals(0, CliRun.of("nightly", "--data", data.toString(), "--warehouse", wh, "--max-reject-rate", "0.5").exit());

        CliRun run = CliRun.of("report", "--warehouse", wh, "--month", "2026-10");
        assertEquals(0, run.exit(), run.err());
        Path dir = tmp.resolve("wh").resolve("reports").resolve("2026-10").toAbsolutePath();
        String[] lines = run.out().split("\n");
        assertEquals("report: " + dir.resolve("index.html"), lines[0]);
        assertEquals(4, lines.length, run.out());
        assertTrue(lines[1].startsWith("2026-10: revenue \u00a579.50"), lines[1]);

        JsonNode s = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        CliRun sql = CliRun.of("sql", "--warehouse", wh, "--format", "csv",
                "select sum(charge) as revenue, count(distinct customer_id) as users from usage where event_date >= DATE '2026-10-01'");
        String[] row = sql.out().split("\n")[1].split(",");
        assertEquals(0, new BigDecimal(row[0]).compareTo(s.get("kpis").get("revenue").get("value").decimalValue()));
        assertEquals(Long.parseLong(row[1]), s.get("kpis").get("active_users").get("value").asLong());
        assertEquals(13.25, s.get("kpis").get("arpu").get("value").asDouble(), 1e-9);

        JsonNode usage = s.get("data_quality").get("datasets").get(0);
        assertEquals(33, usage.get("read").asLong());
        assertEquals(3, usage.get("rejected").asLong());
        assertEquals("unknown_customer", s.get("data_quality").get("reject_reasons").get(0).get("reason").asText());
        String runId = s.get("data_quality").get("latest_nightly").get("run_id").asText();
        assertEquals(runId, usage.get("run_ids").get(0).asText());

        byte[] first = Files.readAllBytes(dir.resolve("summary.json"));
        assertEquals(0, CliRun.of("report", "--warehouse", wh).exit(), "latest month by default");
        assertArrayEquals(first, Files.readAllBytes(dir.resolve("summary.json")));

        Path out = tmp.resolve("elsewhere");
        assertEquals(0, CliRun.of("report", "--warehouse", wh, "--month", "2026-10", "--out", out.toString()).exit());
        assertArrayEquals(first, Files.readAllBytes(out.resolve("summary.json")));
    }

    @Test
    void badOrEmptyMonthsAreClearErrors() throws Exception {
        Path data = TestDrop.write(tmp.resolve("drop"), 3, 1, 3);
        String wh = tmp.resolve("wh").toString();
        assertEquals(0, CliRun.of("nightly", "--data", data.toString(), "--warehouse", wh, "--max-reject-rate", "0.5").exit());
        CliRun bad = CliRun.of("report", "--warehouse", wh, "--month", "2026-13");
        assertEquals(ExitCodes.BAD_QUERY, bad.exit());
        assertTrue(bad.err().contains("expected YYYY-MM"), bad.err());
        CliRun empty = CliRun.of("report", "--warehouse", wh, "--month", "2026-01");
        assertEquals(ExitCodes.NOT_FOUND, empty.exit());
        assertTrue(empty.err().contains("no usage for 2026-01"), empty.err());
        CliRun none = CliRun.of("report", "--warehouse", tmp.resolve("empty").toString());
        assertEquals(ExitCodes.NOT_FOUND, none.exit());
        assertTrue(none.err().contains("no usage yet"), none.err());
    }
}
