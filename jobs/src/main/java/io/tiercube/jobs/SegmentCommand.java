package io.tiercube.jobs;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands: says so plainly instead of pretending. */
@Command(name = "segment", description = "(not built yet)")
final class SegmentCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("tiercube segment: not built yet");
        return ExitCodes.USAGE;
    }
}
