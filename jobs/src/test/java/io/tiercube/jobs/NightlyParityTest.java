package io.tiercube.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nightly --engine spark} leaves the same warehouse contents as the DuckDB default. */
class NightlyParityTest {

    @TempDir
    Path tmp;

    @Test
    void sparkNightlyGivesTheSameWarehouseAsDuckDb() throws Exception {
        Path data = TestDrop.write(tmp.resolve("in"), 25, 4, 30);
        Path duck = tmp.resolve("duck");
        Path spark = tmp.resolve("spark");
        assertEquals(0, CliRun.of("nightly", "--data", data.toString(), "--warehouse", duck.toString()).exit());
        CliRun s = CliRun.of("nightly", "--data", data.toString(), "--warehouse", spark.toString(), "--engine", "spark");
        assertEquals(0, s.exit(), s.err());
        assertEquals(WarehouseContents.of(duck), WarehouseContents.of(spark));
    }
}
