package io.tiercube.engine.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concentration figures checked against hand computations. Each city is one small distribution:
 * Equal (4 × 100), One (one customer has 500, four have nothing), Known (1, 2, 3, 4).
 */
class LongTailTest {

    static final YearMonth OCT = YearMonth.of(2026, 10);
    static final LocalDate JOIN = LocalDate.of(2020, 1, 1);

    @TempDir
    static Path dir;
    static Fixture fx;
    static Backend duck;
    static LongTail.LongTailReport report;

    @BeforeAll
    static void build() {
        fx = new Fixture(dir);
        for (int i = 1; i <= 4; i++) {
            fx.customer("e" + i, "Equal", JOIN, "0").spend("e" + i, OCT, "voice", "100.00");
        }
        fx.customer("o1", "One", JOIN, "0").spend("o1", OCT, "data", "500.00");
        for (int i = 2; i <= 5; i++) {
            fx.customer("o" + i, "One", JOIN, "0"); // on the network, no usage: revenue 0
        }
        for (int i = 1; i <= 4; i++) {
            fx.customer("k" + i, "Known", JOIN, "0").spend("k" + i, OCT, "sms", i + ".00");
        }
        fx.spend("k4", OCT.minusMonths(1), "sms", "10.00");
        fx.write();
        duck = Engine.DUCKDB.open(Engine.Options.defaults());
        fx.wh.registerViews(duck);
        report = LongTail.compute(duck, fx.wh, OCT, "region.city");
    }

    @AfterAll
    static void close() {
        duck.close();
    }

    static Map<String, LongTail.Group> groups() {
        return report.groups().stream().collect(Collectors.toMap(LongTail.Group::group, g -> g));
    }

    @Test
    void allEqualSpendHasGiniZero() {
        LongTail.Concentration c = groups().get("Equal").customers().current();
        assertEquals(0.0, c.gini(), 1e-12);
        assertEquals(0.2, c.top20Share(), 1e-12);
        assertEquals(4, c.head().n(), "80 % of revenue needs 4 of 4 equal customers");
        assertEquals(0, c.tail().n());
    }

    @Test
    void oneCustomerWithAllRevenueAmongFiveHasGiniFourFifths() {
        LongTail.Concentration c = groups().get("One").customers().current();
        assertEquals(5, c.n(), "customers on the network without usage count, with revenue 0");
        assertEquals(4.0 / 5.0, c.gini(), 1e-12);
        assertEquals(1.0, c.top20Share(), 1e-12);
        assertEquals(1, c.head().n());
        assertEquals(4, c.tail().n());
        assertEquals(0.0, c.tail().revenueShare(), 1e-12);
    }

    @Test
    void knownDistributionMatchesHandComputation() {
        // x = 1, 2, 3, 4: G = 2 Σ i·x / (n Σ x) - (n + 1) / n = 2·30 / 40 - 5/4 = 0.25.
        LongTail.Concentration c = groups().get("Known").customers().current();
        assertEquals(0.25, c.gini(), 1e-12);
        // L(0.8): 3.2 customers from the bottom hold 1 + 2 + 3 + 0.2·4 = 6.8 of 10.
        assertEquals(0.32, c.top20Share(), 1e-12);
        assertEquals(100, c.lorenz().size());
        assertEquals(0.1, c.lorenz().get(24)[1], 1e-12);
        assertEquals(0.3, c.lorenz().get(49)[1], 1e-12);
        assertEquals(0.6, c.lorenz().get(74)[1], 1e-12);
        assertEquals(1.0, c.lorenz().get(99)[1], 1e-12);
        assertEquals(0.01, c.lorenz().get(0)[0], 1e-12);
        // Head: 4 + 3 = 7 < 8, 4 + 3 + 2 = 9 >= 8 → 3 customers with 90 %; tail: 1 customer, revenue 1.
        assertEquals(3, c.head().n());
        assertEquals(0.9, c.head().revenueShare(), 1e-12);
        assertEquals(1, c.tail().n());
        assertEquals(0.25, c.tail().share(), 1e-12);
        assertEquals(new BigDecimal("1.00"), c.tail().revenue());
        assertEquals(1.0, c.tail().arpu(), 1e-12);
    }

    @Test
    void overallCoversEveryCustomerAndProductWithThePreviousMonth() {
        LongTail.Concentration c = report.customers().current();
        assertEquals(13, c.n());
        assertEquals(new BigDecimal("910.00"), c.revenue());
        LongTail.Concentration p = report.products().current();
        assertEquals(3, p.n(), "p-voice, p-data, p-sms");
        assertEquals(new BigDecimal("910.00"), p.revenue());
        assertEquals(YearMonth.of(2026, 9), report.previousMonth());
        LongTail.Concentration prev = report.customers().previous();
        assertNotNull(prev);
        assertEquals(13, prev.n());
        assertEquals(12.0 / 13.0, prev.gini(), 1e-12, "one customer had everything in September");
        assertEquals(java.util.List.of(), prev.lorenz());
    }

    @Test
    void jsonShapeHasTheDocumentedKeys() {
        Map<String, Object> m = report.toMap();
        assertEquals("2026-10", m.get("month"));
        @SuppressWarnings("unchecked")
        Map<String, Object> cust = (Map<String, Object>) m.get("customers");
        for (String k : new String[] {"n", "gini", "top20_share", "head", "tail", "lorenz"}) {
            assertNotNull(cust.get(k), k);
        }
        assertNotNull(m.get("products"));
    }

    @Test
    void unknownByLevelIsABadQuery() {
        UserError e = assertThrows(UserError.class, () -> LongTail.compute(duck, fx.wh, OCT, "region.cty"));
        assertEquals(UserError.Kind.BAD_QUERY, e.kind());
    }
}
