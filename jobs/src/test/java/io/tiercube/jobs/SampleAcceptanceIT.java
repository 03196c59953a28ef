package io.tiercube.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The issues' acceptance checks on the bundled sample, as a user runs them: one nightly over
 * sample-data/, then each command's answer compared with independent SQL over the facts.
 */
class SampleAcceptanceIT {

    static final Path WH = Path.of("target/sample-acceptance-wh").toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void nightly() {
        CliRun r = CliRun.of("nightly", "--data", Path.of("../sample-data").toString(), "--warehouse", WH.toString());
        assertEquals(0, r.exit(), r.err());
    }

    static CliRun ok(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--warehouse";
        all[args.length + 1] = WH.toString();
        CliRun r = CliRun.of(all);
        assertEquals(0, r.exit(), String.join(" ", args) + "\n" + r.err());
        return r;
    }

    static Map<String, BigDecimal> csvMoney(String csv, int keyCol, int valueCol) {
        Map<String, BigDecimal> m = new TreeMap<>();
        csv.lines().skip(1).forEach(l -> {
            String[] f = l.split(",");
            m.put(f[keyCol], new BigDecimal(f[valueCol]));
        });
        return m;
    }

    @Test
    void drillByCityMatchesSqlOverTheFactsToTheCentAndIsAnsweredFromACuboid() {
        CliRun drill = ok("drill", "usage", "--by", "region.city", "--month", "2026-10", "--compare", "none",
                "--measures", "revenue", "--format", "csv", "--explain-plan");
        CliRun sql = ok("sql", "--format", "csv", "select c.city, sum(u.charge) as revenue from usage u join customers c "
                + "using (customer_id) where u.event_date between date '2026-10-01' and date '2026-10-31' group by c.city");
        assertEquals(csvMoney(sql.out(), 0, 1), csvMoney(drill.out(), 1, 2));
        assertTrue((drill.out() + drill.err()).contains("answered from cuboid"), drill.err());
    }

    @Test
    void explainContributionsOfEachLevelSumToTheTotalChange() throws Exception {
        JsonNode j = JSON.readTree(ok("explain", "usage", "--measure", "revenue", "--from", "2026-09", "--to", "2026-10",
                "--format", "json").out());
        BigDecimal total = j.get("total_change").decimalValue();
        Map<String, BigDecimal> byLevel = new TreeMap<>();
        for (JsonNode c : j.get("contributors")) {
            if (!c.has("parent") || c.get("level").asText().startsWith("region.city")) {
                byLevel.merge(c.get("level").asText(), c.get("contribution").decimalValue(), BigDecimal::add);
            }
        }
        assertEquals(0, total.compareTo(byLevel.get("region.province")), byLevel.toString());
        assertEquals(0, total.compareTo(byLevel.get("region.city")), byLevel.toString());
    }

    @Test
    void everyCustomerHasOneTierAndTierRevenueAddsUpToTheMonth() {
        CliRun once = ok("sql", "--format", "csv", "select count(*) as n, count(distinct customer_id) as d from profiles where month = '2026-10'");
        String[] nd = once.out().lines().skip(1).findFirst().orElseThrow().split(",");
        assertEquals(nd[0], nd[1]);
        CliRun tiers = ok("sql", "--format", "csv", "select sum(spend_m0) as r from profiles where month = '2026-10' and tier is not null");
        CliRun facts = ok("sql", "--format", "csv", "select sum(charge) as r from usage where event_date >= date '2026-10-01'");
        assertEquals(facts.out(), tiers.out());
        CliRun pyramid = ok("tiers", "--policy", "telecom-sichuan", "--month", "2026-10");
        assertTrue(pyramid.out().contains("target_share"), pyramid.out());
    }

    @Test
    void churnModelFindsThePlantedDeclineOutOfTime() throws Exception {
        JsonNode e = JSON.readTree(ok("churn", "evaluate", "--as-of", "2026-07", "--format", "json").out());
        assertTrue(e.get("roc_auc").asDouble() >= 0.80, e.toString());
        assertTrue(e.get("top_decile_lift").asDouble() >= 3.0, e.toString());
    }

    @Test
    void reportHeadlineRevenueEqualsTheFacts() throws Exception {
        JsonNode s = JSON.readTree(WH.resolve("reports/2026-10/summary.json").toFile());
        CliRun facts = ok("sql", "--format", "csv", "select sum(charge) as r from usage where event_date >= date '2026-10-01'");
        assertEquals(new BigDecimal(facts.out().lines().skip(1).findFirst().orElseThrow()), s.get("kpis").get("revenue").get("value").decimalValue());
    }
}
