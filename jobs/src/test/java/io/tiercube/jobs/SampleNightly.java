package io.tiercube.jobs;

import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Path;

/**
 * The one nightly over sample-data/ that the failsafe ITs share (they run in one JVM): a fresh
 * warehouse, so what the ITs check is what this build writes, and what the run printed.
 */
final class SampleNightly {

    static final Path DATA = Path.of("../sample-data").toAbsolutePath().normalize();
    static final Path WH = Path.of("target/sample-acceptance-wh").toAbsolutePath();
    private static CliRun run;

    private SampleNightly() {
    }

    /** Runs the nightly on the first call; later calls return that run's exit code and output. */
    static synchronized CliRun run() {
        if (run == null) {
            try {
                Warehouse.deleteTree(WH);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            run = CliRun.of("nightly", "--data", DATA.toString(), "--warehouse", WH.toString());
        }
        return run;
    }
}
