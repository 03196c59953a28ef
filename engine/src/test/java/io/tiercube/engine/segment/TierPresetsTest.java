package io.tiercube.engine.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.backend.Table;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every boundary of the three presets of DOMAIN.md, one cent either side, computed by hand. Usage data
 * covers 2026-05 … 2026-10; the month rated is 2026-10. Customers joined long ago unless stated.
 */
class TierPresetsTest {

    static final YearMonth OCT = YearMonth.of(2026, 10);
    static final LocalDate LONG_AGO = LocalDate.of(2018, 3, 1);

    @TempDir
    static Path dir;
    static Fixture fx;
    static Backend duck;

    @BeforeAll
    static void writeFixture() {
        fx = new Fixture(dir);
        // unicom-yibin: the same spend in each of the 6 months, so the 6-month average is that spend.
        flat("uy-250.01", "Yibin", "250.01");
        flat("uy-250.00", "Yibin", "250.00");
        flat("uy-150.00", "Yibin", "150.00");
        flat("uy-149.99", "Yibin", "149.99");
        flat("uy-70.00", "Yibin", "70.00");
        flat("uy-69.99", "Yibin", "69.99");
        flat("uc-400.01", "Chengdu", "400.01");
        flat("uc-400.00", "Chengdu", "400.00");
        flat("uc-250.00", "Chengdu", "250.00");
        flat("uc-249.99", "Chengdu", "249.99");
        flat("uc-100.00", "Chengdu", "100.00");
        flat("uc-99.99", "Chengdu", "99.99");
        // Uneven months whose average is exactly 250.00 (sum 1500.00): gold, not diamond.
        fx.customer("uy-uneven", "Yibin", LONG_AGO, "0");
        String[] uneven = {"100.01", "399.99", "250.00", "250.00", "300.00", "200.00"};
        YearMonth[] six = Fixture.months("2026-05", "2026-10");
        for (int i = 0; i < 6; i++) {
            fx.spend("uy-uneven", six[i], "voice", uneven[i]);
        }
        // Only 5 months on the network (joined in June): not rated yet under "6 consecutive months".
        fx.customer("uy-5months", "Yibin", LocalDate.of(2026, 6, 10), "0").monthly("uy-5months", "1000.00", Fixture.months("2026-06", "2026-10"));

        // mobile-sichuan: the same ARPU in each month.
        flat("ms-3000.00", "Yibin", "3000.00");
        flat("ms-2999.99", "Yibin", "2999.99");
        flat("ms-1500.00", "Yibin", "1500.00");
        flat("ms-1499.99", "Yibin", "1499.99");
        flat("ms-800.00", "Yibin", "800.00");
        flat("ms-799.99", "Yibin", "799.99");
        flat("ms-300.00", "Yibin", "300.00");
        flat("ms-299.99", "Yibin", "299.99");
        flat("mc-500.00", "Chengdu", "500.00");
        flat("mc-499.99", "Chengdu", "499.99");
        flat("mc-300.00", "Chengdu", "300.00");
        // ARPU is the 3-month mean: 0, 0, 2700 → 900 → silver, though this month alone is 2700.
        fx.customer("ms-mean3", "Yibin", LONG_AGO, "0").spend("ms-mean3", OCT, "voice", "2700.00")
                .spend("ms-mean3", OCT.minusMonths(1), "voice", "0.00").spend("ms-mean3", OCT.minusMonths(2), "voice", "0.00");

        // telecom-sichuan points = mean monthly spend × 12 + 100 per full year of tenure (max 10 years).
        // 8 full years (joined 2018-03 → tenure 103 months): 800 bonus; diamond at a mean of (8000-800)/12 = 600.00.
        fx.customer("ts-600.00", "Yibin", LONG_AGO, "0").monthly("ts-600.00", "600.00", Fixture.months("2026-05", "2026-10"));
        fx.customer("ts-599.99", "Yibin", LONG_AGO, "0").monthly("ts-599.99", "599.99", Fixture.months("2026-05", "2026-10"));
        // Under a year of tenure (joined 2026-01 → 9 months, no bonus): gold at 4800/12 = 400.00, silver at 3000/12 = 250.00.
        LocalDate jan = LocalDate.of(2026, 1, 15);
        fx.customer("ts-400.00", "Yibin", jan, "0").monthly("ts-400.00", "400.00", Fixture.months("2026-05", "2026-10"));
        fx.customer("ts-399.99", "Yibin", jan, "0").monthly("ts-399.99", "399.99", Fixture.months("2026-05", "2026-10"));
        fx.customer("ts-250.00", "Yibin", jan, "0").monthly("ts-250.00", "250.00", Fixture.months("2026-05", "2026-10"));
        fx.customer("ts-249.99", "Yibin", jan, "0").monthly("ts-249.99", "249.99", Fixture.months("2026-05", "2026-10"));
        // Tenure capped at 10 years: joined 2000 → 1000 bonus, not 2600; 7000/12 is not a cent, so use
        // 583.34 × 12 + 1000 = 8000.08 (diamond) and 583.33 × 12 + 1000 = 7999.96 (gold).
        LocalDate y2000 = LocalDate.of(2000, 1, 1);
        fx.customer("ts-cap-583.34", "Yibin", y2000, "0").monthly("ts-cap-583.34", "583.34", Fixture.months("2026-05", "2026-10"));
        fx.customer("ts-cap-583.33", "Yibin", y2000, "0").monthly("ts-cap-583.33", "583.33", Fixture.months("2026-05", "2026-10"));
        // New customers (tenure below 6 months: joined 2026-08 → tenure 2) are rated by plan fee, not spend.
        LocalDate aug = LocalDate.of(2026, 8, 20);
        for (String fee : new String[] {"589.00", "588.99", "389.00", "388.99", "189.00", "188.99"}) {
            fx.customer("tn-" + fee, "Yibin", aug, fee).monthly("tn-" + fee, "10.00", Fixture.months("2026-08", "2026-10"));
        }
        fx.customer("tn-bigspender", "Yibin", aug, "100.00").monthly("tn-bigspender", "5000.00", Fixture.months("2026-08", "2026-10"));
        // Tenure exactly 5 (joined 2026-05) is still new; tenure 6 (joined 2026-04) is rated by points.
        fx.customer("tn-tenure5", "Yibin", LocalDate.of(2026, 5, 31), "589.00").monthly("tn-tenure5", "10.00", Fixture.months("2026-05", "2026-10"));
        fx.customer("tn-tenure6", "Yibin", LocalDate.of(2026, 4, 1), "589.00").monthly("tn-tenure6", "10.00", Fixture.months("2026-05", "2026-10"));
        fx.write();
        duck = Engine.DUCKDB.open(Engine.Options.defaults());
        fx.wh.registerViews(duck);
    }

