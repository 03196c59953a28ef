package io.tiercube.engine.cube;

import java.util.Collection;

/** Closest-name suggestions for error messages ("did you mean 'city'?"). */
final class Names {

    private Names() {
    }

    /** The candidate closest to {@code wrong} by edit distance, or null when nothing is reasonably close. */
    static String closest(String wrong, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String w = wrong.toLowerCase(java.util.Locale.ROOT);
        for (String c : candidates) {
            String lc = c.toLowerCase(java.util.Locale.ROOT);
            int d = distance(w, lc);
            // A name that ends with what was typed ("city" for "region.city") is a strong hint too.
            if (lc.endsWith("." + w) || lc.startsWith(w + ".")) {
                d = Math.min(d, 1);
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        if (best == null) {
            return null;
        }
        int limit = Math.max(2, Math.max(w.length(), best.length()) / 2);
        return bestDistance <= limit ? best : null;
    }

    /** {@code " (did you mean 'x'?)"}, or a list of valid names when none is close. */
    static String hint(String wrong, Collection<String> candidates) {
        String c = closest(wrong, candidates);
        if (c != null) {
            return " (did you mean '" + c + "'?)";
        }
        return candidates.isEmpty() ? "" : " (valid: " + String.join(", ", candidates) + ")";
    }

    static int distance(String a, String b) {
        return io.tiercube.engine.Spelling.distance(a, b);
    }
}
