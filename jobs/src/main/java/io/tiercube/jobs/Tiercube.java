package io.tiercube.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tiercube} command: one subcommand per job. Exit codes are listed in {@link ExitCodes}. */
@Command(name = "tiercube",
        mixinStandardHelpOptions = true,
        version = "tiercube 0.1.0",
        description = "OLAP cubes, VIP tiers, churn risk and reports over telecom usage records.",
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

    /** Subcommands in the order the help lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("nightly", NightlyCommand::new);
        COMMANDS.put("ingest", IngestCommand::new);
        COMMANDS.put("sql", SqlCommand::new);
        COMMANDS.put("generate", GenerateCommand::new);
        COMMANDS.put("cube", CubeCommand::new);
        COMMANDS.put("drill", DrillCommand::new);
        COMMANDS.put("explain", ExplainCommand::new);
        COMMANDS.put("segment", SegmentCommand::new);
        COMMANDS.put("tiers", TiersCommand::new);
        COMMANDS.put("longtail", LongtailCommand::new);
        COMMANDS.put("churn", ChurnCommand::new);
        COMMANDS.put("report", ReportCommand::new);
        COMMANDS.put("bench", BenchCommand::new);
        COMMANDS.put("help", CommandLine.HelpCommand::new);
        COMMANDS.put("warmup", WarmupCommand::new);
    }

    /** Runs the CLI in process and returns the exit code (used by tests). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Tiercube());
        // Picocli reflects over every registered command before parsing (a third of a second
        // for all thirteen); a drill needs only its own. Help and errors get the full list.
        Supplier<Object> only = args.length == 0 || "help".equals(args[0]) ? null : COMMANDS.get(args[0]);
        if (only != null) {
            cl.addSubcommand(args[0], only.get());
        } else {
            COMMANDS.forEach((name, command) -> cl.addSubcommand(name, command.get()));
        }
        cl.setExecutionExceptionHandler(ExitCodes::handle);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl.execute(args);
    }
}
