package io.tiercube.engine.cube;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.ArrayList;

/** Small warehouses for cube tests, written as Parquet with DuckDB. */
final class CubeFixtures {

    static final String MODEL = """
            name: usage
            dimensions:
              time:    [month, day]
              region:  [province, city, district]
              product: [line: service, product]
              channel: [type: channel_type, outlet: channel]
              segment: [segment]
            measures:
              revenue: {agg: sum, expr: charge, unit: money}
              events:  {agg: count}
              minutes: {agg: sum, expr: duration_s / 60.0}
              users:   {agg: count_distinct, expr: customer_id}
              arpu:    {ratio: [revenue, users]}
            customer_attributes: [region, channel, segment]
            aggregates:
              - [region, product, channel]
              - [segment, region.city]
              - [time.day, product.line]
            defaults: {by: [region.city], measures: [revenue, users, arpu], compare: prev}
            """;

    static CubeModel model() {
        return CubeModel.parse(MODEL, Path.of("test-usage.yaml"));
    }

    static final String USAGE_COLS = "record_id, customer_id, event_time, event_date, service, call_type, product,"
            + " duration_s, volume_mb, charge, other_party, src_file, src_line";

    private static final String CUSTOMER_COLS = "customer_id, province, city, district, segment, channel_type, channel, snapshot_date";

    /**
     * Four customers (c5 uses the network but is not in the snapshot), twelve usage rows over
     * September and October 2026.
     */
    static Warehouse tiny(Backend duck, Path root) {
        Warehouse wh = new Warehouse(root);
        duck.writeParquet("SELECT * FROM (VALUES "
                + "('c1', 'Sichuan', 'Chengdu', 'Jinjiang', 'mass_market', 'store', 'Outlet-A', DATE '2026-10-31'),"
                + "('c2', 'Sichuan', 'Chengdu', 'Wuhou', 'enterprise', 'online', 'Web', DATE '2026-10-31'),"
                + "('c3', 'Sichuan', 'Mianyang', 'Fucheng', 'mass_market', 'store', 'Outlet-B', DATE '2026-10-31'),"
                + "('c4', 'Sichuan', 'Yibin', 'Cuiping', 'key_account', 'agent', 'Agent-1', DATE '2026-10-31')"
                + ") t(" + CUSTOMER_COLS + ")", wh.customersSnapshot(LocalDate.of(2026, 10, 31)), List.of());
        String[][] rows = {
            {"r1", "c1", "2026-10-01", "voice", "voice-local", "90", "1.50"},
            {"r2", "c1", "2026-10-02", "data", "data-5g", "0", "10.00"},
            {"r3", "c1", "2026-10-02", "data", "data-5g", "0", "5.00"},
            {"r4", "c2", "2026-10-03", "voice", "voice-ld", "120", "3.00"},
            {"r5", "c2", "2026-10-05", "sms", "sms", "0", "0.10"},
            {"r6", "c3", "2026-10-04", "data", "data-4g", "0", "8.00"},
            {"r7", "c3", "2026-10-10", "subscription", "plan-59", "0", "59.00"},
            {"r8", "c5", "2026-10-11", "voice", "voice-local", "30", "2.00"},
            {"r9", "c1", "2026-09-01", "voice", "voice-local", "240", "4.00"},
            {"r10", "c2", "2026-09-03", "data", "data-5g", "0", "20.00"},
            {"r11", "c3", "2026-09-04", "subscription", "plan-59", "0", "59.00"},
            {"r12", "c4", "2026-09-20", "data", "data-4g", "0", "6.00"},
        };
        Map<String, List<String>> byDay = new TreeMap<>();
        for (String[] r : rows) {
            String v = "('" + r[0] + "', '" + r[1] + "', TIMESTAMP '" + r[2] + " 10:00:00', DATE '" + r[2] + "', '" + r[3]
                    + "', NULL, '" + r[4] + "', " + r[5] + ", 0.000, " + r[6] + ", NULL, 'f', 1)";
            byDay.computeIfAbsent(r[2], k -> new ArrayList<>()).add(v);
        }
        for (Map.Entry<String, List<String>> e : byDay.entrySet()) {
            writeUsage(duck, wh, LocalDate.parse(e.getKey()), "SELECT * FROM (VALUES " + String.join(", ", e.getValue())
                    + ") t(" + USAGE_COLS + ")");
        }
        return wh;
    }

