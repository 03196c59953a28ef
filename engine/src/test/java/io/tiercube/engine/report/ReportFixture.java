package io.tiercube.engine.report;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.churn.ChurnJob;
import io.tiercube.engine.cube.CubeBuild;
import io.tiercube.engine.cube.CubeModel;
import io.tiercube.engine.segment.Profiles;
import io.tiercube.engine.segment.SegmentSettings;
import io.tiercube.engine.warehouse.RunManifest;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A hand-made warehouse of four customers over two months, small enough to compute every figure
 * by hand:
 *
 * <pre>
 * customer city     channel  closed       2026-09 usage             2026-10 usage
 * c1       Chengdu  store    -            voice 10.00               voice 30.00, data 12.50
 * c2       Mianyang online   -            data 20.00                data 20.00
 * c3       Chengdu  agent    2026-10-15   sms 5.00                  subscription 7.25
 * c4       Mianyang store    2026-09-20   voice 15.00               -
 * </pre>
 *
 * 2026-09: revenue 50.00, 4 active users, ARPU 12.50, 1 churned. 2026-10: revenue 69.75, 3 active
 * users, ARPU 23.25, 1 churned. Rejects: usage day 2026-10-02 has 2 bad_number and 1
 * unknown_customer. One succeeded nightly run is on record.
 */
final class ReportFixture {

    static final String CUSTOMER_COLUMNS = "customer_id, msisdn, name, gender, birth_date, occupation, income_band, education,"
            + " province, city, district, segment, join_date, plan_id, plan_fee, channel_type, channel, status, closed_date,"
            + " snapshot_date, src_file, src_line";
    static final String USAGE_COLUMNS = "record_id, customer_id, event_time, event_date, service, call_type, product, duration_s,"
            + " volume_mb, charge, other_party, src_file, src_line";

    private ReportFixture() {
    }

