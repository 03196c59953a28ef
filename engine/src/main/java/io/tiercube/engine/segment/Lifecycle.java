package io.tiercube.engine.segment;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.Warehouse;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lifecycle stages A-E of a month (from its profile partition) and the transitions since the month
 * before (from both profile partitions). The stage rules themselves are in
 * {@link SegmentSettings.LifecycleRules} and are applied when the profile is built.
 */
public final class Lifecycle {

    private Lifecycle() {
    }

    /**
     * Customers moving between stages.
     *
     * @param from last month's stage, or null for customers not in last month's profile
     * @param to this month's stage, or null for customers not in this month's profile (they exited before)
     */
    public record Transition(String from, String to, long customers) {
    }

    /**
     * @param counts customers per stage A-E (all five keys, zero when empty)
     * @param transitions empty when last month has no profile
     * @param previousAvailable whether last month's profile exists
     */
    public record LifecycleSummary(YearMonth month, Map<String, Long> counts, List<Transition> transitions, boolean previousAvailable) {
    }

    public static LifecycleSummary summary(Backend b, Warehouse wh, YearMonth month) {
        if (!b.registerParquet("seg_life_now", wh.monthPartition("profiles", month))) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no profiles for " + month + ": run 'tiercube segment build --month " + month + "' first");
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        Profiles.STAGES.keySet().forEach(s -> counts.put(s, 0L));
        Table t = b.query("SELECT lifecycle_stage, count(*) AS n FROM seg_life_now GROUP BY lifecycle_stage");
        for (int i = 0; i < t.size(); i++) {
            counts.put(t.getString(i, "lifecycle_stage"), t.getLong(i, "n"));
        }
        boolean prev = b.registerParquet("seg_life_prev", wh.monthPartition("profiles", month.minusMonths(1)));
        List<Transition> transitions = new ArrayList<>();
        if (prev) {
            Table m = b.query("SELECT p.lifecycle_stage AS from_stage, c.lifecycle_stage AS to_stage, count(*) AS n"
                    + " FROM seg_life_now c LEFT JOIN seg_life_prev p ON p.customer_id = c.customer_id"
                    + " GROUP BY p.lifecycle_stage, c.lifecycle_stage"
                    + " UNION ALL SELECT p.lifecycle_stage AS from_stage, CAST(NULL AS STRING) AS to_stage, count(*) AS n"
                    + " FROM seg_life_prev p LEFT JOIN seg_life_now c ON c.customer_id = p.customer_id WHERE c.customer_id IS NULL"
                    + " GROUP BY p.lifecycle_stage");
            for (int i = 0; i < m.size(); i++) {
                transitions.add(new Transition(m.getString(i, "from_stage"), m.getString(i, "to_stage"), m.getLong(i, "n")));
            }
            transitions.sort(java.util.Comparator.comparing((Transition x) -> x.from() == null ? "" : x.from())
                    .thenComparing(x -> x.to() == null ? "~" : x.to()));
        }
        return new LifecycleSummary(month, counts, List.copyOf(transitions), prev);
    }
}
