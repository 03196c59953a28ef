package io.tiercube.jobs;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands: says so plainly instead of pretending. */
@Command(name = "churn", description = "(not built yet)")
final class ChurnCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("tiercube churn: not built yet");
        return ExitCodes.USAGE;
    }
}
