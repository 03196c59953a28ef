package io.tiercube.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.churn.ChurnJob;
import io.tiercube.engine.churn.ChurnModel;
import io.tiercube.engine.churn.Evaluation;
import io.tiercube.engine.warehouse.Warehouse;
import io.tiercube.engine.warehouse.WriterLock;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tiercube churn train|score|evaluate}: churn-risk scores with reasons, and an honest evaluation of them. */
@Command(name = "churn", mixinStandardHelpOptions = true,
        description = {"Churn risk: train a model, score customers, evaluate the model.",
            "Every customer gets a probability, a band and the reasons in words; the evaluation uses months or",
            "tables the model did not learn from. See docs/churn.md."},
        subcommands = {ChurnCommand.Train.class, ChurnCommand.Score.class, ChurnCommand.Evaluate.class})
final class ChurnCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return ExitCodes.USAGE;
    }

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT);

    static YearMonth month(String text, String option) {
        try {
            return YearMonth.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new UserError(UserError.Kind.BAD_QUERY, option + " '" + text + "': expected a month as YYYY-MM, e.g. 2026-08");
        }
    }

    static void printJson(Object value, PrintStream out) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Table metrics(Evaluation... evals) {
        List<String> cols = new ArrayList<>();
        cols.add("measure");
        for (Evaluation e : evals) {
            cols.add(evals.length == 1 ? "value" : e.description().startsWith("trained as of") ? "out_of_time" : e.description().split(" ")[0]);
        }
        String[] names = {"roc_auc", "pr_auc", "top_decile_precision", "top_decile_lift", "base_rate", "rows_train", "rows_test"};
        List<List<Object>> rows = new ArrayList<>();
        for (String n : names) {
            List<Object> r = new ArrayList<>();
            r.add(n);
            for (Evaluation e : evals) {
                r.add(switch (n) {
                    case "roc_auc" -> e.rocAuc();
                    case "pr_auc" -> e.prAuc();
                    case "top_decile_precision" -> e.topDecilePrecision();
                    case "top_decile_lift" -> e.topDecileLift();
                    case "base_rate" -> e.baseRate();
                    case "rows_train" -> (Object) e.rowsTrain();
                    default -> (Object) e.rowsTest();
                });
            }
            rows.add(r);
        }
        return new Table(cols, rows);
    }

    static void printEvaluation(Evaluation e, TableOutput.Format format, PrintStream out) {
        if (format == TableOutput.Format.json) {
            printJson(e, out);
            return;
        }
        if (format == TableOutput.Format.csv) {
            TableOutput.print(metrics(e), format, out);
            return;
        }
        out.println(e.description());
        out.println();
        TableOutput.print(metrics(e), format, out);
        out.println();
        out.println("Calibration: ten equal-size bins by score, lowest first");
        List<List<Object>> bins = new ArrayList<>();
        for (Evaluation.CalibrationBin b : e.calibration()) {
            bins.add(List.of((long) b.bin(), b.rows(), b.meanPredicted(), b.observedRate()));
        }
        TableOutput.print(new Table(List.of("bin", "rows", "mean_predicted", "observed_rate"), bins), format, out);
        out.println();
        out.println("Strongest coefficients (log-odds per standard deviation; positive raises the risk)");
        List<List<Object>> coef = new ArrayList<>();
        for (ChurnModel.Importance i : e.strongest()) {
            coef.add(List.of(i.feature(), i.weight()));
        }
        TableOutput.print(new Table(List.of("feature", "coefficient"), coef), format, out);
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Fits the churn model and writes <warehouse>/models/churn.json.",
                "Training rows: the customers active at the end of the --as-of month, labelled by whether they closed",
                "within --horizon months after it. L2 logistic regression, penalty chosen by 5-fold cross-validation."})
    static final class Train implements Callable<Integer> {

        @Mixin
        WarehouseOptions wh;

        @Option(names = "--as-of", paramLabel = "YYYY-MM",
                description = "Month whose customers and features train the model (default: the newest month whose labels are known,"
                        + " i.e. the last complete month minus the horizon).")
        String asOf;

        @Option(names = "--horizon", defaultValue = "2", paramLabel = "MONTHS",
                description = "Churn = closed within this many months after the as-of month, 1 to 12 (default: ${DEFAULT-VALUE}).")
        int horizon;

        @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
        TableOutput.Format format;

        @Override
        public Integer call() {
            Warehouse w = wh.warehouse();
            try (WriterLock lock = WriterLock.acquire(w, "churn train"); Backend b = wh.openWithViews()) {
                YearMonth m = asOf == null ? ChurnJob.latestTrainableMonth(b, w, horizon) : month(asOf, "--as-of");
                ChurnJob.TrainResult r = ChurnJob.train(b, w, m, horizon);
                if (format == TableOutput.Format.json) {
                    ObjectNode o = JSON.createObjectNode();
                    o.put("as_of", r.asOf().toString());
                    o.put("horizon", r.horizon());
                    o.put("rows", r.rows());
                    o.put("positives", r.positives());
                    o.put("l2_lambda", r.l2Lambda());
                    o.put("band_high", r.bandHigh());
                    o.put("band_medium", r.bandMedium());
                    o.putPOJO("training", r.training());
                    o.putPOJO("validation", r.validation());
                    o.putPOJO("out_of_time", r.outOfTime());
                    o.put("model_file", r.modelFile().toString());
                    printJson(o, System.out);
                    return ExitCodes.OK;
                }
                if (format == TableOutput.Format.table) {
                    System.out.printf("Trained as of %s (horizon %d months): %d customers, %d churners; L2 lambda %s (cross-validated)%n",
                            r.asOf(), r.horizon(), r.rows(), r.positives(), TableOutput.text(r.l2Lambda()));
                    System.out.printf("Bands: high >= %s, medium >= %s%nModel written to %s%n%n",
                            TableOutput.text(r.bandHigh()), TableOutput.text(r.bandMedium()), r.modelFile());
                }
                TableOutput.print(r.outOfTime() == null ? metrics(r.training(), r.validation())
                        : metrics(r.training(), r.validation(), r.outOfTime()), format, System.out);
                if (format == TableOutput.Format.table && r.outOfTime() != null) {
                    System.out.println("out-of-time: " + r.outOfTime().description());
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
            description = {"Scores every active customer of a month with the saved model.",
                "Each customer gets a probability, a band (high/medium/low) and the three reasons that raise the risk most.",
                "Writes <warehouse>/churn_scores/month=YYYY-MM/."})
    static final class Score implements Callable<Integer> {

        @Mixin
        WarehouseOptions wh;

        @Option(names = "--month", paramLabel = "YYYY-MM", description = "Month to score (default: the newest month with usage).")
        String month;

        @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
        TableOutput.Format format;

        @Override
        public Integer call() {
            Warehouse w = wh.warehouse();
            try (WriterLock lock = WriterLock.acquire(w, "churn score"); Backend b = wh.openWithViews()) {
                YearMonth m;
                if (month != null) {
                    m = month(month, "--month");
                } else {
                    List<YearMonth> months = ChurnJob.usageMonths(w);
                    if (months.isEmpty()) {
                        throw new UserError(UserError.Kind.NOT_FOUND, "no usage in the warehouse " + w.root() + ": ingest usage first");
                    }
                    m = months.get(months.size() - 1);
                }
                ChurnJob.ScoreResult r = ChurnJob.score(b, w, m);
                Table t = new Table(List.of("month", "band", "customers"), List.of(
                        List.of(m.toString(), "high", r.high()), List.of(m.toString(), "medium", r.medium()),
                        List.of(m.toString(), "low", r.low()), List.of(m.toString(), "all", r.customers())));
                if (format == TableOutput.Format.table) {
                    System.out.printf("Scored %d customers of %s with the model trained as of %s; written to %s%n%n",
                            r.customers(), m, r.modelAsOf(), r.partition());
                }
                TableOutput.print(t, format, System.out);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = {"Measures how well the model ranks customers it did not learn from.",
                "Prints ROC AUC, PR AUC, top-decile precision and lift, base rate, a 10-bin calibration table and the",
                "strongest coefficients.",
                "Either out of time on the warehouse (train as of --as-of, test as of the month after),",
                "or on any two CSV tables: --train A.csv --test B.csv --label COLUMN [--id COLUMN].",
                "Writes nothing to the warehouse."})
    static final class Evaluate implements Callable<Integer> {

        @Mixin
        WarehouseOptions wh;

        @Option(names = "--as-of", paramLabel = "YYYY-MM",
                description = "Training month of the out-of-time evaluation; the test month is the one after (default: the newest"
                        + " month for which the test month's labels are known).")
        String asOf;

        @Option(names = "--horizon", defaultValue = "2", paramLabel = "MONTHS",
                description = "Churn = closed within this many months after the as-of month (default: ${DEFAULT-VALUE}).")
        int horizon;

        @Option(names = "--train", paramLabel = "A.csv", description = "Training table (UTF-8 CSV with a header row) for a table evaluation.")
        Path train;

        @Option(names = "--test", paramLabel = "B.csv", description = "Test table with the same columns as --train.")
        Path test;

        @Option(names = "--label", paramLabel = "COLUMN",
                description = "The churn column of the tables: yes/no, true/false, y/n or 1/0 (any case).")
        String label;

        @Option(names = "--id", paramLabel = "COLUMN", description = "A column to leave out of the model, e.g. the customer id.")
        String id;

        @Option(names = "--json", paramLabel = "OUT", description = "Also write the results as JSON to this file.")
        Path jsonOut;

        @Option(names = "--format", defaultValue = "table", description = "table, csv or json on stdout (default: ${DEFAULT-VALUE}).")
        TableOutput.Format format;

        @Override
        public Integer call() {
            boolean tables = train != null || test != null || label != null || id != null;
            Evaluation e;
            if (tables) {
                if (asOf != null) {
                    throw new UserError(UserError.Kind.BAD_QUERY, "--as-of evaluates on the warehouse; --train/--test/--label on tables: give one or the other");
                }
                if (train == null || test == null || label == null) {
                    throw new UserError(UserError.Kind.BAD_QUERY, "a table evaluation needs --train A.csv --test B.csv --label COLUMN");
                }
                try (Backend b = wh.open()) {
                    e = ChurnJob.evaluateTables(b, train, test, label, id);
                }
            } else {
                Warehouse w = wh.warehouse();
                try (Backend b = wh.openWithViews()) {
                    YearMonth m = asOf != null ? month(asOf, "--as-of") : ChurnJob.latestTrainableMonth(b, w, horizon).minusMonths(1);
                    e = ChurnJob.evaluateOutOfTime(b, w, m, horizon);
                }
            }
            if (jsonOut != null) {
                Warehouse.writeJson(jsonOut, e);
            }
            printEvaluation(e, format, System.out);
            return ExitCodes.OK;
        }
    }
}
