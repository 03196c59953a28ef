package io.tiercube.engine.report;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.warehouse.RunManifest;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
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
