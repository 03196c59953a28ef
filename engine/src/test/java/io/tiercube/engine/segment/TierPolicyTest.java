package io.tiercube.engine.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.UserError;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TierPolicyTest {

    static UserError bad(String yaml) {
        UserError e = assertThrows(UserError.class, () -> TierPolicy.parse("p.yaml", yaml));
        assertEquals(UserError.Kind.BAD_CONFIG, e.kind());
        assertTrue(e.getMessage().startsWith("p.yaml: "), e.getMessage());
        return e;
    }

    @Test
    void presetsLoadWithTheirThresholds() {
        TierPolicy u = TierPolicy.preset("unicom-yibin");
        assertEquals(new BigDecimal("400"), u.tiers().get(0).thresholdIn("Chengdu"));
        assertEquals(new BigDecimal("250"), u.tiers().get(0).thresholdIn("Yibin"));
        assertEquals(false, u.tiers().get(0).inclusive());
        TierPolicy t = TierPolicy.preset("telecom-sichuan");
        assertEquals(new BigDecimal("0.5"), t.tiers().get(0).targetPercent());
        assertEquals(6, t.newCustomers().tenureMonthsBelow());
        assertEquals(0, t.downgradeAfterMonths());
        assertEquals(java.util.List.of("diamond", "gold", "silver", "vip_card", "ordinary"), TierPolicy.preset("mobile-sichuan").tierNames());
    }

    @Test
    void thresholdsOutOfOrderNameTheTierAndTheFix() {
        UserError e = bad("name: x\nmetric: {type: arpu}\ntiers:\n  - {name: gold, at_least: 100}\n  - {name: silver, at_least: 200}\n");
        assertTrue(e.getMessage().contains("tiers[1] (silver)"), e.getMessage());
        assertTrue(e.getMessage().contains("decreasing thresholds"), e.getMessage());
    }

    @Test
    void regionThresholdsOutOfOrderAreRefused() {
        UserError e = bad("name: x\nmetric: {type: arpu}\ntiers:\n  - {name: gold, at_least: 300, by_region: {Chengdu: 100}}\n"
                + "  - {name: silver, at_least: 200}\n");
        assertTrue(e.getMessage().contains("in Chengdu"), e.getMessage());
    }

    @Test
    void equalThresholdIsAllowedOnlyAsAboveThenAtLeast() {
        TierPolicy ok = TierPolicy.parse("p.yaml", "name: x\nmetric: {type: arpu}\ntiers:\n  - {name: gold, above: 100}\n  - {name: silver, at_least: 100}\n");
        assertEquals(2, ok.tiers().size());
        bad("name: x\nmetric: {type: arpu}\ntiers:\n  - {name: gold, at_least: 100}\n  - {name: silver, above: 100}\n");
    }

    @Test
    void unknownMetricSuggestsTheClosest() {
        UserError e = bad("name: x\nmetric: {type: arpuu}\ntiers:\n  - {name: gold, at_least: 100}\n");
        assertTrue(e.getMessage().contains("metric.type"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'arpu'"), e.getMessage());
    }

    @Test
    void bothBoundsOnOneTierOverlap() {
        UserError e = bad("name: x\nmetric: {type: arpu}\ntiers:\n  - {name: gold, at_least: 100, above: 90}\n");
        assertTrue(e.getMessage().contains("tiers[0]") && e.getMessage().contains("overlap"), e.getMessage());
    }

    @Test
    void unknownKeyIsNamedWithTheValidOnes() {
        UserError e = bad("name: x\nmetric: {type: arpu}\ntiers:\n  - {name: gold, at_lest: 100}\n");
        assertTrue(e.getMessage().contains("tiers[0].at_lest") && e.getMessage().contains("did you mean 'at_least'"), e.getMessage());
    }

    @Test
    void quotasMustGrowDownTheList() {
        bad("name: x\nmetric: {type: arpu}\ntiers:\n  - {name: gold, top_percent: 5}\n  - {name: silver, top_percent: 1}\n");
        bad("name: x\nmetric: {type: arpu}\ntiers:\n  - {name: gold, top_percent: 150}\n");
    }

    @Test
    void newCustomerTiersMustBeMainTiers() {
        UserError e = bad("name: x\nmetric: {type: arpu}\ntiers:\n  - {name: gold, at_least: 100}\nnew_customers:\n"
                + "  tenure_months_below: 3\n  metric: {type: plan_fee}\n  tiers:\n    - {name: platinum, at_least: 500}\n");
        assertTrue(e.getMessage().contains("new_customers.tiers[0].name"), e.getMessage());
    }

    @Test
    void resolveNamesAPresetOrAFileRelativeToTheSettings(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("mine.yaml"), "name: mine\nmetric: {type: median_monthly_spend, window_months: 3}\n"
                + "tiers:\n  - {name: gold, top_percent: 10}\n");
        assertEquals("mine", TierPolicy.resolve("mine.yaml", dir).name());
        assertEquals("unicom-yibin", TierPolicy.resolve("unicom-yibin", dir).name());
        UserError e = assertThrows(UserError.class, () -> TierPolicy.resolve("unicom-yibn", dir));
        assertTrue(e.getMessage().contains("did you mean 'unicom-yibin'"), e.getMessage());
    }

    @Test
    void hashChangesWithContentOnly() {
        String y = "name: x\nmetric: {type: arpu}\ntiers:\n  - {name: gold, at_least: 100, by_region: {B: 5, A: 7}}\n";
        assertEquals(TierPolicy.parse("a.yaml", y).hash(), TierPolicy.parse("b.yaml", y).hash());
        assertTrue(!TierPolicy.parse("a.yaml", y).hash().equals(TierPolicy.parse("a.yaml", y.replace("100", "101")).hash()));
    }
}
