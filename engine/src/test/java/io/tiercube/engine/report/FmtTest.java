package io.tiercube.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Numbers as people read them. */
class FmtTest {

    @Test
    void moneyIsYuanWithThousandsSeparatorsAndTwoDecimals() {
        assertEquals("\u00a51,234,567.80", Fmt.money(new BigDecimal("1234567.8")));
        assertEquals("\u00a50.01", Fmt.money(new BigDecimal("0.005")));
        assertEquals("-\u00a512.00", Fmt.money(-12));
        assertEquals("\u2013", Fmt.money(null));
        assertEquals("\u2013", Fmt.money(Double.NaN));
    }

    @Test
    void countsAndPercentages() {
        assertEquals("1,234,567", Fmt.count(1234567L));
        assertEquals("12.3%", Fmt.pct(0.1234));
        assertEquals("0.5%", Fmt.pct(0.005));
        assertEquals("100.0%", Fmt.pct(1));
        assertEquals("+5.0 pp", Fmt.pointChange(0.25, 0.2));
    }

    @Test
    void changeIsSignedRelativeToThePreviousValue() {
        assertEquals("+39.5%", Fmt.change(new BigDecimal("69.75"), new BigDecimal("50.00")));
        assertEquals("-25.0%", Fmt.change(3L, 4L));
        assertEquals("\u00b10.0%", Fmt.change(5L, 5L));
        assertEquals("\u2013", Fmt.change(5L, 0L));
        assertEquals("\u2013", Fmt.change(5L, null));
    }

    @Test
    void compactTickLabels() {
        assertEquals("0", Fmt.compact(0));
        assertEquals("2,500", Fmt.compact(2500));
        assertEquals("25k", Fmt.compact(25000));
        assertEquals("1.25M", Fmt.compact(1_250_000));
        assertEquals("-15k", Fmt.compact(-15000));
    }
}
