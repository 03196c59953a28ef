package io.tiercube.engine.segment;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tiny warehouse written by DuckDB in a test's temp directory: a customers snapshot and usage
 * records (one record per customer, month and service, dated the 1st, unless a day is given).
 */
final class Fixture {

    final Warehouse wh;
    private final List<String> customers = new ArrayList<>();
    private final Map<LocalDate, List<String>> usage = new TreeMap<>();
    private LocalDate snapshot = LocalDate.of(2026, 10, 31);
    private int seq;

    Fixture(Path root) {
        wh = new Warehouse(root);
    }

    /** An active customer. */
    Fixture customer(String id, String city, LocalDate join, String planFee) {
        return customer(id, "138" + String.format("%08d", Math.abs(id.hashCode()) % 100_000_000), "张三", city, join, planFee, null);
    }

    Fixture customer(String id, String msisdn, String name, String city, LocalDate join, String planFee, LocalDate closed) {
        customers.add("(" + q(id) + ", " + q(msisdn) + ", " + q(name) + ", 'M', DATE '1985-03-14', 'engineer', 'mid', 'college',"
                + " 'Sichuan', " + q(city) + ", " + q(city + "-d1") + ", 'mass_market', DATE '" + join + "', 'p1', CAST(" + planFee
                + " AS DECIMAL(18,2)), 'store', 'outlet-1', " + (closed == null ? "'active'" : "'closed'") + ", "
                + (closed == null ? "CAST(NULL AS DATE)" : "DATE '" + closed + "'") + ", DATE '" + snapshot + "', 'customers.csv', "
                + (customers.size() + 2) + ")");
        return this;
    }

    /** One usage record of {@code charge} for a service in a month (dated the 1st). */
    Fixture spend(String id, YearMonth m, String service, String charge) {
        return spendOn(id, m.atDay(1), service, charge, "p-" + service);
    }

    Fixture spendOn(String id, LocalDate day, String service, String charge, String product) {
        seq++;
        usage.computeIfAbsent(day, d -> new ArrayList<>()).add("('r" + seq + "', " + q(id) + ", TIMESTAMP '" + day + " 10:00:00', DATE '" + day
                + "', " + q(service) + ", " + (service.equals("voice") ? "'local'" : "CAST(NULL AS VARCHAR)") + ", " + q(product)
                + ", CAST(60 AS BIGINT), CAST(0 AS DECIMAL(18,3)), CAST(" + charge + " AS DECIMAL(18,2)), CAST(NULL AS VARCHAR), 'u.csv', CAST("
                + seq + " AS BIGINT))");
        return this;
    }

    /** The same total spend (as voice) in each of the given months. */
    Fixture monthly(String id, String charge, YearMonth... months) {
        for (YearMonth m : months) {
            spend(id, m, "voice", charge);
        }
        return this;
    }

    static YearMonth[] months(String from, String to) {
        List<YearMonth> out = new ArrayList<>();
        for (YearMonth m = YearMonth.parse(from); !m.isAfter(YearMonth.parse(to)); m = m.plusMonths(1)) {
            out.add(m);
        }
        return out.toArray(new YearMonth[0]);
    }

    /** Writes the snapshot and the usage partitions with DuckDB. */
    Fixture write() {
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            duck.writeParquet("SELECT * FROM (VALUES " + String.join(", ", customers) + ") t(customer_id, msisdn, name, gender,"
                    + " birth_date, occupation, income_band, education, province, city, district, segment, join_date, plan_id, plan_fee,"
                    + " channel_type, channel, status, closed_date, snapshot_date, src_file, src_line)", wh.customersSnapshot(snapshot), List.of());
            for (Map.Entry<LocalDate, List<String>> e : usage.entrySet()) {
                duck.writeParquet("SELECT * FROM (VALUES " + String.join(", ", e.getValue()) + ") t(record_id, customer_id, event_time,"
                        + " event_date, service, call_type, product, duration_s, volume_mb, charge, other_party, src_file, src_line)",
                        wh.usageDay(e.getKey()), List.of());
            }
        }
        return this;
    }

    private static String q(String s) {
        return s == null ? "CAST(NULL AS VARCHAR)" : "'" + s.replace("'", "''") + "'";
    }
}
