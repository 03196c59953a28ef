package io.tiercube.jobs;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands: says so plainly instead of pretending. */
@Command(name = "generate", description = "(not built yet)")
final class GenerateCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("tiercube generate: not built yet");
        return ExitCodes.USAGE;
    }
}
