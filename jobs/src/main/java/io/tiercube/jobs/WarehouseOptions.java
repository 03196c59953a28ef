package io.tiercube.jobs;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command that touches the warehouse shares (a picocli mixin). */
public final class WarehouseOptions {

    @Option(names = "--warehouse", defaultValue = "warehouse", description = "Warehouse directory (default: ${DEFAULT-VALUE}).")
    Path warehouse;

    @Option(names = "--engine", defaultValue = "duckdb", description = "Engine: duckdb or spark (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--master", defaultValue = "local[*]", description = "Spark master URL when --engine spark (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--memory-limit", description = "DuckDB memory limit, e.g. 8GB (default: 60%% of RAM).")
    String memoryLimit;

    public Warehouse warehouse() {
        return new Warehouse(warehouse);
    }

    public Engine engineKind() {
        return Engine.parse(engine);
    }

    /** Opens the engine with spill space inside the warehouse, so large months spill instead of failing. */
    public Backend open() {
        return engineKind().open(new Engine.Options(master, warehouse().root().resolve("_tmp"), memoryLimit));
    }

    /** Opens the engine with every warehouse dataset registered as a view. */
    public Backend openWithViews() {
        Backend b = open();
        try {
            warehouse().registerViews(b);
            return b;
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
    }
}