    /** Writes usage rows (raw columns in schema order) into a day partition with the warehouse's types. */
    static void writeUsage(Backend duck, Warehouse wh, LocalDate day, String select) {
        duck.writeParquet("SELECT CAST(record_id AS VARCHAR) AS record_id, CAST(customer_id AS VARCHAR) AS customer_id,"
                + " CAST(event_time AS TIMESTAMP) AS event_time, CAST(event_date AS DATE) AS event_date,"
                + " CAST(service AS VARCHAR) AS service, CAST(call_type AS VARCHAR) AS call_type, CAST(product AS VARCHAR) AS product,"
                + " CAST(duration_s AS BIGINT) AS duration_s, CAST(volume_mb AS DECIMAL(18,3)) AS volume_mb,"
                + " CAST(charge AS DECIMAL(18,2)) AS charge, CAST(other_party AS VARCHAR) AS other_party,"
                + " CAST(src_file AS VARCHAR) AS src_file, CAST(src_line AS BIGINT) AS src_line FROM (" + select + ") s",
                wh.usageDay(day), List.of());
    }

    /**
     * A generated warehouse: 60 customers in the snapshot plus 10 unknown ones, city names repeated
     * across two provinces, three months (2026-08..10) of about 1,200 rows each.
     */
    static Warehouse generated(Backend duck, Path root) {
        Warehouse wh = new Warehouse(root);
        duck.writeParquet("SELECT 'c' || lpad(CAST(i AS VARCHAR), 3, '0') AS customer_id,"
                + " CASE WHEN i % 3 = 0 THEN 'Yunnan' ELSE 'Sichuan' END AS province,"
                + " ['Chengdu', 'Mianyang', 'Yibin', 'Xinjin'][1 + i % 4] AS city,"
                + " ['Chengdu', 'Mianyang', 'Yibin', 'Xinjin'][1 + i % 4] || '-' || CAST(i % 2 AS VARCHAR) AS district,"
                + " ['mass_market', 'enterprise', 'key_account'][1 + (i * 7) % 3] AS segment,"
                + " ['store', 'agent', 'online', 'telesales', 'direct'][1 + i % 5] AS channel_type,"
                + " 'outlet-' || CAST(i % 7 AS VARCHAR) AS channel, DATE '2026-10-31' AS snapshot_date"
                + " FROM range(60) t(i)", wh.customersSnapshot(LocalDate.of(2026, 10, 31)), List.of());
        for (int m = 0; m < 3; m++) {
            LocalDate first = LocalDate.of(2026, 8 + m, 1);
            int base = m * 1200;
            writeUsage(duck, wh, first, "SELECT 'g' || CAST(i AS VARCHAR) AS record_id,"
                    + " 'c' || lpad(CAST((i * 37 + " + m + " * 11) % 70 AS VARCHAR), 3, '0') AS customer_id,"
                    + " CAST(DATE '" + first + "' + CAST((i * 13) % 28 AS INTEGER) AS TIMESTAMP) AS event_time,"
                    + " DATE '" + first + "' + CAST((i * 13) % 28 AS INTEGER) AS event_date,"
                    + " ['voice', 'sms', 'data', 'vas', 'subscription'][1 + (i * 7) % 5] AS service, NULL AS call_type,"
                    + " ['voice', 'sms', 'data', 'vas', 'subscription'][1 + (i * 7) % 5] || '-' || CAST((i * 11) % 3 AS VARCHAR) AS product,"
                    + " (i * 17) % 600 AS duration_s, 0 AS volume_mb, CAST((i * 31 + " + m + " * 7) % 1000 AS DECIMAL(18,2)) / 100 AS charge,"
                    + " NULL AS other_party, 'gen' AS src_file, i AS src_line"
                    + " FROM range(" + base + ", " + (base + 1200) + ") t(i)");
        }
        return wh;
    }
}
