package io.tiercube.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.segment.SegmentSettings;
import io.tiercube.engine.segment.TierPolicy;
import io.tiercube.engine.segment.Tiers;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.YearMonth;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tier section read from a current profile equals the one recomputed from usage; a stale profile is not read. */
class ProfileTiersTest {

    static final YearMonth OCT = YearMonth.of(2026, 10);

    @TempDir
    Path tmp;

    @Test
    void tiersFromACurrentProfileEqualTiersFromUsageAndAStaleProfileIsNotRead() throws IOException {
        Warehouse wh = ReportFixture.build(tmp.resolve("wh"));
        TierPolicy policy = SegmentSettings.defaults().policy();
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            wh.registerViews(duck);
            assertTrue(ProfileTiers.report(duck, wh, policy, OCT).isEmpty(), "no profile yet");
            ReportFixture.profiles(duck, wh);
            Tiers.TierReport fromUsage = Tiers.report(duck, wh, policy, OCT);
            Optional<Tiers.TierReport> fromProfile = ProfileTiers.report(duck, wh, policy, OCT);
            assertTrue(fromProfile.isPresent());
            assertEquals(fromUsage, fromProfile.get());
            // By hand: c1, c2, c3 on the network in October (c4 closed in September), 69.75 spent.
            assertEquals(3, fromProfile.get().customers());
            assertEquals(new BigDecimal("69.75"), fromProfile.get().revenue());
            assertEquals(3, fromProfile.get().movements().stream().filter(m -> m.to() != null).mapToLong(Tiers.Movement::customers).sum());

            // Usage of October touched after the profile was built: the profile may be stale.
            long built;
            try (Stream<Path> files = Files.walk(wh.monthPartition("profiles", OCT))) {
                built = files.filter(Files::isRegularFile).mapToLong(ProfileTiersTest::modified).min().orElseThrow();
            }
            try (Stream<Path> files = Files.walk(wh.monthPartition("usage", OCT))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.setLastModifiedTime(f, FileTime.fromMillis(built + 1));
                }
            }
            assertTrue(ProfileTiers.report(duck, wh, policy, OCT).isEmpty(), "inputs newer than the profile");

            // Rebuilt: current again, unless last month's profile (needed for last month's tiers) is gone.
            ReportFixture.profiles(duck, wh);
            assertTrue(ProfileTiers.report(duck, wh, policy, OCT).isPresent());
            Warehouse.deleteTree(wh.monthPartition("profiles", OCT.minusMonths(1)));
            assertTrue(ProfileTiers.report(duck, wh, policy, OCT).isEmpty(), "September has usage but no profile");
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
