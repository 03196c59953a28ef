package io.tiercube.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cube build, drill and explain from the command line, on a warehouse filled by nightly. */
class CubeCommandsTest {

    static final String MODEL = Path.of("..", "sample-data", "cubes", "usage.yaml").toString();

    @TempDir
    Path tmp;

    static Map<String, BigDecimal> csvColumn(String csv, int keyCol, int valueCol) {
        Map<String, BigDecimal> m = new TreeMap<>();
        String[] lines = csv.strip().split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            m.put(f[keyCol], new BigDecimal(f[valueCol]));
        }
        return m;
    }

    @Test
    void buildThenDrillMatchesSqlOverTheFactsAndExplainAddsUp() throws Exception {
        Path data = TestDrop.write(tmp.resolve("in"), 30, 35, 40);
        String wh = tmp.resolve("wh").toString();
        assertEquals(0, CliRun.of("nightly", "--data", data.toString(), "--warehouse", wh, "--max-reject-rate", "0.1").exit());

        CliRun build = CliRun.of("cube", "build", "--warehouse", wh, "--model", MODEL, "--format", "csv");
        assertEquals(0, build.exit(), build.err());
        assertTrue(build.out().contains("2026-09,customer_preaggregate") && build.out().contains("2026-10,customer_preaggregate"), build.out());
        CliRun again = CliRun.of("cube", "build", "--warehouse", wh, "--model", MODEL);
        assertEquals(0, again.exit());
        assertTrue(again.err().contains("up to date"), again.err());

        CliRun drill = CliRun.of("drill", "usage", "--warehouse", wh, "--by", "region.city", "--month", "2026-10",
                "--format", "csv", "--strict", "--explain-plan");
        assertEquals(0, drill.exit(), drill.err());
        assertTrue(drill.err().contains("answered from cuboid [region.province,region.city]"), drill.err());
        CliRun sql = CliRun.of("sql", "--warehouse", wh, "--format", "csv", "SELECT c.city, sum(u.charge) AS revenue FROM usage u"
                + " JOIN customers c ON u.customer_id = c.customer_id WHERE u.event_date >= DATE '2026-10-01' GROUP BY c.city");
        assertEquals(csvColumn(sql.out(), 0, 1), csvColumn(drill.out(), 1, 2));
        assertEquals(new BigDecimal("3875.00"), csvColumn(drill.out(), 1, 2).values().stream().reduce(BigDecimal.ZERO, BigDecimal::add));

        CliRun typo = CliRun.of("drill", "usage", "--warehouse", wh, "--by", "region.citty");
        assertEquals(ExitCodes.BAD_QUERY, typo.exit());
        assertTrue(typo.err().contains("did you mean 'region.city'"), typo.err());

        CliRun explain = CliRun.of("explain", "usage", "--warehouse", wh, "--measure", "revenue", "--from", "2026-09",
                "--to", "2026-10", "--format", "json");
        assertEquals(0, explain.exit(), explain.err());
        JsonNode j = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree(explain.out());
        assertEquals(0, new BigDecimal("3375.00").compareTo(j.get("total_change").decimalValue()), "31 days of 125.00 minus 4 days");
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode c : j.get("contributors")) {
            if (c.get("level").asText().equals("region.city")) {
                sum = sum.add(c.get("contribution").decimalValue());
            }
        }
        assertEquals(0, sum.compareTo(j.get("total_change").decimalValue()));
    }
}
