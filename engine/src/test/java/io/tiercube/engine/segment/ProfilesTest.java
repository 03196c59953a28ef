package io.tiercube.engine.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.backend.Table;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Profiles built for 2026-08, -09 and -10 in turn under a one-tier policy with one month of
 * hysteresis; usage covers 2026-05 … 2026-10.
 */
class ProfilesTest {

    static final YearMonth AUG = YearMonth.of(2026, 8);
    static final YearMonth SEP = YearMonth.of(2026, 9);
    static final YearMonth OCT = YearMonth.of(2026, 10);
    static final LocalDate OLD = LocalDate.of(2019, 1, 1);
    static final String HYST = "name: hyst\nmetric: {type: arpu, window_months: 1}\ntiers:\n  - {name: gold, at_least: 100}\n"
            + "otherwise: ordinary\ndowngrade_after_months: 1\n";

    @TempDir
    static Path dir;
    static Fixture fx;
    static Backend duck;
    static Map<String, Map<String, Object>> oct;
    static Map<String, Map<String, Object>> sep;
    static Profiles.ProfileBuildResult octResult;
    static SegmentSettings settings;

    @BeforeAll
    static void build() {
        fx = new Fixture(dir);
        YearMonth[] six = Fixture.months("2026-05", "2026-10");
        fx.customer("h1", "Yibin", OLD, "0").monthly("h1", "150.00", Fixture.months("2026-05", "2026-08")).monthly("h1", "50.00", SEP, OCT);
        fx.customer("h2", "Yibin", OLD, "0").monthly("h2", "150.00", Fixture.months("2026-05", "2026-08")).monthly("h2", "50.00", SEP)
                .monthly("h2", "150.00", OCT);
        fx.customer("e1", "13900001111", "李四", "Yibin", OLD, "0", LocalDate.of(2026, 10, 15)).monthly("e1", "200.00", six);
        fx.customer("a1", "Yibin", LocalDate.of(2026, 9, 3), "0").monthly("a1", "80.00", SEP, OCT);
        for (int i = 0; i < 6; i++) {
            fx.spend("d1", six[i], "voice", (600 - 100 * i) + ".00");
            fx.spend("b1", six[i], "data", (100 + 100 * i) + ".00");
        }
        fx.customer("d1", "Yibin", OLD, "0").customer("b1", "Yibin", OLD, "0");
        fx.customer("d2", "Yibin", OLD, "0").monthly("d2", "100.00", Fixture.months("2026-05", "2026-09"));
        fx.customer("c1", "Chengdu", OLD, "0").monthly("c1", "300.00", six);
        fx.customer("b2", "Yibin", LocalDate.of(2026, 6, 10), "0").monthly("b2", "300.00", Fixture.months("2026-06", "2026-10"));
        fx.customer("s1", "Yibin", OLD, "0").monthly("s1", "100.00", Fixture.months("2026-05", "2026-08")).monthly("s1", "1000.00", SEP)
                .monthly("s1", "100.00", OCT);
        fx.customer("s2", "Yibin", OLD, "0").monthly("s2", "100.00", Fixture.months("2026-05", "2026-08")).monthly("s2", "140.00", SEP)
                .monthly("s2", "100.00", OCT);
        fx.spend("c1", OCT, "sms", "0.50");
        fx.write();
        duck = Engine.DUCKDB.open(Engine.Options.defaults());
        duck.writeParquet("SELECT * FROM (VALUES ('c1', CAST(0.9 AS DOUBLE), 'high', 'spend_drop_voice')) t(customer_id, churn_score,"
                + " churn_band, churn_reasons)", fx.wh.monthPartition("churn_scores", OCT).resolve("p"), List.of());
        fx.wh.registerViews(duck);
        settings = SegmentSettings.defaults().withPolicy(TierPolicy.parse("hyst.yaml", HYST));
        Profiles.build(duck, fx.wh, settings, AUG);
        Profiles.build(duck, fx.wh, settings, SEP);
        octResult = Profiles.build(duck, fx.wh, settings, OCT);
        oct = rows(OCT);
        sep = rows(SEP);
    }

    @AfterAll
    static void close() {
        duck.close();
    }

    static Map<String, Map<String, Object>> rows(YearMonth m) {
        Table t = duck.query("SELECT * FROM profiles WHERE month = ?", m.toString());
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (int i = 0; i < t.size(); i++) {
            Map<String, Object> r = new HashMap<>();
            for (String c : t.columns()) {
                r.put(c, t.get(i, c));
            }
            out.put(t.getString(i, "customer_id"), r);
        }
        return out;
    }

    @Test
    void hysteresisHoldsATierForOneMonthThenDowngrades() {
        assertEquals("gold", sep.get("h1").get("tier"), "first month below: held");
        assertEquals("ordinary", sep.get("h1").get("tier_raw"));
        assertEquals(1L, sep.get("h1").get("tier_months_below"));
        assertEquals("ordinary", oct.get("h1").get("tier"), "second month below: moved down");
        assertEquals("gold", oct.get("h1").get("previous_tier"));
        assertEquals("gold", oct.get("h2").get("tier"), "back above after one month: kept");
        assertEquals(0L, oct.get("h2").get("tier_months_below"));
        assertEquals("profile", octResult.previousTierSource());
    }

