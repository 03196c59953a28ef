package io.tiercube.jobs;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands: says so plainly instead of pretending. */
@Command(name = "cube", description = "(not built yet)")
final class CubeCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("tiercube cube: not built yet");
        return ExitCodes.USAGE;
    }
}
