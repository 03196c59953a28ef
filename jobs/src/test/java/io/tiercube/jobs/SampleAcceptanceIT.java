package io.tiercube.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.cube.CubeModel;
import io.tiercube.engine.cube.Cuboid;
import io.tiercube.engine.cube.DrillQuery;
import io.tiercube.engine.warehouse.Warehouse;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
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

    /** The report's figures are the ones the analyst's own commands give for the same month. */
    @Test
    void reportSectionsMatchDrillTiersAndLongtail() throws Exception {
        JsonNode s = JSON.readTree(WH.resolve("reports/2026-10/summary.json").toFile());
        for (String[] section : new String[][] {{"revenue_by_region", "region.city", "1"}, {"revenue_by_product", "product.line", "0"},
                {"revenue_by_channel", "channel.type", "0"}}) {
            Map<String, BigDecimal> fromReport = new TreeMap<>();
            for (JsonNode m : s.get(section[0]).get("members")) {
                fromReport.put(m.get("member").asText(), m.get("revenue").decimalValue().setScale(2)); // JSON drops trailing zeros
            }
            CliRun drill = ok("drill", "usage", "--by", section[1], "--month", "2026-10", "--compare", "none",
                    "--measures", "revenue", "--format", "csv");
            int key = Integer.parseInt(section[2]);
            assertEquals(csvMoney(drill.out(), key, key + 1), fromReport, section[0]);
        }
        Map<String, Long> tiersFromReport = new TreeMap<>();
        for (JsonNode t : s.get("tiers").get("tiers")) {
            tiersFromReport.put(t.get("tier").asText(), t.get("customers").asLong());
        }
        Map<String, Long> tiersFromProfiles = new TreeMap<>();
        ok("sql", "--format", "csv", "select tier, count(*) as n from profiles where month = '2026-10' group by tier").out()
                .lines().skip(1).forEach(l -> tiersFromProfiles.put(l.split(",")[0], Long.parseLong(l.split(",")[1])));
        assertEquals(tiersFromProfiles, tiersFromReport);
        JsonNode lt = JSON.readTree(ok("longtail", "--month", "2026-10", "--format", "json").out());
        for (String who : new String[] {"customers", "products"}) {
            for (String k : new String[] {"gini", "top20_share"}) {
                assertEquals(lt.get(who).get(k).asDouble(), s.get("longtail").get(who).get(k).asDouble(), 1e-9, who + "." + k);
            }
        }
    }

    /** Level expressions over usage u and customers c, written independently of the cube code. */
    static final Map<String, String> LEVEL_SQL = Map.of(
            "time.day", "strftime(u.event_date, '%Y-%m-%d')",
            "region.province", "COALESCE(c.province, '(unknown)')",
            "region.city", "COALESCE(c.city, '(unknown)')",
            "region.district", "COALESCE(c.district, '(unknown)')",
            "product.line", "COALESCE(u.service, '(unknown)')",
            "product.product", "COALESCE(u.product, '(unknown)')",
            "channel.type", "COALESCE(c.channel_type, '(unknown)')",
            "channel.outlet", "COALESCE(c.channel, '(unknown)')",
            "segment.segment", "COALESCE(c.segment, '(unknown)')");

    /** Every materialized cuboid of every sample month: revenue sums to the month, users are exact at its grain. */
    @Test
    void everyCuboidOfTheSampleMatchesTheFactsRevenueAndDistinctUsersAtItsGrain() {
        CubeModel model = CubeModel.load(Path.of("../sample-data/cubes/usage.yaml"));
        int cells = 0;
        try (Backend b = Engine.DUCKDB.open(Engine.Options.defaults())) {
            new Warehouse(WH).registerViews(b);
            for (int mm = 5; mm <= 10; mm++) {
                String month = YearMonth.of(2026, mm).toString();
                BigDecimal total = (BigDecimal) b.query("SELECT sum(charge) FROM usage WHERE strftime(event_date, '%Y-%m') = ?",
                        month).scalar();
                for (Cuboid c : model.cuboids()) {
                    String keys = c.levels().isEmpty() ? "'all'" : c.levels().stream().map(l -> LEVEL_SQL.get(l.qualified()))
                            .collect(Collectors.joining(" || '|' || "));
                    Map<String, String> facts = keyed(b.query("SELECT " + keys + " AS k, sum(u.charge), count(DISTINCT u.customer_id)"
                            + " FROM usage u LEFT JOIN customers c ON u.customer_id = c.customer_id"
                            + " WHERE strftime(u.event_date, '%Y-%m') = ? GROUP BY 1", month));
                    String cellKeys = c.levels().isEmpty() ? "'all'" : c.levels().stream().map(CubeModel.Level::alias)
                            .collect(Collectors.joining(" || '|' || "));
                    Map<String, String> cube = keyed(b.query("SELECT " + cellKeys + " AS k, m_revenue, m_users FROM cube_usage"
                            + " WHERE month = ? AND cuboid_id = ?", month, c.id()));
                    assertEquals(facts, cube, month + " cuboid " + c.label());
                    BigDecimal sum = (BigDecimal) b.query("SELECT sum(m_revenue) FROM cube_usage WHERE month = ? AND cuboid_id = ?",
                            month, c.id()).scalar();
                    assertEquals(0, total.compareTo(sum), "revenue of cuboid " + c.label() + " in " + month);
                    cells += cube.size();
                }
            }
        }
        assertTrue(cells > 10_000, cells + " cells checked");
    }

    static Map<String, String> keyed(Table t) {
        Map<String, String> m = new TreeMap<>();
        for (List<Object> r : t.rows()) {
            m.put(String.valueOf(r.get(0)), ((BigDecimal) r.get(1)).stripTrailingZeros().toPlainString() + " users="
                    + ((Number) r.get(2)).longValue());
        }
        return m;
    }

    /** Calcite's lattice rule on the sample: a drill routed to a cuboid equals the same drill over the facts. */
    @Test
    void twoHundredRandomDrillsFromCuboidsEqualTheFacts() {
        List<String> levels = List.of("region.city", "region.district", "product.line", "product.product", "channel.type",
                "segment.segment", "time.month");
        Map<String, List<String>> members = Map.of("region.city", List.of("Chengdu", "Yibin", "Mianyang"),
                "product.line", List.of("voice", "data", "sms"), "channel.type", List.of("store", "online", "direct"),
                "segment.segment", List.of("mass_market", "enterprise"));
        List<String> filterLevels = List.copyOf(members.keySet()).stream().sorted().toList();
        List<String> measures = List.of("revenue", "events", "users", "arpu");
        CubeModel model = CubeModel.load(Path.of("../sample-data/cubes/usage.yaml"));
        Warehouse wh = new Warehouse(WH);
        Random rnd = new Random(7);
        int routed = 0;
        try (Backend b = Engine.DUCKDB.open(Engine.Options.defaults())) {
            for (int i = 0; i < 200; i++) {
                List<String> by = new ArrayList<>();
                for (int k = rnd.nextInt(3); k > 0; k--) {
                    String l = levels.get(rnd.nextInt(levels.size()));
                    if (!by.contains(l)) {
                        by.add(l);
                    }
                }
                String where = "";
                if (rnd.nextBoolean()) {
                    String l = filterLevels.get(rnd.nextInt(filterLevels.size()));
                    where = l + "=" + members.get(l).get(rnd.nextInt(members.get(l).size()));
                }
                YearMonth m = YearMonth.of(2026, 5 + rnd.nextInt(6));
                DrillQuery.Request q = new DrillQuery.Request().by(by).measures(measures).where(where);
                if (rnd.nextInt(4) == 0) {
                    q.range(m.minusMonths(1).isBefore(YearMonth.of(2026, 5)) ? m : m.minusMonths(1), m);
                } else {
                    q.month(m);
                }
                DrillQuery.Result cube = DrillQuery.run(b, wh, model, q);
                DrillQuery.Result facts = DrillQuery.run(b, wh, model, q.routing(false));
                q.routing(true);
                Table e = facts.table();
                Table a = cube.table();
                String what = "drill #" + i + " by " + by + " where '" + where + "' " + m;
                assertEquals(e.columns(), a.columns(), what);
                assertEquals(e.size(), a.size(), what);
                for (int r = 0; r < e.size(); r++) {
                    for (int c = 0; c < e.columns().size(); c++) {
                        Object x = e.rows().get(r).get(c);
                        Object y = a.rows().get(r).get(c);
                        if (x instanceof BigDecimal bx) {
                            assertEquals(0, bx.compareTo((BigDecimal) y), what);
                        } else if (x instanceof Double dx) {
                            assertEquals(dx, (Double) y, 1e-9 * Math.max(1, Math.abs(dx)), what);
                        } else {
                            assertEquals(x, y, what);
                        }
                    }
                }
                if (cube.plan().fromCuboid()) {
                    routed++;
                }
            }
        }
        assertTrue(routed >= 100, routed + " of 200 drills were answered from cuboids");
    }
}
