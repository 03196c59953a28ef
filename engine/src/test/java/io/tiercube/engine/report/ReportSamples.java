package io.tiercube.engine.report;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A report with every section filled, built from records (no warehouse), for the rendering and
 * browser tests: what the page looks like once cubes, segments and churn scores exist.
 */
final class ReportSamples {

    private ReportSamples() {
    }

    static ReportData full() {
        YearMonth oct = YearMonth.of(2026, 10);
        List<ReportData.MonthPoint> trend = new ArrayList<>();
        String[] rev = {"1210450.10", "1198020.55", "1235110.00", "1251980.40", "1240005.75", "1187650.20"};
        long[] users = {2981, 2975, 2990, 2968, 2960, 2912};
        for (int i = 0; i < 6; i++) {
            trend.add(new ReportData.MonthPoint(oct.minusMonths(5 - i), new BigDecimal(rev[i]), users[i]));
        }
        var kpis = new ReportData.Kpis(
                new ReportData.Figure(new BigDecimal("1187650.20"), new BigDecimal("1240005.75")),
                new ReportData.Figure(2912L, 2960L),
                new ReportData.Figure(1187650.20 / 2912, 1240005.75 / 2960),
                new ReportData.Figure(41L, 29L));
        List<ReportData.Member> cities = new ArrayList<>();
        String[][] c = {{"Chengdu", "356295.06", "381002.10", "874"}, {"Mianyang", "118765.02", "121010.00", "291"},
            {"Deyang", "95012.02", "97850.40", "233"}, {"Nanchong", "83135.51", "84002.35", "204"}, {"Yibin", "71259.01", "76301.00", "175"},
            {"Luzhou", "65320.76", "64980.12", "160"}, {"Dazhou", "59382.51", "60110.77", "146"}, {"Leshan", "53444.26", "55020.00", "131"},
            {"Neijiang", "47506.01", "47990.10", "117"}, {"Zigong", "41567.76", "42880.95", "102"}, {"Suining", "35629.51", "36012.00", "87"},
            {"Guang'an", "29691.25", "30070.50", "73"}, {"Meishan", "23753.00", "24001.11", "58"}, {"Ya'an", "11876.50", "12100.00", "29"}};
        for (String[] r : c) {
            cities.add(new ReportData.Member(r[0], new BigDecimal(r[1]), new BigDecimal(r[2]), Long.parseLong(r[3])));
        }
        List<ReportData.Member> lines = List.of(
                new ReportData.Member("subscription", new BigDecimal("534442.59"), new BigDecimal("540120.00"), 2890),
                new ReportData.Member("data", new BigDecimal("296912.55"), new BigDecimal("301550.25"), 2650),
                new ReportData.Member("voice", new BigDecimal("237530.04"), new BigDecimal("275300.10"), 2700),
                new ReportData.Member("vas", new BigDecimal("83135.51"), new BigDecimal("85010.40"), 1200),
                new ReportData.Member("sms", new BigDecimal("35629.51"), new BigDecimal("38025.00"), 1950));
        List<ReportData.Member> channels = List.of(
                new ReportData.Member("store", new BigDecimal("475060.08"), new BigDecimal("497100.00"), 1160),
                new ReportData.Member("online", new BigDecimal("296912.55"), new BigDecimal("301000.00"), 730),
                new ReportData.Member("agent", new BigDecimal("237530.04"), new BigDecimal("251905.75"), 585),
                new ReportData.Member("telesales", new BigDecimal("118765.02"), new BigDecimal("127000.00"), 290),
                new ReportData.Member("direct", new BigDecimal("59382.51"), new BigDecimal("63000.00"), 147));
        List<ReportData.Breakdown> breakdowns = List.of(
                new ReportData.Breakdown("region", "Revenue by region", "customers.city", cities),
                new ReportData.Breakdown("product", "Revenue by product line", "usage.service", lines),
                new ReportData.Breakdown("channel", "Revenue by sales channel", "customers.channel_type", channels));
        var contributors = new ReportData.Contributors("revenue", oct.minusMonths(1), oct, new BigDecimal("1240005.75"),
                new BigDecimal("1187650.20"), new BigDecimal("-52355.55"), List.of(
                        new ReportData.Contributor("region.city", "Chengdu", new BigDecimal("381002.10"), new BigDecimal("356295.06"), new BigDecimal("-24707.04"), 0.4719),
                        new ReportData.Contributor("region.city", "Yibin", new BigDecimal("76301.00"), new BigDecimal("71259.01"), new BigDecimal("-5041.99"), 0.0963),
                        new ReportData.Contributor("region.city", "Luzhou", new BigDecimal("64980.12"), new BigDecimal("65320.76"), new BigDecimal("340.64"), -0.0065),
                        new ReportData.Contributor("product.line", "voice", new BigDecimal("275300.10"), new BigDecimal("237530.04"), new BigDecimal("-37770.06"), 0.7214),
                        new ReportData.Contributor("product.line", "data", new BigDecimal("301550.25"), new BigDecimal("296912.55"), new BigDecimal("-4637.70"), 0.0886),
                        new ReportData.Contributor("channel.type", "store", new BigDecimal("497100.00"), new BigDecimal("475060.08"), new BigDecimal("-22039.92"), 0.4210),
                        new ReportData.Contributor("channel.type", "agent", new BigDecimal("251905.75"), new BigDecimal("237530.04"), new BigDecimal("-14375.71"), 0.2746)));
        var tiers = new ReportData.TierSection("telecom-sichuan", List.of(
                new ReportData.TierRow("diamond", 14, 0.0048, 0.005, new BigDecimal("41567.76"), 0.035, 2969.13),
                new ReportData.TierRow("gold", 47, 0.0161, 0.015, new BigDecimal("95012.02"), 0.080, 2021.53),
                new ReportData.TierRow("silver", 228, 0.0783, 0.08, new BigDecimal("273159.55"), 0.230, 1198.07),
                new ReportData.TierRow("ordinary", 2623, 0.9008, null, new BigDecimal("777910.87"), 0.655, 296.57)),
                new ReportData.Matrix(List.of("diamond", "gold", "silver", "ordinary"), List.of("diamond", "gold", "silver", "ordinary"),
                        List.of(List.of(12L, 2L, 0L, 0L), List.of(1L, 40L, 5L, 0L), List.of(0L, 4L, 210L, 9L), List.of(0L, 1L, 13L, 2600L))),
                19, 16, 2862, 14);
        var lifecycle = new ReportData.LifecycleSection(List.of(
                new ReportData.StageRow("A", "acquisition", 210, 0.072, 198L),
                new ReportData.StageRow("B", "build-up", 640, 0.22, 655L),
                new ReportData.StageRow("C", "climax", 1480, 0.508, 1502L),
                new ReportData.StageRow("D", "decline", 541, 0.186, 506L),
                new ReportData.StageRow("E", "exit", 41, 0.014, 29L)),
                new ReportData.Matrix(List.of("A", "B", "C", "D", "E"), List.of("A", "B", "C", "D", "E"),
                        List.of(List.of(150L, 48L, 0L, 0L, 0L), List.of(0L, 580L, 60L, 15L, 0L), List.of(0L, 12L, 1400L, 90L, 0L),
                                List.of(0L, 0L, 20L, 436L, 41L), List.of(0L, 0L, 0L, 0L, 29L))));
        List<ReportData.ScoreBin> dist = new ArrayList<>();
        long[] counts = {1410, 620, 330, 190, 120, 85, 60, 45, 30, 22};
        for (int i = 0; i < 10; i++) {
            dist.add(new ReportData.ScoreBin(i / 10.0, (i + 1) / 10.0, counts[i]));
        }
        List<ReportData.CalibrationBin> cal = new ArrayList<>();
        double[][] cp = {{0.01, 0.0}, {0.02, 0.01}, {0.03, 0.02}, {0.05, 0.04}, {0.07, 0.06}, {0.1, 0.11}, {0.14, 0.12}, {0.2, 0.22}, {0.3, 0.27}, {0.52, 0.55}};
        for (int i = 0; i < cp.length; i++) {
            cal.add(new ReportData.CalibrationBin(i + 1, 291, cp[i][0], cp[i][1]));
        }
        var churn = new ReportData.ChurnSection(dist, 0.99, List.of(new ReportData.BandRow("high", 97, 0.0333),
                new ReportData.BandRow("medium", 255, 0.0876), new ReportData.BandRow("low", 2560, 0.8791)), 0.6, 0.3,
                new ReportData.ModelQuality("out of time", "trained as of 2026-07, tested as of 2026-08, horizon 2 months", YearMonth.of(2026, 8), 2, 0.874, 0.412, 4.6, 0.31, 0.067, 2950, 2930, cal),
                List.of(new ReportData.RiskCustomer("C000123", "138****1234", "\u5f20*", "Chengdu", "gold", 0.91, "high",
                                List.of("long-distance spend down 68 % vs previous 3 months", "2 unresolved complaints in 90 days", "no usage for 12 days")),
                        new ReportData.RiskCustomer("C002210", "139****8870", "\u674e*", "Mianyang", "silver", 0.87, "high",
                                List.of("data spend down 55 % vs previous 3 months", "3 of 9 contacts closed their lines")),
                        new ReportData.RiskCustomer("C000871", "135****0021", "\u738b*", "Yibin", "ordinary", 0.83, "high",
                                List.of("spend falling 6 months in a row", "active on 4 days this month"))));
        List<double[]> lc = new ArrayList<>();
        List<double[]> lp = new ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            double x = i / 100.0;
            lc.add(new double[] {x, Math.pow(x, 2.6)});
            lp.add(new double[] {x, Math.pow(x, 4.2)});
        }
        var longTail = new ReportData.LongTailSection(
                new ReportData.Concentration("customers", 2912, 0.442, 0.583, 1020, 0.80, 1892, 0.20, 125.53, lc, 0.436, 0.579),
                new ReportData.Concentration("products", 46, 0.615, 0.742, 7, 0.80, 39, 0.20, 6090.52, lp, 0.61, 0.74));
        var quality = new ReportData.DataQuality(
                new ReportData.RunInfo("20261101-020000-nightly-a1b2c3", "nightly --date 2026-10-31", "duckdb", "2026-11-01T02:00:00", null,
                        Map.of("usage", new long[] {16120, 16102, 18}, "customers", new long[] {3000, 2998, 2})),
                List.of(new ReportData.DatasetCounts("usage", "usage days of 2026-10", 86412, 86350, 62, List.of("20261101-020000-nightly-a1b2c3")),
                        new ReportData.DatasetCounts("customers", "customers snapshot 2026-10-31", 3000, 2998, 2, List.of("20261101-020000-nightly-a1b2c3")),
                        new ReportData.DatasetCounts("complaints", "complaints, whole file", 1204, 1201, 3, List.of("20261101-020000-nightly-a1b2c3"))),
                List.of(new ReportData.ReasonCount("usage", "bad_number", 31), new ReportData.ReasonCount("usage", "duplicate_id", 19),
                        new ReportData.ReasonCount("usage", "unknown_customer", 12), new ReportData.ReasonCount("complaints", "bad_timestamp", 3),
                        new ReportData.ReasonCount("customers", "bad_enum", 2)));
        return new ReportData(oct, "2026-10-31", kpis, trend, breakdowns, contributors, tiers, lifecycle, churn, longTail, quality, Map.of());
    }
}
