package io.tiercube.jobs;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands: says so plainly instead of pretending. */
@Command(name = "report", description = "(not built yet)")
final class ReportCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("tiercube report: not built yet");
        return ExitCodes.USAGE;
    }
}
