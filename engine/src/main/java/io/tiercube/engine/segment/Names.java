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
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /**
     * Whether a value (a region name, a tier name, a filter value) is safe to inline in generated SQL as
     * a quoted literal: letters (any script), digits, space, dot, underscore and hyphen only.
     */
    static boolean isPlainValue(String s) {
        return s != null && !s.isEmpty() && s.length() <= 100 && s.matches("[\\p{L}\\p{N} ._-]+");
    }
}