    @Test
    void tiersReportAgreesWithTheProfileUnderTheSamePolicy() {
        Tiers.TierReport r = Tiers.report(duck, fx.wh, settings.policy(), SEP);
        assertEquals("profile", r.previousSource());
        long gold = r.pyramid().stream().filter(t -> t.tier().equals("gold")).findFirst().orElseThrow().customers();
        assertEquals(sep.values().stream().filter(x -> "gold".equals(x.get("tier"))).count(), gold);
    }

    @Test
    void lifecycleStagesFollowTheRules() {
        assertEquals("E", oct.get("e1").get("lifecycle_stage"));
        assertEquals("closed", oct.get("e1").get("status"));
        assertEquals("A", oct.get("a1").get("lifecycle_stage"));
        assertEquals("D", oct.get("d1").get("lifecycle_stage"), "spend falling 100 a month");
        assertEquals(-100.0, (Double) oct.get("d1").get("trend_slope"), 1e-9);
        assertEquals(true, oct.get("d1").get("trend_significant"));
        assertEquals("D", oct.get("d2").get("lifecycle_stage"), "no usage this month after usage before");
        assertEquals("B", oct.get("b1").get("lifecycle_stage"), "spend rising 100 a month");
        assertEquals("C", oct.get("c1").get("lifecycle_stage"));
        assertEquals("B", oct.get("b2").get("lifecycle_stage"), "tenure 4: past acquisition, still building up");
        assertEquals("climax", oct.get("c1").get("lifecycle_name"));
    }

    @Test
    void spikeIsFlaggedWithMedianBesideMean() {
        Map<String, Object> s1 = oct.get("s1");
        assertEquals(true, s1.get("spike_flag"));
        assertEquals("2026-09", s1.get("spike_month"));
        assertEquals(250.0, (Double) s1.get("arpu_6m_mean"), 1e-9);
        assertEquals(100.0, (Double) s1.get("arpu_6m_median"), 1e-9);
        assertEquals(400.0, (Double) s1.get("arpu_3m_mean"), 1e-9);
        assertEquals(100.0, (Double) s1.get("arpu_3m_median"), 1e-9);
        assertEquals(false, oct.get("s2").get("spike_flag"), "140 is not above 1.5 × the median of 100");
        assertNull(oct.get("s2").get("spike_month"));
    }

    @Test
    void profileCarriesSpendPerServiceAndMonth() {
        Map<String, Object> c1 = oct.get("c1");
        assertEquals(new BigDecimal("300.50"), c1.get("spend_m0"));
        assertEquals(new BigDecimal("0.50"), c1.get("spend_sms_m0"));
        assertEquals(new BigDecimal("300.00"), c1.get("spend_voice_m5"));
        assertEquals(6L, c1.get("months_in_window"));
        Map<String, Object> a1 = oct.get("a1");
        assertNull(a1.get("spend_m2"), "not on the network yet in August");
        assertEquals(1L, a1.get("tenure_months"));
        assertEquals(2L, a1.get("months_in_window"));
    }

    @Test
    void churnScoresAreJoinedWhenTheyExist() {
        assertTrue(octResult.churnJoined());
        assertEquals(0.9, (Double) oct.get("c1").get("churn_score"), 1e-12);
        assertEquals("high", oct.get("c1").get("churn_band"));
        assertEquals("spend_drop_voice", oct.get("c1").get("churn_reasons"));
        assertNull(oct.get("b1").get("churn_score"));
        assertNull(sep.get("c1").get("churn_band"), "no churn scores for September");
    }

    @Test
    void oneRowPerCustomerAndRevenueAddsUp() {
        assertEquals(11, oct.size());
        assertEquals(11L, octResult.rows());
        BigDecimal total = (BigDecimal) duck.query("SELECT sum(charge) FROM usage WHERE event_date >= DATE '2026-10-01'").scalar();
        BigDecimal profile = (BigDecimal) duck.query("SELECT sum(spend_m0) FROM profiles WHERE month = '2026-10'").scalar();
        assertEquals(0, total.compareTo(profile));
        assertEquals(11L, octResult.tierCounts().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void lifecycleSummaryCountsStagesAndTransitions() {
        Lifecycle.LifecycleSummary s = Lifecycle.summary(duck, fx.wh, OCT);
        assertTrue(s.previousAvailable());
        assertEquals(1L, s.counts().get("E"));
        // d1, d2, and h1 (150 ×4 then 50, 50: slope -22.9, t² = 8.74 > 2.132² at 4 degrees of freedom).
        assertEquals(3L, s.counts().get("D"));
        assertEquals(11L, s.counts().values().stream().mapToLong(Long::longValue).sum());
        long fromSep = s.transitions().stream().filter(t -> t.from() != null).mapToLong(Lifecycle.Transition::customers).sum();
        assertEquals(11L, fromSep, "everyone was in September's profile too");
        assertFalse(s.transitions().stream().anyMatch(t -> t.to() == null));
    }

    @Test
    void aMonthWithoutUsageIsNotFound() {
        UserError e = assertThrows(UserError.class, () -> Profiles.build(duck, fx.wh, settings, YearMonth.of(2026, 11)));
        assertEquals(UserError.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("2026-05"), e.getMessage());
    }
}
