package io.tiercube.engine.segment;

/**
 * Masking of personal data in exports, and neutralising of spreadsheet formulas.
 *
 * <ul>
 * <li>msisdn: the first 3 and last 4 digits stay, the rest become '*': {@code 13812341234} →
 * {@code 138****1234}; anything of 7 characters or fewer is fully masked;</li>
 * <li>name: the first character stays, every other becomes '*': {@code 张三} → {@code 张*};</li>
 * <li>birth date: only the year stays: {@code 1985-**-**}.</li>
 * </ul>
 */
final class Pii {

    private Pii() {
    }

    static String msisdn(String s) {
        if (s == null) {
            return null;
        }
        if (s.length() <= 7) {
            return "*".repeat(s.length());
        }
        return s.substring(0, 3) + "*".repeat(s.length() - 7) + s.substring(s.length() - 4);
    }

    static String name(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        int[] cps = s.codePoints().toArray();
        if (cps.length == 1) {
            return "*";
        }
        return new String(cps, 0, 1) + "*".repeat(cps.length - 1);
    }

    static String birthDate(Object d) {
        if (d == null) {
            return null;
        }
        String s = d.toString();
        return s.length() >= 4 ? s.substring(0, 4) + "-**-**" : "****-**-**";
    }

    /**
     * A text cell a spreadsheet would run as a formula (starting with = + - @, tab or carriage return)
     * gets a leading apostrophe, so it shows as text.
     */
    static String neutralise(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        char c = s.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + s : s;
    }
}
