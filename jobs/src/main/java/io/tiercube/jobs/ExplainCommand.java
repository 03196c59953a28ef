package io.tiercube.jobs;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands: says so plainly instead of pretending. */
@Command(name = "explain", description = "(not built yet)")
final class ExplainCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("tiercube explain: not built yet");
        return ExitCodes.USAGE;
    }
}
