package io.tiercube.engine.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four customers whose features are worked out by hand, checked on both engines. Customer a is the
 * DOMAIN.md case: long-distance spend 402.02 a month for three months, then 128.72 (down 68 %).
 */
class ChurnFeaturesTest {

    @TempDir
    static Path dir;
    static Warehouse wh;

    static final String MS_A = "13800000001";
    static final String MS_B = "13800000002";
    static final String MS_C = "13800000003";

    @BeforeAll
    static void build() {
        wh = new Warehouse(dir.resolve("wh"));
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            duck.writeParquet("SELECT customer_id, msisdn, segment, join_date, CAST(plan_fee0 AS DECIMAL(18,2)) AS plan_fee,"
                    + " status, CAST(closed_date0 AS DATE) AS closed_date, DATE '2026-10-31' AS snapshot_date FROM (VALUES"
                    + " ('a', '" + MS_A + "', 'mass_market', DATE '2024-01-15', 59.00, 'active', NULL),"
                    + " ('b', '" + MS_B + "', 'mass_market', DATE '2023-03-01', 39.00, 'closed', DATE '2026-09-10'),"
                    + " ('c', '" + MS_C + "', 'enterprise', DATE '2026-09-20', 99.00, 'active', NULL),"
                    + " ('d', '13800000004', 'key_account', DATE '2020-06-01', 199.00, 'active', NULL),"
                    + " ('e', '13800000005', 'mass_market', DATE '2021-02-01', 0.00, 'active', NULL)"
                    + ") t(customer_id, msisdn, segment, join_date, plan_fee0, status, closed_date0)",
                    wh.customersSnapshot(LocalDate.of(2026, 10, 31)), List.of());
            List<String> rows = new ArrayList<>();
            for (int m = 5; m <= 10; m++) {
                rows.add(usage("a", "2026-%02d-01".formatted(m), "subscription", null, "59.00", null));
            }
            for (int m = 7; m <= 9; m++) {
                rows.add(usage("a", "2026-%02d-10".formatted(m), "voice", "long_distance", "402.02", null));
            }
            rows.add(usage("a", "2026-10-05", "voice", "long_distance", "128.72", ChurnFixture.hash(MS_B)));
            rows.add(usage("a", "2026-10-20", "voice", "local", "1.00", ChurnFixture.hash(MS_C)));
            rows.add(usage("a", "2026-08-20", "sms", null, "0.10", ChurnFixture.hash("99999999999")));
            rows.add(usage("c", "2026-09-20", "subscription", null, "99.00", null));
            rows.add(usage("c", "2026-10-01", "subscription", null, "99.00", null));
            rows.add(usage("c", "2026-10-30", "data", null, "10.00", null));
            rows.add(usage("b", "2026-08-03", "voice", "local", "2.00", null));
            for (int m = 7; m <= 9; m++) {
                rows.add(usage("e", "2026-%02d-11".formatted(m), "sms", null, "10.00", null));
                rows.add(usage("e", "2026-%02d-12".formatted(m), "data", null, "10.00", null));
            }
            duck.writeParquet("SELECT record_id, customer_id, CAST(event_time0 AS TIMESTAMP) AS event_time, CAST(event_time0 AS DATE) AS event_date,"
                    + " service, call_type, CAST(charge0 AS DECIMAL(18,2)) AS charge, other_party,"
                    + " strftime(CAST(event_time0 AS DATE), '%Y-%m') AS month FROM (VALUES " + String.join(", ", rows)
                    + ") t(record_id, customer_id, event_time0, service, call_type, charge0, other_party)",
                    wh.dataset("usage"), List.of("month"));
            duck.writeParquet("SELECT ticket_id, customer_id, CAST(o AS TIMESTAMP) AS opened_at, 'billing' AS category,"
                    + " CAST(r AS TIMESTAMP) AS resolved_at, CAST(s AS BIGINT) AS satisfaction FROM (VALUES"
                    + " ('t1', 'a', '2026-09-15 09:00:00', NULL, NULL),"
                    + " ('t2', 'a', '2026-06-01 09:00:00', '2026-06-03 09:00:00', 2),"
                    + " ('t3', 'a', '2026-07-01 09:00:00', '2026-11-05 09:00:00', 5)"
                    + ") t(ticket_id, customer_id, o, r, s)", wh.monthPartition("complaints", YearMonth.of(2026, 9)), List.of());
        }
    }

    private static int record;

    private static String usage(String id, String day, String service, String callType, String charge, String other) {
        return "('r" + (record++) + "', '" + id + "', '" + day + " 12:00:00', '" + service + "', " + (callType == null ? "NULL" : "'" + callType + "'")
                + ", '" + charge + "', " + (other == null ? "NULL" : "'" + other + "'") + ")";
    }

    static Backend spark;

    static Backend open(Engine e) {
        if (e == Engine.DUCKDB) {
            return Engine.DUCKDB.open(Engine.Options.defaults());
        }
        if (spark == null) {
            spark = Engine.SPARK.open(Engine.Options.defaults());
        }
        return spark;
    }

    @AfterAll
    static void closeSpark() {
        if (spark != null) {
            spark.close();
        }
    }

    private static Table features(Backend b, YearMonth asOf, int horizon) {
        wh.registerViews(b);
        return b.query(Features.sql(b.dialect(), asOf, YearMonth.of(2026, 5), horizon, true) + " ORDER BY customer_id NULLS LAST");
    }

    private static int rowOf(Table t, String id) {
        for (int i = 0; i < t.size(); i++) {
            if (id.equals(t.getString(i, "customer_id"))) {
                return i;
            }
        }
        throw new AssertionError("no row for " + id + " in " + t);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void featuresAsOfOctoberMatchTheHandCalculation(Engine engine) {
        Backend b = open(engine);
        try {
            Table t = features(b, YearMonth.of(2026, 10), 0);
            assertEquals(List.of("a", "c", "d", "e"), t.rows().stream().map(r -> (String) r.get(0)).toList(), "b closed in September");
            int a = rowOf(t, "a");
            assertEquals(59 + 128.72 + 1.00, t.getDouble(a, "arpu"), 1e-9);
            double prevAverage = (3 * 461.02 + 0.10) / 3; // an SMS in August
            assertEquals((188.72 - prevAverage) / prevAverage, t.getDouble(a, "arpu_change"), 1e-9);
            assertEquals((128.72 - 402.02) / 402.02, t.getDouble(a, "spend_change_voice_long_distance"), 1e-9);
            assertEquals(0.0, t.getDouble(a, "spend_change_voice_local"), 0.0, "no local spend before: no change");
            assertEquals((402.02 - 128.72) / 402.02, t.getDouble(a, "largest_service_drop"), 1e-9);
            assertEquals("voice_long_distance", t.getString(a, "largest_drop_service"));
            assertEquals(2.0, t.getDouble(a, "active_days"), 0.0);
            assertEquals(11.0, t.getDouble(a, "days_since_last_event"), 0.0);
            assertEquals(33.0, t.getDouble(a, "tenure_months"), 0.0);
            assertEquals(59.0, t.getDouble(a, "plan_fee"), 0.0);
            assertEquals(1.0, t.getDouble(a, "segment_mass_market"), 0.0);
            assertEquals(1.0, t.getDouble(a, "complaints_90d"), 0.0);
            assertEquals(2.0, t.getDouble(a, "unresolved_tickets"), 0.0, "t1 open, t3 resolved only after October");
            assertEquals(2.0, t.getDouble(a, "mean_satisfaction"), 1e-12, "t3's score came after October");
            assertEquals(0.5, t.getDouble(a, "contacts_churned_share"), 1e-12, "b (closed 2026-09-10) of b and c");
            SimpleRegression reg = new SimpleRegression();
            double[] spend = {59, 59, 461.02, 461.12, 461.02, 188.72};
            double sum = 0;
            for (int i = 0; i < 6; i++) {
                reg.addData(i - 5, spend[i]);
                sum += spend[i];
            }
            assertEquals(reg.getSlope() / (sum / 6), t.getDouble(a, "spend_slope_6m"), 1e-9);

            int c = rowOf(t, "c");
            assertEquals(1.0, t.getDouble(c, "tenure_months"), 0.0);
            assertEquals((109.0 - 99.0) / 99.0, t.getDouble(c, "arpu_change"), 1e-9, "one month before October since joining");
            assertEquals(0.0, t.getDouble(c, "spend_slope_6m"), 0.0, "two months are too few for a slope");
            assertEquals(1.0, t.getDouble(c, "days_since_last_event"), 0.0);
            assertEquals(1.0, t.getDouble(c, "segment_enterprise"), 0.0);
            assertNull(t.get(c, "mean_satisfaction"));

            int d = rowOf(t, "d");
            assertEquals(0.0, t.getDouble(d, "arpu"), 0.0);
            assertEquals(0.0, t.getDouble(d, "active_days"), 0.0);
            assertEquals(183.0, t.getDouble(d, "days_since_last_event"), 0.0, "no event since the data begins (2026-05-01)");
            assertNull(t.get(d, "largest_drop_service"));

            int e = rowOf(t, "e");
            assertEquals(-1.0, t.getDouble(e, "spend_change_sms"), 0.0);
            assertEquals(-1.0, t.getDouble(e, "spend_change_data"), 0.0);
            assertEquals(1.0, t.getDouble(e, "largest_service_drop"), 0.0);
            assertEquals("data", t.getString(e, "largest_drop_service"), "SMS and data both stopped: the first by name");
        } finally {
            if (engine == Engine.DUCKDB) {
                b.close();
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aMonthToDateRunExtrapolatesTheMonthSoFar() {
        try (Backend b = Engine.DUCKDB.open(Engine.Options.defaults())) {
            wh.registerViews(b);
            Table t = b.query(Features.sql(b.dialect(), YearMonth.of(2026, 10), LocalDate.of(2026, 10, 15), YearMonth.of(2026, 5), 0, true)
                    + " ORDER BY customer_id NULLS LAST");
            int a = rowOf(t, "a");
            assertEquals((59 + 128.72) * 31 / 15, t.getDouble(a, "arpu"), 1e-9, "the local call on the 20th is not in yet");
            assertEquals(31.0 / 15, t.getDouble(a, "active_days"), 1e-12);
            assertEquals(10.0, t.getDouble(a, "days_since_last_event"), 0.0);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void labelIsClosureWithinTheHorizon(Engine engine) {
        Backend b = open(engine);
        try {
            Table t = features(b, YearMonth.of(2026, 8), 2);
            assertEquals(1L, t.getLong(rowOf(t, "b"), "churned"));
            assertEquals(0L, t.getLong(rowOf(t, "a"), "churned"));
            Table one = features(b, YearMonth.of(2026, 7), 1);
            assertEquals(0L, one.getLong(rowOf(one, "b"), "churned"), "September is outside a 1-month horizon from July");
        } finally {
            if (engine == Engine.DUCKDB) {
                b.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void reasonsNameTheServiceThatDroppedInWords(Engine engine) {
        Backend b = open(engine);
        try {
            wh.registerViews(b);
            Path features = dir.resolve("features-" + engine);
            b.writeParquet(Features.sql(b.dialect(), YearMonth.of(2026, 10), YearMonth.of(2026, 5), 0, true), features, List.of());
            b.registerParquet("f_oct", features);
            List<String> names = Features.names();
            int p = names.size();
            double[] coef = new double[p];
            coef[names.indexOf("largest_service_drop")] = 2.0;
            coef[names.indexOf("spend_change_voice_long_distance")] = -1.0;
            coef[names.indexOf("unresolved_tickets")] = 0.3;
            coef[names.indexOf("contacts_churned_share")] = 1.0;
            coef[names.indexOf("complaints_90d")] = 0.1;
            double[] zeros = new double[p];
            double[] ones = new double[p];
            java.util.Arrays.fill(ones, 1.0);
            LogisticModel m = new LogisticModel(names, zeros, zeros, ones, -2.0, coef, 0.0);
            Table s = b.query(ScoreSql.select(m, java.util.Map.of(), 0.5, 0.2, "f_oct", "2026-10") + " ORDER BY customer_id NULLS LAST");
            int a = rowOf(s, "a");
            assertEquals("long-distance spend down 68 % vs previous 3 months; 2 unresolved tickets; 50 % of on-net contacts left in the last 3 months",
                    s.getString(a, "churn_reasons"));
            double eta = -2.0 + 2.0 * (402.02 - 128.72) / 402.02 - 1.0 * (128.72 - 402.02) / 402.02 + 0.3 * 2 + 1.0 * 0.5 + 0.1 * 1;
            assertEquals(1 / (1 + Math.exp(-eta)), s.getDouble(a, "churn_score"), 1e-12);
            assertEquals("high", s.getString(a, "churn_band"));
            assertEquals("2026-10", s.getString(a, "month"));
            assertNull(s.get(rowOf(s, "d"), "churn_reasons"), "nothing raises d's risk");
            assertEquals("low", s.getString(rowOf(s, "d"), "churn_band"));
        } finally {
            if (engine == Engine.DUCKDB) {
                b.close();
            }
        }
    }
}
