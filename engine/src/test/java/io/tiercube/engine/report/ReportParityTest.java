package io.tiercube.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of one warehouse is the same, byte for byte, whichever engine computed it. */
class ReportParityTest {

    @TempDir
    Path tmp;

    @Test
    void duckDbAndSparkWriteIdenticalReports() throws Exception {
        assertSameReports(false);
    }

    /** Also when the sections read the cube's cells and the profiles (built once, by DuckDB). */
    @Test
    void duckDbAndSparkWriteIdenticalReportsFromCubeAndProfiles() throws Exception {
        assertSameReports(true);
    }

    private void assertSameReports(boolean withCubeAndProfiles) throws Exception {
        Warehouse wh = ReportFixture.build(tmp.resolve("wh"));
        YearMonth oct = YearMonth.of(2026, 10);
        ReportResult duck;
        ReportResult spark;
        try (Backend b = Engine.DUCKDB.open(Engine.Options.defaults())) {
            if (withCubeAndProfiles) {
                ReportFixture.profiles(b, wh);
                ReportFixture.cube(b, wh);
            }
            duck = Report.write(b, wh, oct, tmp.resolve("duck"));
        }
        try (Backend b = Engine.SPARK.open(Engine.Options.defaults())) {
            spark = Report.write(b, wh, oct, tmp.resolve("spark"));
        }
        assertEquals(Files.readString(duck.summaryJson()), Files.readString(spark.summaryJson()));
        assertEquals(Files.readString(duck.markdown()), Files.readString(spark.markdown()));
        assertEquals(Files.readString(duck.html()), Files.readString(spark.html()));
        assertEquals(duck.summary(), spark.summary());
    }
}
