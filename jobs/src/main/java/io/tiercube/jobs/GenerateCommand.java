package io.tiercube.jobs;

import io.tiercube.engine.UserError;
import io.tiercube.engine.generate.DataGenerator;
import io.tiercube.engine.generate.GeneratorSettings;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Writes realistic, deterministic sample data in the input contract (customers, daily usage, complaints). */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Writes realistic, deterministic telecom data in the input contract (docs/input-format.md):",
            "DIR/customers.csv.gz, DIR/usage/YYYY-MM-DD.csv.gz (one file per day), DIR/complaints.csv.gz, and",
            "DIR/_generated.json (the settings and every planted bad row: file, line, field, expected reject reason).",
            "Sichuan regions, long-tailed spend, churners declining before they close, one-off spikes, complaints.",
            "The same options give byte-identical files. See sample-data/README.md for the planted patterns."})
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--customers", required = true, paramLabel = "N", description = "Number of customers (1 … 50000000).")
    int customers;

    @Option(names = "--months", required = true, paramLabel = "M", description = "Months of usage ending at --end (1 … 36).")
    int months;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created if missing).")
    Path out;

    @Option(names = "--seed", defaultValue = "7", paramLabel = "S",
            description = "Pseudo-random seed (default: ${DEFAULT-VALUE}); same seed, same bytes.")
    long seed;

    @Option(names = "--bad-rows", defaultValue = "0.002", paramLabel = "RATE",
            description = {"Fraction of extra, deliberately broken usage rows, 0 … 0.2 (default: ${DEFAULT-VALUE});",
                "customers and complaints get a handful. 0 writes clean data."})
    double badRows;

    @Option(names = "--end", defaultValue = "2026-10-31", paramLabel = "DATE",
            description = "Last day of usage, YYYY-MM-DD (default: ${DEFAULT-VALUE}). At a month end, whole months are written.")
    LocalDate end;

    @Option(names = "--format", defaultValue = "csv", paramLabel = "csv|parquet",
            description = {"csv (gzipped, the operator drop) or parquet (same columns, all text; for benchmarks)",
                "(default: ${DEFAULT-VALUE}). Parquet cannot hold the wrong_column_count and encoding defects."})
    String format;

    @Option(names = "--events-per-day", defaultValue = "3.3", paramLabel = "E",
            description = {"Mean usage records per active customer and day besides the monthly plan fee",
                "(default: ${DEFAULT-VALUE}, about 100 per customer and month). The bundled sample uses 1.0."})
    double eventsPerDay;

    @Option(names = "--replace", description = "Overwrite files a previous generate wrote in DIR (other files are kept).")
    boolean replace;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        GeneratorSettings settings;
        try {
            settings = new GeneratorSettings(customers, months, end, seed, badRows, GeneratorSettings.Format.parse(format),
                    eventsPerDay);
        } catch (UserError e) {
            // a bad option value is a command-line mistake: exit 2 like picocli's own checks
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ProgressBar[] bar = new ProgressBar[1];
        DataGenerator.Result r;
        try {
            r = DataGenerator.generate(settings, out, replace, (file, done, total) -> {
                if (bar[0] == null) {
                    bar[0] = progressBar(total);
                }
                bar[0].stepTo(done);
                bar[0].setExtraMessage(file);
            });
        } finally {
            if (bar[0] != null) {
                bar[0].close();
            }
        }
        System.out.printf(Locale.ROOT, "generated %s: %,d customers, %,d usage rows in %d day files, %,d complaints,"
                + " %,d planted bad rows (listed in _generated.json) in %.1f s%n", r.out(), r.customers(), r.usageRows(),
                r.files() - 2, r.complaints(), r.badRows(), r.seconds());
        return ExitCodes.OK;
    }

    /** A bar on a terminal; one plain log line every 10 s otherwise. */
    private static ProgressBar progressBar(int total) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName("generate").setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500);
        if (System.console() == null) {
            b.setConsumer(new DelegatingProgressBarConsumer(System.err::println)).setUpdateIntervalMillis(10_000);
        }
        return b.build();
    }
}
