package io.tiercube.engine.report;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.segment.TierPolicy;
import io.tiercube.engine.segment.Tiers;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The tier pyramid and movements of {@link Tiers#report} read from the month's profile instead of
 * recomputed from six months of usage: the profile build ran the same tier SQL and stored each
 * customer's tier, previous tier and month's spend, so a profile that is current gives the same
 * figures from 200 k rows instead of tens of millions.
 *
 * <p>Current means: rated by this very policy (same content hash on every row), and written after
 * every input of that SQL last changed (the usage files of its months and earlier, the customers
 * snapshot, last month's profile). Last month's tiers come from last month's profile when that was
 * rated by the same policy; otherwise they are raw tiers from usage, which only the facts give,
 * unless no usage precedes the month (then there are none). Anything else: empty, and the caller
 * runs {@link Tiers#report}.
 */
final class ProfileTiers {

    private ProfileTiers() {
    }

    static Optional<Tiers.TierReport> report(Backend b, Warehouse wh, TierPolicy policy, YearMonth month) {
        Path now = wh.monthPartition("profiles", month);
        Path prev = wh.monthPartition("profiles", month.minusMonths(1));
        Optional<Path> snapshot = wh.latestCustomersSnapshot();
        if (snapshot.isEmpty() || !Files.isDirectory(wh.monthPartition("usage", month)) || !b.registerParquet("rpt_tier_now", now)
                || !ratedBy(b, "rpt_tier_now", policy)) {
            return Optional.empty();
        }
        boolean prevProfile = b.registerParquet("rpt_tier_prev", prev) && ratedBy(b, "rpt_tier_prev", policy);
        List<Path> inputs = new ArrayList<>();
        boolean earlierUsage = false;
        for (YearMonth m : wh.usageMonths()) {
            if (!m.isAfter(month)) {
                inputs.add(wh.monthPartition("usage", m));
                earlierUsage |= m.isBefore(month);
            }
        }
        if (earlierUsage && !prevProfile) {
            return Optional.empty();
        }
        inputs.add(snapshot.get());
        if (prevProfile) {
            inputs.add(prev);
        }
        if (newestModified(inputs) >= oldestFile(now)) {
            return Optional.empty();
        }

        Table t = b.query("SELECT tier, count(*) AS n, sum(spend_m0) AS revenue FROM rpt_tier_now GROUP BY tier");
        // From here on as Tiers.report builds its result from seg_tiers and seg_base.
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, BigDecimal> revenue = new LinkedHashMap<>();
        for (String name : policy.tierNames()) {
            counts.put(name, new long[1]);
            revenue.put(name, BigDecimal.ZERO);
        }
        long total = 0;
        BigDecimal totalRevenue = BigDecimal.ZERO;
        for (int i = 0; i < t.size(); i++) {
            String name = t.getString(i, "tier");
            long n = t.getLong(i, "n");
            BigDecimal r = t.getDecimal(i, "revenue");
            r = r == null ? BigDecimal.ZERO : r;
            counts.computeIfAbsent(name, k -> new long[1])[0] += n;
            revenue.merge(name, r, BigDecimal::add);
            total += n;
            totalRevenue = totalRevenue.add(r);
        }
        List<Tiers.TierRow> pyramid = new ArrayList<>();
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long n = e.getValue()[0];
            BigDecimal r = revenue.get(e.getKey()).setScale(2, RoundingMode.UNNECESSARY);
            BigDecimal target = policy.tiers().stream().filter(x -> x.name().equals(e.getKey())).map(TierPolicy.Tier::targetPercent)
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            pyramid.add(new Tiers.TierRow(e.getKey(), n, total == 0 ? 0.0 : (double) n / total,
                    target == null ? null : target.doubleValue() / 100.0, r,
                    totalRevenue.signum() == 0 ? 0.0 : r.doubleValue() / totalRevenue.doubleValue(),
                    n == 0 ? null : r.divide(BigDecimal.valueOf(n), MathContext.DECIMAL64).doubleValue()));
        }

        Table m = b.query("SELECT previous_tier AS from_tier, tier AS to_tier, count(*) AS n FROM rpt_tier_now GROUP BY previous_tier, tier"
                + (prevProfile ? " UNION ALL SELECT p.tier AS from_tier, CAST(NULL AS STRING) AS to_tier, count(*) AS n FROM rpt_tier_prev p"
                + " LEFT JOIN rpt_tier_now t ON t.customer_id = p.customer_id WHERE t.customer_id IS NULL GROUP BY p.tier" : ""));
        List<Tiers.Movement> moves = new ArrayList<>();
        long up = 0;
        long down = 0;
        long held = 0;
        long entered = 0;
        long left = 0;
        for (int i = 0; i < m.size(); i++) {
            String from = m.getString(i, "from_tier");
            String to = m.getString(i, "to_tier");
            long n = m.getLong(i, "n");
            String kind;
            if (from == null) {
                kind = "new";
                entered += n;
            } else if (to == null) {
                kind = "left";
                left += n;
            } else {
                int c = Integer.compare(policy.rank(to), policy.rank(from));
                kind = c < 0 ? "upgrade" : c > 0 ? "downgrade" : "held";
                if (c < 0) {
                    up += n;
                } else if (c > 0) {
                    down += n;
                } else {
                    held += n;
                }
            }
            moves.add(new Tiers.Movement(from, to, n, kind));
        }
        moves.sort(java.util.Comparator.comparing((Tiers.Movement x) -> x.from() == null ? -1 : policy.rank(x.from()))
                .thenComparing(x -> x.to() == null ? Integer.MAX_VALUE : policy.rank(x.to())));
        return Optional.of(new Tiers.TierReport(month, policy.name(), total, totalRevenue.setScale(2, RoundingMode.UNNECESSARY), pyramid,
                List.copyOf(moves), up, down, held, entered, left, prevProfile ? "profile" : "raw"));
    }

    /** Every row of the profile was rated by this policy (a profile can hold no other, but a foreign file could). */
    private static boolean ratedBy(Backend b, String view, TierPolicy policy) {
        Table t = b.query("SELECT count(*) AS n, sum(CASE WHEN tier_policy_hash = ? THEN 1 ELSE 0 END) AS same FROM " + view, policy.hash());
        return t.getLong(0, "n") > 0 && t.getLong(0, "n") == t.getLong(0, "same");
    }

    /** Latest modification time of the paths and everything under them (directories too: a removed day changes its month's). */
    static long newestModified(List<Path> roots) {
        long max = Long.MIN_VALUE;
        for (Path root : roots) {
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.toList()) {
                    max = Math.max(max, Files.getLastModifiedTime(p).toMillis());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return max;
    }

    /** When the profile was written: the oldest of its data files. */
    static long oldestFile(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            long min = Long.MAX_VALUE;
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                min = Math.min(min, Files.getLastModifiedTime(p).toMillis());
            }
            return min;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
