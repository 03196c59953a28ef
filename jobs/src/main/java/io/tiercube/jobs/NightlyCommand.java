package io.tiercube.jobs;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "nightly", description = "(being built)")
final class NightlyCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return ExitCodes.USAGE;
    }
}
