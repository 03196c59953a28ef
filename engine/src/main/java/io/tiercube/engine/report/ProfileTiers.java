package io.tiercube.engine.report;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.segment.TierPolicy;
import io.tiercube.engine.segment.Tiers;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
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
        Table m = b.query("SELECT previous_tier AS from_tier, tier AS to_tier, count(*) AS n FROM rpt_tier_now GROUP BY previous_tier, tier"
                + (prevProfile ? " UNION ALL SELECT p.tier AS from_tier, CAST(NULL AS STRING) AS to_tier, count(*) AS n FROM rpt_tier_prev p"
                + " LEFT JOIN rpt_tier_now t ON t.customer_id = p.customer_id WHERE t.customer_id IS NULL GROUP BY p.tier" : ""));
        return Optional.of(Tiers.fromCounts(policy, month, t, m, prevProfile ? "profile" : "raw"));
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
