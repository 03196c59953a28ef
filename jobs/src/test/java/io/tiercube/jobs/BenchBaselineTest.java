package io.tiercube.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.cube.CubeBuild;
import io.tiercube.engine.cube.CubeModel;
import io.tiercube.engine.generate.DataGenerator;
import io.tiercube.engine.generate.GeneratorSettings;
import io.tiercube.engine.ingest.Ingestor;
import io.tiercube.engine.ingest.InputFolder;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's cube baseline computes the same cells as the build, so its ratio compares like with like. */
class BenchBaselineTest {

    @TempDir
    Path dir;

    @Test
    void naiveCubeSqlGivesTheBuildsCellsOnCleanData() {
        Path data = dir.resolve("data");
        DataGenerator.generate(GeneratorSettings.of(300, 1).withBadRowRate(0), data, true, null);
        InputFolder folder = new InputFolder(data);
        CubeModel model = CubeModel.load(SampleNightly.DATA.resolve("cubes/usage.yaml"));
        YearMonth month = YearMonth.from(folder.usageDays().lastKey());
        BenchBaseline baseline = new BenchBaseline(folder, dir.resolve("baseline"), null);
        baseline.ingestSeconds();
        Warehouse wh = new Warehouse(dir.resolve("wh"));
        try (Backend b = Engine.DUCKDB.open(Engine.Options.defaults())) {
            Ingestor ing = new Ingestor(b, wh, StandardCharsets.UTF_8, 1.0, "test");
            ing.customers(folder.customers(), folder.usageDays().lastKey());
            ing.usage(folder.usageDays());
            CubeBuild.build(b, wh, model, month);
            wh.registerViews(b);

            String naive = BenchBaseline.naiveCubeSql(model, dir.resolve("baseline/usage.parquet"), folder.customers().path());
            Table ours = b.query("SELECT count(*) AS cells, sum(m_users) AS users, sum(m_revenue) AS revenue, sum(m_events) AS events"
                    + " FROM cube_usage");
            Table theirs = b.query("SELECT count(*) AS cells, sum(m_users) AS users, sum(m_revenue) AS revenue, sum(m_events) AS events"
                    + " FROM (" + naive + ") n");
            assertEquals(ours.rows(), theirs.rows(), "cells, users, revenue and events over all 42 cuboids");
            assertEquals(model.cuboids().size(), b.query("SELECT count(DISTINCT cuboid_id) AS n FROM cube_usage").scalarLong());
        }
    }
}
