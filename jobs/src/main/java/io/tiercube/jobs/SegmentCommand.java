package io.tiercube.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.segment.Lifecycle;
import io.tiercube.engine.segment.NamedSegments;
import io.tiercube.engine.segment.Profiles;
import io.tiercube.engine.segment.SegmentExport;
import io.tiercube.engine.segment.SegmentSettings;
import io.tiercube.engine.segment.TierPolicy;
import io.tiercube.engine.warehouse.RunManifest;
import io.tiercube.engine.warehouse.Warehouse;
import io.tiercube.engine.warehouse.WriterLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Customer profiles, lifecycle stages and segment exports. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = {"Customer profiles (the single customer view), lifecycle stages and segment exports.",
            "Run 'tiercube segment build' first: lifecycle and export read the profiles it writes."},
        subcommands = {SegmentCommand.Build.class, SegmentCommand.LifecycleCmd.class, SegmentCommand.Export.class})
final class SegmentCommand implements Callable<Integer> {

    static final String DEFAULT_SETTINGS = "sample-data/tiercube.yaml";
    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return ExitCodes.USAGE;
    }

    /** Loads the settings; the default file may be missing (built-in defaults), a named one may not. */
    static SegmentSettings settings(Path file, String policy) {
        SegmentSettings s;
        if (file.toString().equals(DEFAULT_SETTINGS) && !Files.exists(file)) {
            s = SegmentSettings.defaults();
        } else if (!Files.exists(file)) {
            throw new UserError(UserError.Kind.BAD_CONFIG, "settings file " + file + " does not exist");
        } else {
            s = SegmentSettings.load(file);
        }
        return policy == null ? s : s.withPolicy(TierPolicy.resolve(policy, Path.of("")));
    }

    static void printJson(Object o) {
        try {
            System.out.println(JSON.writeValueAsString(o));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Builds warehouse/profiles/month=YYYY-MM/: one row per customer on the network in the month",
                "(background, tenure, spend per service for 6 months, ARPU 1/3/6 months mean and median, spike flag,",
                "trend, lifecycle stage A-E, tier and previous tier, churn score when churn_scores exist).",
                "Replaces the month's partition atomically; takes the warehouse's writer lock.",
                "Prints customers per tier and per lifecycle stage."})
    static final class Build implements Callable<Integer> {

        @Mixin
        WarehouseOptions wh;

        @Option(names = "--month", required = true, paramLabel = "YYYY-MM", description = "The month to build.")
        YearMonth month;

        @Option(names = "--settings", defaultValue = DEFAULT_SETTINGS, paramLabel = "FILE",
                description = "Settings (tier_policy, spike, lifecycle) (default: ${DEFAULT-VALUE}; built-in defaults when that file is missing).")
        Path settings;

        @Option(names = "--policy", paramLabel = "NAME|FILE",
                description = "Tier policy overriding the settings' tier_policy: a preset (telecom-sichuan, mobile-sichuan, unicom-yibin) or a YAML file.")
        String policy;

        @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
        TableOutput.Format format;

        @Override
        public Integer call() {
            SegmentSettings s = settings(settings, policy);
            Warehouse w = wh.warehouse();
            String cmd = "segment build --month " + month;
            RunManifest m = new RunManifest(cmd, wh.engineKind().id());
            try (WriterLock lock = WriterLock.acquire(w, cmd)) {
                try (Backend b = wh.openWithViews()) {
                    Profiles.ProfileBuildResult r = m.step("profiles", () -> Profiles.build(b, w, s, month));
                    m.notes.put("policy", r.policy());
                    m.notes.put("profiles", r.rows());
                    m.notes.put("previous_tier_source", r.previousTierSource());
                    m.notes.put("churn_joined", r.churnJoined());
                    m.finish(true, null);
                    m.save(w);
                    if (format == TableOutput.Format.json) {
                        printJson(r);
                    } else {
                        if (format == TableOutput.Format.table) {
                            System.out.println("profiles " + month + ": " + r.rows() + " customers -> " + r.partition());
                            System.out.println("tier policy " + r.policy() + " (last month's tiers from: " + r.previousTierSource()
                                    + "); churn scores " + (r.churnJoined() ? "joined" : "not found for " + month) + "; run " + m.runId);
                        }
                        List<List<Object>> rows = new ArrayList<>();
                        r.tierCounts().forEach((k, v) -> rows.add(List.of("tier", k, v)));
                        r.stageCounts().forEach((k, v) -> rows.add(List.of("lifecycle", k + " " + Profiles.STAGES.get(k), v)));
                        TableOutput.print(new Table(List.of("kind", "value", "customers"), rows), format, System.out);
                    }
                } catch (RuntimeException e) {
                    m.finish(false, e.getMessage());
                    m.save(w);
                    throw e;
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "lifecycle", mixinStandardHelpOptions = true,
            description = {"Customers per lifecycle stage (A acquisition, B build-up, C climax, D decline, E exit) in a month,",
                "and the transitions from the month before, read from the profiles 'segment build' wrote.",
                "Transitions: 'from' is empty for customers new this month, 'to' is empty for customers gone since."})
    static final class LifecycleCmd implements Callable<Integer> {

        @Mixin
        WarehouseOptions wh;

        @Option(names = "--month", required = true, paramLabel = "YYYY-MM", description = "The month.")
        YearMonth month;

        @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
        TableOutput.Format format;

        @Override
        public Integer call() {
            try (Backend b = wh.openWithViews()) {
                Lifecycle.LifecycleSummary s = Lifecycle.summary(b, wh.warehouse(), month);
                if (format == TableOutput.Format.json) {
                    printJson(s);
                    return ExitCodes.OK;
                }
                List<List<Object>> rows = new ArrayList<>();
                long total = s.counts().values().stream().mapToLong(Long::longValue).sum();
                for (Map.Entry<String, Long> e : s.counts().entrySet()) {
                    rows.add(List.of(e.getKey(), Profiles.STAGES.get(e.getKey()), e.getValue(), total == 0 ? 0.0 : (double) e.getValue() / total));
                }
                TableOutput.print(new Table(List.of("stage", "name", "customers", "share"), rows), format, System.out);
                if (format == TableOutput.Format.table) {
                    System.out.println();
                    if (!s.previousAvailable()) {
                        System.out.println("no profiles for " + month.minusMonths(1) + ": no transitions");
                        return ExitCodes.OK;
                    }
                    System.out.println("transitions " + month.minusMonths(1) + " -> " + month + ":");
                }
                List<List<Object>> tr = new ArrayList<>();
                for (Lifecycle.Transition t : s.transitions()) {
                    List<Object> r = new ArrayList<>();
                    r.add(t.from() == null ? "(new)" : t.from());
                    r.add(t.to() == null ? "(gone)" : t.to());
                    r.add(t.customers());
                    tr.add(r);
                }
                if (format == TableOutput.Format.table) {
                    TableOutput.print(new Table(List.of("from", "to", "customers"), tr), format, System.out);
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Exports the customers of a segment of one month's profiles as CSV (UTF-8) or Excel (.xlsx),",
                "ordered by customer_id, with FILE.json beside it (filter, month, rows, run id).",
                "msisdn, name and birth date are masked (138****1234, 张*, 1985-**-**) unless --include-pii, which is",
                "recorded in the run manifest. Text cells starting with = + - @ get a leading apostrophe.",
                "Filter terms (all must hold): tier=gold,diamond lifecycle=D region.city=Chengdu churn_band=high",
                "plan=p1 segment=… channel.type=… previous_tier=… status=… spike=true, != for 'none of',",
                "numbers: arpu_1m arpu_3m_mean arpu_3m_median arpu_6m_mean arpu_6m_median tenure_months plan_fee",
                "spend_m0 tier_metric churn_score trend_slope usage_events_m0 with = != > >= < <=."})
    static final class Export implements Callable<Integer> {

        @Mixin
        WarehouseOptions wh;

        @Option(names = "--month", required = true, paramLabel = "YYYY-MM", description = "The month's profiles to export.")
        YearMonth month;

        @Option(names = "--filter", paramLabel = "TERMS", description = "Ad-hoc filter, e.g. \"tier=gold,diamond lifecycle=D region.city=Chengdu\".")
        String filter;

        @Option(names = "--segment", paramLabel = "NAME", description = "A named segment from --segments instead of --filter.")
        String segment;

        @Option(names = "--segments", defaultValue = "sample-data/segments.yaml", paramLabel = "FILE",
                description = "Named segments file (default: ${DEFAULT-VALUE}).")
        Path segments;

        @Option(names = "--out", paramLabel = "FILE.csv|FILE.xlsx",
                description = {"Output file. A relative path may not contain '..'; give an absolute path to write elsewhere.",
                    "Default: <warehouse>/exports/<segment>-<month>.csv."})
        String out;

        @Option(names = "--include-pii", description = "Export msisdn, name and birth date unmasked (recorded in the run manifest).")
        boolean includePii;

        @Option(names = "--excel-bom", description = "Start a CSV with a UTF-8 byte-order mark so Excel shows Chinese text correctly.")
        boolean excelBom;

        @Override
        public Integer call() {
            if (filter != null && segment != null) {
                throw new UserError(UserError.Kind.BAD_QUERY, "give --filter or --segment, not both");
            }
            String f = filter == null ? "" : filter;
            if (segment != null) {
                f = NamedSegments.get(segments, segment).filter();
            }
            Warehouse w = wh.warehouse();
            Path file = out != null ? SegmentExport.resolveOut(out, Path.of(""))
                    : w.root().resolve("exports").resolve((segment == null ? "segment" : segment) + "-" + month + ".csv");
            String cmd = "segment export --month " + month + (segment != null ? " --segment " + segment : " --filter " + f);
            RunManifest m = new RunManifest(cmd, wh.engineKind().id());
            m.notes.put("include_pii", includePii);
            m.notes.put("filter", f);
            m.notes.put("segment", segment);
            m.notes.put("out", file.toString());
            try (Backend b = wh.openWithViews()) {
                String ff = f;
                SegmentExport.ExportResult r = m.step("export", () -> SegmentExport.export(b, w,
                        new SegmentExport.ExportRequest(month, segment, ff, file, includePii, excelBom, m.runId)));
                m.notes.put("rows", r.rows());
                m.finish(true, null);
                m.save(w);
                System.out.println("wrote " + r.rows() + " customers to " + r.file() + " (" + (includePii ? "PII INCLUDED" : "PII masked")
                        + "); details in " + r.sidecar() + "; run " + m.runId);
            } catch (RuntimeException e) {
                m.finish(false, e.getMessage());
                m.save(w);
                throw e;
            }
            return ExitCodes.OK;
        }
    }
}
