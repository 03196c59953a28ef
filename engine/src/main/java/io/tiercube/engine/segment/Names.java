package io.tiercube.engine.segment;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Name checks and "did you mean" hints. */
final class Names {

    private Names() {
    }

    /** The closest candidate within a small edit distance, if any. */
    static Optional<String> closest(String word, Collection<String> candidates) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        String w = word.toLowerCase(Locale.ROOT);
        for (String c : candidates) {
            int d = distance(w, c.toLowerCase(Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best != null && bestD <= Math.max(2, word.length() / 3) ? Optional.of(best) : Optional.empty();
    }

    static int distance(String a, String b) {
        return io.tiercube.engine.Spelling.distance(a, b);
    }

    /**
     * Whether a value (a region name, a tier name, a filter value) is safe to inline in generated SQL as
     * a quoted literal: letters (any script), digits, space, dot, underscore and hyphen only.
     */
    static boolean isPlainValue(String s) {
        return s != null && !s.isEmpty() && s.length() <= 100 && s.matches("[\\p{L}\\p{N} ._-]+");
    }
}
