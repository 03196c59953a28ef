package io.tiercube.engine;

import java.math.BigDecimal;

/** A number typed into a filter, as a plain decimal that both engines bind exactly. */
public final class FilterNumber {

    private FilterNumber() {
    }

    /**
     * Parses {@code text}: {@code 1e3} becomes 1000 (DuckDB refuses a negative scale), and a number
     * beyond 20 integer digits or 18 decimals is refused rather than rounded. Failures are
     * {@link UserError.Kind#BAD_QUERY} errors with the caller's message.
     *
     * @param notANumber message when the text is not a number
     * @param outOfRange message when it is out of range; " (at most 20 digits before the point and 18 after)" is added
     */
    public static BigDecimal parse(String text, String notANumber, String outOfRange) {
        BigDecimal v;
        try {
            v = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new UserError(UserError.Kind.BAD_QUERY, notANumber);
        }
        if (v.signum() == 0) {
            return BigDecimal.ZERO;
        }
        if (v.scale() > 18 || (long) v.precision() - v.scale() > 20) {
            throw new UserError(UserError.Kind.BAD_QUERY, outOfRange + " (at most 20 digits before the point and 18 after)");
        }
        return v.scale() < 0 ? v.setScale(0) : v;
    }
}
