package io.tiercube.engine.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The monthly report over the hand-made warehouse of {@link ReportFixture}. */
class ReportTest {

    static final YearMonth OCT = YearMonth.of(2026, 10);
    static final ObjectMapper JSON = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @TempDir
    static Path tmp;
    static Warehouse wh;
    static ReportResult result;
    static JsonNode summary;

    @BeforeAll
    static void writeReport() throws IOException {
        wh = ReportFixture.build(tmp.resolve("wh"));
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            ReportFixture.profiles(duck, wh);
            ReportFixture.cube(duck, wh);
            ReportFixture.churn(wh);
            result = Report.write(duck, wh, OCT, null);
        }
        summary = JSON.readTree(result.summaryJson().toFile());
    }

    @Test
    void writesTheThreeFilesUnderWarehouseReportsMonth() {
        Path dir = wh.root().resolve("reports").resolve("2026-10");
        assertEquals(dir, result.dir());
        assertTrue(Files.isRegularFile(dir.resolve("index.html")));
        assertTrue(Files.isRegularFile(dir.resolve("report.md")));
        assertTrue(Files.isRegularFile(dir.resolve("summary.json")));
        assertEquals(3, result.summary().size());
    }

    @Test
    void headlineKpisMatchHandComputedFiguresWithThePreviousMonth() {
        JsonNode k = summary.get("kpis");
        assertEquals(0, new BigDecimal("69.75").compareTo(k.get("revenue").get("value").decimalValue()));
        assertEquals(0, new BigDecimal("50.00").compareTo(k.get("revenue").get("previous").decimalValue()));
        assertEquals(3, k.get("active_users").get("value").asLong());
        assertEquals(4, k.get("active_users").get("previous").asLong());
        assertEquals(23.25, k.get("arpu").get("value").asDouble(), 1e-9);
        assertEquals(12.5, k.get("arpu").get("previous").asDouble(), 1e-9);
        assertEquals(1, k.get("churned").get("value").asLong());
        assertEquals(1, k.get("churned").get("previous").asLong());
        List<String> keys = new ArrayList<>();
        summary.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("month", "previous_month", "data_through", "kpis"), keys.subList(0, 4));
        assertEquals("2026-10-05", summary.get("data_through").asText());
    }

    @Test
    void revenueByRegionProductAndChannelMatchesHandComputedFigures() {
        assertMembers("revenue_by_region", new String[] {"Chengdu", "Mianyang"}, new String[] {"49.75", "20.00"}, new String[] {"15.00", "35.00"});
        assertMembers("revenue_by_product", new String[] {"data", "voice", "subscription", "sms"},
                new String[] {"32.50", "30.00", "7.25", "0.00"}, new String[] {"20.00", "25.00", "0.00", "5.00"});
        assertMembers("revenue_by_channel", new String[] {"store", "online", "agent"},
                new String[] {"42.50", "20.00", "7.25"}, new String[] {"25.00", "20.00", "5.00"});
        assertEquals(0, new BigDecimal("69.75").compareTo(summary.get("revenue_by_region").get("total").decimalValue()));
    }

    private static void assertMembers(String key, String[] names, String[] revenue, String[] previous) {
        JsonNode ms = summary.get(key).get("members");
        assertEquals(names.length, ms.size(), key);
        for (int i = 0; i < names.length; i++) {
            assertEquals(names[i], ms.get(i).get("member").asText(), key);
            assertEquals(0, new BigDecimal(revenue[i]).compareTo(ms.get(i).get("revenue").decimalValue()), key + " " + names[i]);
            if (previous[i] == null) {
                assertTrue(ms.get(i).get("previous").isNull(), key + " " + names[i]);
            } else {
                assertEquals(0, new BigDecimal(previous[i]).compareTo(ms.get(i).get("previous").decimalValue()), key + " " + names[i]);
            }
        }
    }

    @Test
    void summaryFiguresEqualIndependentSqlOverTheFacts() {
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            wh.registerViews(duck);
            BigDecimal revenue = (BigDecimal) duck.query("SELECT sum(charge) FROM usage WHERE event_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'").scalar();
            long users = duck.query("SELECT count(DISTINCT customer_id) FROM usage WHERE event_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'").scalarLong();
            long churned = duck.query("SELECT count(*) FROM customers WHERE closed_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'").scalarLong();
            BigDecimal chengdu = (BigDecimal) duck.query("SELECT sum(u.charge) FROM usage u JOIN customers c USING (customer_id)"
                    + " WHERE c.city = 'Chengdu' AND u.event_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'").scalar();
            JsonNode k = summary.get("kpis");
            assertEquals(0, revenue.compareTo(k.get("revenue").get("value").decimalValue()));
            assertEquals(users, k.get("active_users").get("value").asLong());
            assertEquals(revenue.doubleValue() / users, k.get("arpu").get("value").asDouble(), 1e-9);
            assertEquals(churned, k.get("churned").get("value").asLong());
            assertEquals(0, chengdu.compareTo(summary.get("revenue_by_region").get("members").get(0).get("revenue").decimalValue()));
        }
    }

    @Test
    void dataQualityCountsRejectsByReasonAndNamesTheLatestSucceededNightly() {
        JsonNode q = summary.get("data_quality");
        JsonNode usage = q.get("datasets").get(0);
        assertEquals("usage", usage.get("dataset").asText());
        assertEquals(4, usage.get("accepted").asLong());
        assertEquals(3, usage.get("rejected").asLong());
        assertEquals(7, usage.get("read").asLong());
        JsonNode reasons = q.get("reject_reasons");
        assertEquals("bad_number", reasons.get(0).get("reason").asText());
        assertEquals(2, reasons.get(0).get("rows").asLong());
        assertEquals("unknown_customer", reasons.get(1).get("reason").asText());
        assertEquals(1, reasons.get(1).get("rows").asLong());
        JsonNode run = q.get("latest_nightly");
        assertEquals("nightly --date 2026-10-31", run.get("command").asText());
        assertTrue(run.get("run_id").asText().contains("nightly"));
        assertEquals(11, run.get("datasets").get("usage").get("read").asLong());
        assertTrue(result.summary().get(2).contains(run.get("run_id").asText()), result.summary().get(2));
    }

    @Test
    void rerunGivesByteIdenticalFiles() throws IOException {
        byte[] json = Files.readAllBytes(result.summaryJson());
        byte[] html = Files.readAllBytes(result.html());
        byte[] md = Files.readAllBytes(result.markdown());
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            Path other = tmp.resolve("rerun");
            ReportResult again = Report.write(duck, wh, OCT, other);
            assertArrayEquals(json, Files.readAllBytes(again.summaryJson()));
            assertArrayEquals(html, Files.readAllBytes(again.html()));
            assertArrayEquals(md, Files.readAllBytes(again.markdown()));
        }
    }

    @Test
    void htmlIsWellFormedSelfContainedAndHasEverySection() throws IOException {
        String html = Files.readString(result.html());
        assertFalse(html.contains("http://"), "no web address");
        assertFalse(html.contains("https://"), "no web address");
        assertFalse(html.contains("<script"), "no script");
        assertFalse(html.contains("<img"), "no images to fetch");
        assertFalse(html.contains("@import") || html.contains("url("), "no CSS fetches");
        Document d = Xml.parse(html);
        List<String> ids = Xml.all(d, "section").stream().map(e -> e.getAttribute("id")).toList();
        assertEquals(HtmlReport.SECTION_IDS, ids);
        for (Element s : Xml.all(d, "section")) {
            assertFalse(s.getTextContent().isBlank(), s.getAttribute("id"));
        }
        Element revenue = section(d, "revenue");
        assertEquals(4, Xml.all(revenue, "svg").size(), "trend + region + product + channel");
        assertTrue(revenue.getTextContent().contains("Chengdu"));
        assertTrue(revenue.getTextContent().contains("\u00a549.75"));
        Element quality = section(d, "quality");
        assertEquals(1, Xml.all(quality, "svg").size(), "reject reasons chart");
        assertTrue(quality.getTextContent().contains("bad_number"));
        Element kpis = section(d, "kpis");
        assertTrue(kpis.getTextContent().contains("\u00a569.75"));
        assertTrue(kpis.getTextContent().contains("+39.5%"), "revenue change (69.75 - 50) / 50");
        assertEquals(List.of(), Xml.all(d, "p").stream().filter(p -> p.getAttribute("class").equals("absent"))
                .map(Element::getTextContent).toList(), "every section has data");
        assertEquals(12, Xml.all(d, "svg").size(), "trend, 3 breakdowns, contributors, pyramid, target, funnel, histogram,"
                + " calibration, lorenz, reject reasons: every chart drawn");
    }

    @Test
    void tiersCoverEveryCustomerOnTheNetworkAndAddUpToTheMonthsRevenue() {
        JsonNode t = summary.get("tiers");
        assertEquals("telecom-sichuan", t.get("policy").asText(), "the policy the profiles were built with");
        long customers = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        for (JsonNode row : t.get("tiers")) {
            customers += row.get("customers").asLong();
            revenue = revenue.add(row.get("revenue").decimalValue());
        }
        assertEquals(3, customers, "c1, c2 and c3 (closed mid-October) were on the network in October; c4 left in September");
        assertEquals(0, new BigDecimal("69.75").compareTo(revenue));
    }

    @Test
    void longTailGiniMatchesTheHandComputedValue() {
        // customers' October revenue 7.25, 20.00, 42.50: G = 2 * (1*7.25 + 2*20 + 3*42.5) / (3 * 69.75) - 4/3
        JsonNode c = summary.get("longtail").get("customers");
        assertEquals(3, c.get("n").asLong());
        assertEquals(2 * 174.75 / (3 * 69.75) - 4.0 / 3, c.get("gini").asDouble(), 1e-9);
        // products 7.25, 30.00, 32.50
        assertEquals(2 * 164.75 / (3 * 69.75) - 4.0 / 3, summary.get("longtail").get("products").get("gini").asDouble(), 1e-9);
    }

    @Test
    void lifecycleCountsEveryProfiledCustomerWithLastMonthsStages() {
        JsonNode l = summary.get("lifecycle");
        long now = 0;
        long before = 0;
        for (JsonNode s : l.get("stages")) {
            now += s.get("customers").asLong();
            before += s.get("previous").asLong();
        }
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            wh.registerViews(duck);
            assertEquals(duck.query("SELECT count(*) FROM profiles WHERE month = '2026-10'").scalarLong(), now);
            assertEquals(duck.query("SELECT count(*) FROM profiles WHERE month = '2026-09'").scalarLong(), before);
        }
        long transitions = 0;
        for (JsonNode row : l.get("transitions").get("counts")) {
            for (JsonNode v : row) {
                transitions += v.asLong();
            }
        }
        assertTrue(transitions >= now, "every customer of this month appears in the transition matrix");
        assertEquals("E", l.get("stages").get(4).get("stage").asText());
    }

    @Test
    void contributorsAddUpToTheChangeAndNameTheBiggestMover() {
        // Chengdu 15.00 -> 49.75 (+34.75), Mianyang 35.00 -> 20.00 (-15.00): total +19.75
        JsonNode c = summary.get("contributors");
        assertEquals(0, new BigDecimal("19.75").compareTo(c.get("total_change").decimalValue()));
        BigDecimal cities = BigDecimal.ZERO;
        for (JsonNode row : c.get("contributors")) {
            assertFalse(row.get("level").asText().equals("region.province"), "a single province only repeats the total");
            if (row.get("level").asText().equals("region.city")) {
                cities = cities.add(row.get("contribution").decimalValue());
            }
        }
        assertEquals(0, new BigDecimal("19.75").compareTo(cities), "city contributions add up to the change");
        JsonNode first = c.get("contributors").get(0);
        assertEquals("Chengdu", first.get("member").asText());
        assertEquals(0, new BigDecimal("34.75").compareTo(first.get("contribution").decimalValue()));
        assertTrue(result.summary().get(1).contains("biggest mover region.city Chengdu +\u00a534.75"), result.summary().get(1));
    }

    @Test
    void churnSectionShowsBandsDistributionModelQualityAndMaskedRiskiestCustomers() throws IOException {
        JsonNode c = summary.get("churn");
        assertEquals(List.of(1L, 1L, 1L), List.of(c.get("bands").get(0).get("customers").asLong(),
                c.get("bands").get(1).get("customers").asLong(), c.get("bands").get(2).get("customers").asLong()));
        // max score 0.70: axis 0-0.8 in 10 bins of 0.08; 0.05 in bin 0, 0.31 in bin 3, 0.70 in bin 8
        JsonNode dist = c.get("distribution");
        assertEquals(10, dist.size());
        assertEquals(0.8, dist.get(9).get("to").asDouble(), 1e-12);
        for (int i = 0; i < 10; i++) {
            assertEquals(i == 0 || i == 3 || i == 8 ? 1 : 0, dist.get(i).get("customers").asLong(), "bin " + i);
        }
        assertEquals(0.6, c.get("high_threshold").asDouble(), 1e-12);
        assertEquals("out of time", c.get("model_quality").get("kind").asText());
        assertEquals(0.81, c.get("model_quality").get("roc_auc").asDouble(), 1e-12);
        JsonNode top = c.get("top_high_risk");
        assertEquals("c2", top.get(0).get("customer_id").asText());
        assertEquals("138****0002", top.get(0).get("msisdn").asText());
        assertEquals("N******", top.get(0).get("name").asText());
        assertEquals(List.of("data spend down 40 % vs previous 3 months", "1 unresolved complaint"),
                List.of(top.get(0).get("reasons").get(0).asText(), top.get(0).get("reasons").get(1).asText()));
        assertEquals(List.of("c2", "c3", "c1"), List.of(top.get(0).get("customer_id").asText(), top.get(1).get("customer_id").asText(),
                top.get(2).get("customer_id").asText()));
        for (Path f : List.of(result.html(), result.markdown(), result.summaryJson())) {
            assertFalse(java.util.regex.Pattern.compile("(?<!\\d)1\\d{10}(?!\\d)").matcher(Files.readString(f)).find(),
                    "no unmasked mobile number in " + f.getFileName());
        }
    }

    @Test
    void markdownCarriesTheSameHeadline() throws IOException {
        String md = Files.readString(result.markdown());
        assertTrue(md.contains("| Revenue | \u00a569.75 | \u00a550.00 | +39.5% |"), md);
        assertTrue(md.contains("| Active users | 3 | 4 | -25.0% |"), md);
        assertTrue(md.contains("| ARPU | \u00a523.25 | \u00a512.50 | +86.0% |"), md);
    }

    @Test
    void monthWithoutUsageIsAClearNotFound() {
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            UserError e = assertThrows(UserError.class, () -> Report.write(duck, wh, YearMonth.of(2027, 1), tmp.resolve("none")));
            assertEquals(UserError.Kind.NOT_FOUND, e.kind());
            assertTrue(e.getMessage().contains("no usage for 2027-01"), e.getMessage());
            assertTrue(e.getMessage().contains("2026-09 to 2026-10"), e.getMessage());
        }
    }

    static Element section(Document d, String id) {
        Element s = Xml.all(d, "section").stream().filter(e -> e.getAttribute("id").equals(id)).findFirst().orElse(null);
        assertNotNull(s, id);
        return s;
    }
}
