package io.tiercube.jobs;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tiercube} command: one subcommand per job. Exit codes are listed in {@link ExitCodes}. */
@Command(name = "tiercube",
        mixinStandardHelpOptions = true,
        version = "tiercube 0.1.0",
        description = "OLAP cubes, VIP tiers, churn risk and reports over telecom usage records.",
        subcommands = {
            NightlyCommand.class,
            IngestCommand.class,
            SqlCommand.class,
            GenerateCommand.class,
            CubeCommand.class,
            DrillCommand.class,
            ExplainCommand.class,
            SegmentCommand.class,
            TiersCommand.class,
            LongtailCommand.class,
            ChurnCommand.class,
            ReportCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:internal error (a bug: please report it with the log)",
            "2:bad command line",
            "3:data quality: too many rejected rows",
            "4:the warehouse is locked by another run",
            "5:bad input file (missing, wrong header, wrong encoding)",
            "6:bad configuration (cube model, tier policy, model file)",
            "7:bad query or filter",
            "8:not found (no data for the month asked)"
        })
public final class Tiercube {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI in process and returns the exit code (used by tests). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Tiercube());
        cl.setExecutionExceptionHandler(ExitCodes::handle);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl.execute(args);
    }
}