    static Warehouse build(Path root) {
        Warehouse wh = new Warehouse(root);
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            duck.writeParquet("SELECT * FROM (VALUES "
                    + customer("c1", "Chengdu", "store", null, 1) + ", "
                    + customer("c2", "Mianyang", "online", null, 2) + ", "
                    + customer("c3", "Chengdu", "agent", "2026-10-15", 3) + ", "
                    + customer("c4", "Mianyang", "store", "2026-09-20", 4)
                    + ") t(" + CUSTOMER_COLUMNS + ")", wh.customersSnapshot(LocalDate.of(2026, 10, 31)), List.of());
            Map<LocalDate, StringBuilder> days = new TreeMap<>();
            usage(days, "u1", "c1", "2026-09-03", "voice", "10.00");
            usage(days, "u2", "c2", "2026-09-03", "data", "20.00");
            usage(days, "u3", "c3", "2026-09-10", "sms", "5.00");
            usage(days, "u4", "c4", "2026-09-10", "voice", "15.00");
            usage(days, "u5", "c1", "2026-10-02", "voice", "30.00");
            usage(days, "u6", "c1", "2026-10-02", "data", "12.50");
            usage(days, "u7", "c2", "2026-10-05", "data", "20.00");
            usage(days, "u8", "c3", "2026-10-01", "subscription", "7.25");
            for (var e : days.entrySet()) {
                duck.writeParquet("SELECT * FROM (VALUES " + e.getValue() + ") t(" + USAGE_COLUMNS + ")", wh.usageDay(e.getKey()), List.of());
            }
        }
        Path rj = wh.rejects("usage", "day=2026-10-02").resolve("rejects.csv");
        try {
            Files.createDirectories(rj.getParent());
            Files.writeString(rj, "file,line,field,reason,raw,detail\n"
                    + "2026-10-02.csv,3,charge,bad_number,\"x1,c1,...\",not a number\n"
                    + "2026-10-02.csv,5,charge,bad_number,\"x2,c1,...\",not a number\n"
                    + "2026-10-02.csv,9,customer_id,unknown_customer,\"x3,c9,...\",\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RunManifest run = new RunManifest("nightly --date 2026-10-31", "duckdb");
        run.addCounts("usage", new RunManifest.Counts(11, 8, 3));
        run.addCounts("customers", new RunManifest.Counts(4, 4, 0));
        run.finish(true, null);
        run.save(wh);
        RunManifest failed = new RunManifest("nightly --date 2026-11-01", "duckdb");
        failed.finish(false, "boom");
        failed.save(wh);
        return wh;
    }

    /** A small usage cube model (the sample's shape, fewer levels). */
    static final String CUBE_MODEL = """
            name: usage
            dimensions:
              time: [month, day]
              region: [province, city]
              product: [line: service, product]
              channel: [type: channel_type]
            measures:
              revenue: {agg: sum, expr: charge, unit: money}
              users: {agg: count_distinct, expr: customer_id}
              arpu: {ratio: [revenue, users], unit: money}
            customer_attributes: [region, channel]
            aggregates:
              - [region, product, channel.type]
            """;

    /** Builds the usage cube for 2026-09 and 2026-10 (the build keeps its model in the warehouse). */
    static void cube(Backend b, Warehouse wh) {
        CubeModel model = CubeModel.parse(CUBE_MODEL, Path.of("usage.yaml"));
        for (YearMonth m : List.of(YearMonth.of(2026, 9), YearMonth.of(2026, 10))) {
            wh.registerViews(b);
            CubeBuild.build(b, wh, model, m);
        }
        wh.registerViews(b);
    }

    /**
     * Churn scores for 2026-10 and a model file, written by hand: c1 0.05 (low), c2 0.70 (high, two
     * reasons), c3 0.31 (medium); bands high 0.6, medium 0.3; out-of-time ROC AUC 0.81.
     */
    static void churn(Warehouse wh) {
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            duck.writeParquet("SELECT * FROM (VALUES ('2026-10', 'c1', 0.05::DOUBLE, 'low', NULL::VARCHAR),"
                    + " ('2026-10', 'c2', 0.70::DOUBLE, 'high', 'data spend down 40 % vs previous 3 months; 1 unresolved complaint'),"
                    + " ('2026-10', 'c3', 0.31::DOUBLE, 'medium', 'no usage for 20 days')"
                    + ") t(month, customer_id, churn_score, churn_band, churn_reasons)",
                    wh.monthPartition("churn_scores", YearMonth.of(2026, 10)), List.of());
        }
        String eval = """
                {"description": "%s", "roc_auc": %s, "pr_auc": 0.40, "top_decile_precision": 0.30, "top_decile_lift": 4.0,
                 "base_rate": 0.075, "rows_train": 100, "rows_test": 120,
                 "calibration": [{"bin": 1, "rows": 60, "min_score": 0.0, "max_score": 0.1, "mean_predicted": 0.04, "observed_rate": 0.05},
                                 {"bin": 2, "rows": 60, "min_score": 0.1, "max_score": 0.9, "mean_predicted": 0.2, "observed_rate": 0.1}],
                 "strongest_coefficients": []}""";
        String doc = "{\"kind\": \"tiercube churn model\", \"as_of\": \"2026-08\", \"horizon\": 2, \"trained_at\": \"2026-11-01T02:00:00Z\","
                + " \"training_rows\": {\"rows\": 100, \"positives\": 8}, \"bands\": {\"high\": 0.6, \"medium\": 0.3},"
                + " \"validation\": " + String.format(eval, "validation (cross-validated)", "0.79") + ","
                + " \"out_of_time\": " + String.format(eval, "trained as of 2026-07, tested as of 2026-08, horizon 2 months", "0.81") + "}";
        try {
            Path f = ChurnJob.modelFile(wh);
            Files.createDirectories(f.getParent());
            Files.writeString(f, doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds the customer profiles of 2026-09 and 2026-10 with the default settings (lifecycle, tiers). */
    static void profiles(Backend b, Warehouse wh) {
        for (YearMonth m : List.of(YearMonth.of(2026, 9), YearMonth.of(2026, 10))) {
            wh.registerViews(b);
            Profiles.build(b, wh, SegmentSettings.defaults(), m);
        }
        wh.registerViews(b);
    }

    private static String customer(String id, String city, String channelType, String closed, int line) {
        return "('" + id + "', '1380000000" + line + "', 'Name " + id + "', 'F', DATE '1980-01-01', 'engineer', 'mid', 'bachelor',"
                + " 'Sichuan', '" + city + "', 'd1', 'mass_market', DATE '2020-01-01', 'P1', 89.00::DECIMAL(18,2), '" + channelType
                + "', 'outlet-1', '" + (closed == null ? "active" : "closed") + "', " + (closed == null ? "NULL::DATE" : "DATE '" + closed + "'")
                + ", DATE '2026-10-31', 'customers.csv', " + line + "::BIGINT)";
    }

    private static void usage(Map<LocalDate, StringBuilder> days, String id, String customer, String day, String service, String charge) {
        StringBuilder sb = days.computeIfAbsent(LocalDate.parse(day), d -> new StringBuilder());
        if (sb.length() > 0) {
            sb.append(", ");
        }
        sb.append("('").append(id).append("', '").append(customer).append("', TIMESTAMP '").append(day).append(" 10:00:00', DATE '")
                .append(day).append("', '").append(service).append("', ")
                .append(service.equals("voice") ? "'local'" : "NULL::VARCHAR").append(", '").append(service)
                .append("-x', 60::BIGINT, 0.000::DECIMAL(18,3), ").append(charge).append("::DECIMAL(18,2), NULL::VARCHAR, 'f', 1::BIGINT)");
    }
}
