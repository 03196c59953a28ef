package io.tiercube.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.segment.LongTail;
import io.tiercube.engine.warehouse.Warehouse;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.YearMonth;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The long tail from profiles and cube cells equals LongTail.compute over the facts; without them it is not used. */
class ReportLongTailTest {

    static final YearMonth OCT = YearMonth.of(2026, 10);

    @TempDir
    Path tmp;

    @Test
    void longTailFromProfilesAndCubeEqualsTheOneFromUsageAndNeedsBothCurrent() throws Exception {
        Warehouse wh = ReportFixture.build(tmp.resolve("wh"));
        ObjectMapper json = new ObjectMapper();
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            wh.registerViews(duck);
            ReportFixture.profiles(duck, wh);
            assertTrue(longTail(duck, wh).isEmpty(), "no cube yet");
            ReportFixture.cube(duck, wh);
            LongTail.LongTailReport facts = LongTail.compute(duck, wh, OCT, null);
            Optional<LongTail.LongTailReport> fast = longTail(duck, wh);
            assertTrue(fast.isPresent());
            assertEquals(json.writeValueAsString(facts.toMap()), json.writeValueAsString(fast.get().toMap()));
            // By hand: October's customers c1 42.50, c2 20.00, c3 7.25 (c4 left in September); products
            // voice-x 30.00, data-x 32.50, subscription-x 7.25. September: 4 customers, 3 products.
            assertEquals(3, fast.get().customers().current().n());
            assertEquals(new BigDecimal("69.75"), fast.get().customers().current().revenue());
            assertEquals(3, fast.get().products().current().n());
            assertEquals(4, fast.get().customers().previous().n());
            assertEquals(3, fast.get().products().previous().n());

            // The customers snapshot rewritten after the profiles (the cube only records its name): the
            // profiles may be stale, so the facts answer.
            long built;
            try (Stream<Path> s = Files.walk(wh.monthPartition("profiles", OCT))) {
                built = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().lastModified()).min().orElseThrow();
            }
            try (Stream<Path> s = Files.walk(wh.latestCustomersSnapshot().orElseThrow())) {
                for (Path f : s.filter(Files::isRegularFile).toList()) {
                    Files.setLastModifiedTime(f, FileTime.fromMillis(built + 1));
                }
            }
            assertTrue(longTail(duck, wh).isEmpty());
        }
    }

    private static Optional<LongTail.LongTailReport> longTail(Backend duck, Warehouse wh) {
        wh.registerViews(duck);
        ReportQueries q = new ReportQueries(duck, wh, wh.registerViews(duck));
        return new ReportLongTail(duck, wh, q.cube(), m -> q.rowsIn(OCT, m)).compute(OCT);
    }
}