    @AfterAll
    static void close() {
        duck.close();
    }

    static void flat(String id, String city, String monthly) {
        fx.customer(id, city, LONG_AGO, "0").monthly(id, monthly, Fixture.months("2026-05", "2026-10"));
    }

    static Map<String, String> tiers(String preset) {
        Table t = Tiers.customers(duck, fx.wh, TierPolicy.preset(preset), OCT);
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < t.size(); i++) {
            out.put(t.getString(i, "customer_id"), t.getString(i, "tier"));
        }
        return out;
    }

    @Test
    void unicomYibinDiamondIsAbove250OutsideChengduAndAbove400InChengdu() {
        Map<String, String> t = tiers("unicom-yibin");
        assertEquals("diamond", t.get("uy-250.01"));
        assertEquals("gold", t.get("uy-250.00"));
        assertEquals("diamond", t.get("uc-400.01"));
        assertEquals("gold", t.get("uc-400.00"));
    }

    @Test
    void unicomYibinSharedEndPointsGoToTheHigherTier() {
        Map<String, String> t = tiers("unicom-yibin");
        assertEquals("gold", t.get("uy-150.00"));
        assertEquals("silver", t.get("uy-149.99"));
        assertEquals("silver", t.get("uy-70.00"));
        assertEquals("ordinary", t.get("uy-69.99"));
        assertEquals("gold", t.get("uc-250.00"));
        assertEquals("silver", t.get("uc-249.99"));
        assertEquals("silver", t.get("uc-100.00"));
        assertEquals("ordinary", t.get("uc-99.99"));
    }

    @Test
    void unicomYibinAverageIsComparedExactlyAndNeedsSixMonths() {
        Map<String, String> t = tiers("unicom-yibin");
        assertEquals("gold", t.get("uy-uneven"), "uneven months averaging exactly 250.00 are not above 250");
        assertEquals("ordinary", t.get("uy-5months"), "5 months of history: not rated yet");
    }

    @Test
    void mobileSichuanArpuBoundsAreInclusive() {
        Map<String, String> t = tiers("mobile-sichuan");
        assertEquals("diamond", t.get("ms-3000.00"));
        assertEquals("gold", t.get("ms-2999.99"));
        assertEquals("gold", t.get("ms-1500.00"));
        assertEquals("silver", t.get("ms-1499.99"));
        assertEquals("silver", t.get("ms-800.00"));
        assertEquals("vip_card", t.get("ms-799.99"));
    }

    @Test
    void mobileSichuanVipCardIs500InChengduAnd300Elsewhere() {
        Map<String, String> t = tiers("mobile-sichuan");
        assertEquals("vip_card", t.get("mc-500.00"));
        assertEquals("ordinary", t.get("mc-499.99"));
        assertEquals("ordinary", t.get("mc-300.00"));
        assertEquals("vip_card", t.get("ms-300.00"));
        assertEquals("ordinary", t.get("ms-299.99"));
    }

    @Test
    void mobileSichuanArpuIsTheThreeMonthMean() {
        assertEquals("silver", tiers("mobile-sichuan").get("ms-mean3"));
    }

    @Test
    void telecomSichuanPointsBoundsAreInclusive() {
        Map<String, String> t = tiers("telecom-sichuan");
        assertEquals("diamond", t.get("ts-600.00"), "600 × 12 + 800 = 8000 points");
        assertEquals("gold", t.get("ts-599.99"), "599.99 × 12 + 800 = 7999.88 points");
        assertEquals("gold", t.get("ts-400.00"), "400 × 12 = 4800 points");
        assertEquals("silver", t.get("ts-399.99"));
        assertEquals("silver", t.get("ts-250.00"), "250 × 12 = 3000 points");
        assertEquals("ordinary", t.get("ts-249.99"));
        assertEquals("diamond", t.get("ts-cap-583.34"), "tenure bonus capped at 10 years: 8000.08 points");
        assertEquals("gold", t.get("ts-cap-583.33"), "7999.96 points");
    }

    @Test
    void telecomSichuanNewCustomersAreRatedByPlanFee() {
        Map<String, String> t = tiers("telecom-sichuan");
        assertEquals("diamond", t.get("tn-589.00"));
        assertEquals("gold", t.get("tn-588.99"));
        assertEquals("gold", t.get("tn-389.00"));
        assertEquals("silver", t.get("tn-388.99"));
        assertEquals("silver", t.get("tn-189.00"));
        assertEquals("ordinary", t.get("tn-188.99"));
        assertEquals("ordinary", t.get("tn-bigspender"), "a new customer's spend does not count, only the plan");
        assertEquals("diamond", t.get("tn-tenure5"), "tenure 5 months: still new");
        assertEquals("ordinary", t.get("tn-tenure6"), "tenure 6 months: rated by points (10 × 12 = 120)");
    }

    @Test
    void everyCustomerGetsExactlyOneTierAndTierRevenueAddsUpToTotal() {
        for (String preset : TierPolicy.PRESETS) {
            Tiers.TierReport r = Tiers.report(duck, fx.wh, TierPolicy.preset(preset), OCT);
            long customers = duck.query("SELECT count(*) FROM customers").scalarLong();
            assertEquals(customers, r.customers(), preset);
            assertEquals(customers, r.pyramid().stream().mapToLong(Tiers.TierRow::customers).sum(), preset);
            java.math.BigDecimal total = (java.math.BigDecimal) duck.query(
                    "SELECT sum(charge) FROM usage WHERE event_date >= DATE '2026-10-01' AND event_date <= DATE '2026-10-31'").scalar();
            assertEquals(0, total.compareTo(r.pyramid().stream().map(Tiers.TierRow::revenue).reduce(java.math.BigDecimal.ZERO,
                    java.math.BigDecimal::add)), preset);
            assertEquals(0, total.compareTo(r.revenue()), preset);
            long distinct = duck.query("SELECT count(DISTINCT customer_id) FROM seg_tiers").scalarLong();
            long rows = duck.query("SELECT count(*) FROM seg_tiers").scalarLong();
            assertEquals(distinct, rows, preset);
        }
    }

    @Test
    void quotaTiersTakeTheTopPercentCumulativelyWithTiesByCustomerId() {
        TierPolicy q = TierPolicy.parse("quota.yaml", "name: quota\nmetric: {type: arpu, window_months: 1}\ntiers:\n"
                + "  - {name: top, top_percent: 10}\n  - {name: next, top_percent: 30}\notherwise: rest\n");
        Table t = Tiers.customers(duck, fx.wh, q, OCT);
        long n = t.size();
        long top = t.rows().stream().filter(r -> "top".equals(r.get(t.columnIndex("tier")))).count();
        long next = t.rows().stream().filter(r -> "next".equals(r.get(t.columnIndex("tier")))).count();
        assertEquals((n * 10 + 99) / 100, top, "ceil(10 % of " + n + ")");
        assertEquals((n * 30 + 99) / 100 - top, next, "the 30 % quota counts the top tier too");
        java.math.BigDecimal minTop = null;
        java.math.BigDecimal maxRest = java.math.BigDecimal.valueOf(-1);
        for (int i = 0; i < t.size(); i++) {
            java.math.BigDecimal m = t.getDecimal(i, "metric");
            if ("top".equals(t.getString(i, "tier"))) {
                minTop = minTop == null || m.compareTo(minTop) < 0 ? m : minTop;
            } else if ("rest".equals(t.getString(i, "tier"))) {
                maxRest = m.compareTo(maxRest) > 0 ? m : maxRest;
            }
        }
        assertTrue(minTop.compareTo(maxRest) >= 0, "quota tiers hold the highest metrics");
    }

    @Test
    void medianMetricIgnoresAOneOffMonth() {
        TierPolicy m = TierPolicy.parse("median.yaml", "name: median\nmetric: {type: median_monthly_spend, window_months: 3}\n"
                + "tiers:\n  - {name: silver, at_least: 800}\n");
        Table t = Tiers.customers(duck, fx.wh, m, OCT);
        for (int i = 0; i < t.size(); i++) {
            if (t.getString(i, "customer_id").equals("ms-mean3")) {
                assertEquals("ordinary", t.getString(i, "tier"), "median of 0, 0, 2700 is 0");
            }
            if (t.getString(i, "customer_id").equals("ms-800.00")) {
                assertEquals("silver", t.getString(i, "tier"));
            }
        }
    }
}
