package io.tiercube.engine.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Earlier months' spend read from their stored sums while the month's usage files are unchanged. */
class CustomerMonthsTest {

    static final YearMonth SEP = YearMonth.of(2026, 9);
    static final YearMonth OCT = YearMonth.of(2026, 10);

    @TempDir
    Path dir;
    Fixture fx;
    Backend duck;

    @BeforeEach
    void warehouse() {
        fx = new Fixture(dir);
        fx.customer("c1", "Chengdu", LocalDate.of(2019, 1, 1), "0").monthly("c1", "100.00", SEP).monthly("c1", "50.00", OCT);
        fx.write();
        duck = Engine.DUCKDB.open(Engine.Options.defaults());
        fx.wh.registerViews(duck);
    }

    @AfterEach
    void close() {
        duck.close();
    }

    Object previousMonthSpend() {
        Profiles.build(duck, fx.wh, SegmentSettings.defaults(), OCT);
        return duck.query("SELECT spend_m1 FROM profiles WHERE month = '2026-10' AND customer_id = 'c1'").scalar();
    }

    @Test
    void earlierMonthIsReadFromItsStoredSumsUntilItsUsageChanges() throws Exception {
        assertEquals(new BigDecimal("100.00"), previousMonthSpend(), "first build: September summed from the facts");
        Path stored = CustomerMonths.partition(fx.wh, SEP);
        assertTrue(CustomerMonths.current(fx.wh, SEP));
        assertTrue(Files.isRegularFile(CustomerMonths.partition(fx.wh, OCT).resolve(CustomerMonths.MANIFEST)));

        // A stored figure that differs from the facts shows which one the next build reads.
        Path part = stored.resolve("part-0.parquet");
        duck.writeParquet("SELECT * REPLACE (CAST(999 AS DECIMAL(18,2)) AS spend) FROM read_parquet('" + part + "')",
                dir.resolve("tampered"), List.of());
        Files.move(dir.resolve("tampered/part-0.parquet"), part, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(new BigDecimal("999.00"), previousMonthSpend(), "unchanged usage: the stored sums are read");

        try (Stream<Path> s = Files.walk(fx.wh.monthPartition("usage", SEP))) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 60_000));
            }
        }
        assertEquals(new BigDecimal("100.00"), previousMonthSpend(), "a changed usage file: summed from the facts again");
        assertTrue(CustomerMonths.current(fx.wh, SEP), "and stored again");
    }
}
