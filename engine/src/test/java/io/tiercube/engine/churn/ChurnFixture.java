package io.tiercube.engine.churn;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * A small synthetic warehouse, 2026-05 … 2026-10, with a planted churn signal: customers who close
 * in month C spend less from C-2 on (55 %, then 30 %), above all on long distance, are active on
 * fewer days, and complain more. Everyone else varies at random around a steady level.
 */
final class ChurnFixture {

    static final YearMonth FIRST = YearMonth.of(2026, 5);
    static final YearMonth LAST = YearMonth.of(2026, 10);

    private ChurnFixture() {
    }

    static String hash(String msisdn) {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(msisdn.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builds the warehouse under {@code root} with DuckDB. */
    static Warehouse build(Path root, int customers, long seed) {
        Random r = new Random(seed);
        Warehouse wh = new Warehouse(root);
        try {
            Path tmp = Files.createDirectories(root.resolve("_fixture"));
            Path cust = tmp.resolve("customers.csv");
            Path use = tmp.resolve("usage.csv");
            Path comp = tmp.resolve("complaints.csv");
            String[] segments = {"mass_market", "mass_market", "mass_market", "mass_market", "mass_market", "mass_market", "mass_market",
                "enterprise", "enterprise", "key_account"};
            int[] fees = {19, 39, 59, 99, 199};
            List<String> msisdns = new ArrayList<>();
            for (int i = 0; i < customers; i++) {
                msisdns.add(String.format(java.util.Locale.ROOT, "138%08d", 10_000_000 + i * 7919 % 90_000_000));
            }
            long rec = 0;
            long ticket = 0;
            try (Writer c = Files.newBufferedWriter(cust); Writer u = Files.newBufferedWriter(use); Writer k = Files.newBufferedWriter(comp)) {
                c.write("customer_id,msisdn,segment,join_date,plan_fee,status,closed_date\n");
                u.write("record_id,customer_id,event_time,service,call_type,product,duration_s,volume_mb,charge,other_party\n");
                k.write("ticket_id,customer_id,opened_at,category,resolved_at,satisfaction\n");
                for (int i = 0; i < customers; i++) {
                    String id = String.format(java.util.Locale.ROOT, "c%05d", i);
                    String segment = segments[r.nextInt(segments.length)];
                    LocalDate join = r.nextInt(10) == 0 ? LocalDate.of(2026, 5 + r.nextInt(3), 1 + r.nextInt(28))
                            : LocalDate.of(2022 + r.nextInt(4), 1 + r.nextInt(12), 1 + r.nextInt(28));
                    int fee = fees[r.nextInt(fees.length)];
                    LocalDate closed = null;
                    if (r.nextDouble() < 0.14) {
                        YearMonth cm = YearMonth.of(2026, 7 + r.nextInt(4));
                        LocalDate d = cm.atDay(1 + r.nextInt(cm.lengthOfMonth()));
                        if (d.isAfter(join.plusMonths(3))) {
                            closed = d;
                        }
                    }
                    c.write(id + "," + msisdns.get(i) + "," + segment + "," + join + "," + fee + ".00," + (closed == null ? "active" : "closed")
                            + "," + (closed == null ? "" : closed) + "\n");
                    double level = Math.exp(r.nextGaussian() * 0.5);
                    boolean longDistance = r.nextDouble() < 0.5;
                    boolean roaming = r.nextDouble() < 0.1;
                    for (YearMonth m = FIRST; !m.isAfter(LAST); m = m.plusMonths(1)) {
                        if (join.isAfter(m.atEndOfMonth()) || closed != null && closed.isBefore(m.atDay(1))) {
                            continue;
                        }
                        double mult = 1.0;
                        if (closed != null) {
                            int before = (int) (YearMonth.from(closed).getYear() * 12L + YearMonth.from(closed).getMonthValue()
                                    - m.getYear() * 12L - m.getMonthValue());
                            mult = before >= 3 ? 1.0 : before == 2 ? 0.55 : 0.3;
                        }
                        mult *= Math.exp(r.nextGaussian() * 0.15);
                        LocalDate from = join.isAfter(m.atDay(1)) ? join : m.atDay(1);
                        LocalDate to = closed != null && closed.isBefore(m.atEndOfMonth()) ? closed : m.atEndOfMonth();
                        int span = (int) (to.toEpochDay() - from.toEpochDay()) + 1;
                        u.write(String.format(java.util.Locale.ROOT, "r%d,%s,%s 00:00:01,subscription,,plan,0,0.000,%d.00,%n", rec++, id, m.atDay(1).isBefore(from) ? from : m.atDay(1), fee));
                        int events = (int) Math.round(20 * level * mult) + r.nextInt(3);
                        for (int e = 0; e < events; e++) {
                            LocalDate day = from.plusDays(r.nextInt(span));
                            String ts = day + String.format(java.util.Locale.ROOT, " %02d:%02d:%02d", r.nextInt(24), r.nextInt(60), r.nextInt(60));
                            int kind = r.nextInt(10);
                            String other = r.nextBoolean() ? hash(msisdns.get(r.nextInt(customers))) : hash("139" + r.nextInt(100_000_000));
                            if (kind < 4) {
                                u.write(String.format(java.util.Locale.ROOT, "r%d,%s,%s,voice,local,voice-local,%d,0.000,%.2f,%s%n", rec++, id, ts, 30 + r.nextInt(300),
                                        0.2 + r.nextDouble() * 2 * level, other));
                            } else if (kind < 6 && longDistance) {
                                double ld = (3 + r.nextDouble() * 12) * level * (closed != null ? mult : 1.0);
                                u.write(String.format(java.util.Locale.ROOT, "r%d,%s,%s,voice,long_distance,voice-ld,%d,0.000,%.2f,%s%n", rec++, id, ts, 60 + r.nextInt(600), ld, other));
                            } else if (kind == 6 && roaming) {
                                u.write(String.format(java.util.Locale.ROOT, "r%d,%s,%s,voice,roaming,voice-roam,%d,0.000,%.2f,%s%n", rec++, id, ts, 60 + r.nextInt(300),
                                        2 + r.nextDouble() * 8, other));
                            } else if (kind < 8) {
                                u.write(String.format(java.util.Locale.ROOT, "r%d,%s,%s,sms,,sms,0,0.000,%.2f,%s%n", rec++, id, ts, 0.1, other));
                            } else {
                                u.write(String.format(java.util.Locale.ROOT, "r%d,%s,%s,data,,data-pack,0,%.3f,%.2f,%n", rec++, id, ts, 50 + r.nextDouble() * 500,
                                        0.5 + r.nextDouble() * 3 * level));
                            }
                        }
                    }
                    double complainRate = closed != null ? 0.45 : 0.06;
                    if (r.nextDouble() < complainRate) {
                        LocalDate opened = closed != null ? closed.minusDays(10 + r.nextInt(60)) : LocalDate.of(2026, 5, 1).plusDays(r.nextInt(180));
                        if (!opened.isBefore(join)) {
                            boolean resolved = r.nextDouble() < (closed != null ? 0.4 : 0.85);
                            k.write(String.format(java.util.Locale.ROOT, "t%d,%s,%s 10:00:00,billing,%s,%s%n", ticket++, id, opened,
                                    resolved ? opened.plusDays(2) + " 10:00:00" : "", resolved ? String.valueOf(closed != null ? 1 + r.nextInt(2) : 3 + r.nextInt(3)) : ""));
                        }
                    }
                }
            }
            try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
                write(duck, wh, cust, use, comp);
            }
            Warehouse.deleteTree(tmp);
            return wh;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String csv(Path p, String columns) {
        return "read_csv('" + p + "', header = true, auto_detect = false, columns = {" + columns + "})";
    }

    private static void write(Backend duck, Warehouse wh, Path cust, Path use, Path comp) {
        duck.writeParquet("SELECT customer_id, msisdn, 'N' AS name, 'U' AS gender, DATE '1980-01-01' AS birth_date,"
                + " 'x' AS occupation, 'x' AS income_band, 'x' AS education, 'Sichuan' AS province, 'Chengdu' AS city, 'Wuhou' AS district,"
                + " segment, CAST(join_date AS DATE) AS join_date, 'p1' AS plan_id, CAST(plan_fee AS DECIMAL(18,2)) AS plan_fee,"
                + " 'store' AS channel_type, 'o1' AS channel, status, CAST(closed_date AS DATE) AS closed_date,"
                + " DATE '2026-10-31' AS snapshot_date, 'customers.csv' AS src_file, CAST(1 AS BIGINT) AS src_line FROM "
                + csv(cust, "'customer_id': 'VARCHAR', 'msisdn': 'VARCHAR', 'segment': 'VARCHAR', 'join_date': 'VARCHAR',"
                        + " 'plan_fee': 'VARCHAR', 'status': 'VARCHAR', 'closed_date': 'VARCHAR'"),
                wh.customersSnapshot(LocalDate.of(2026, 10, 31)), List.of());
        duck.writeParquet("SELECT record_id, customer_id, CAST(event_time AS TIMESTAMP) AS event_time, CAST(CAST(event_time AS TIMESTAMP) AS DATE) AS event_date,"
                + " service, call_type, product, CAST(duration_s AS BIGINT) AS duration_s, CAST(volume_mb AS DECIMAL(18,3)) AS volume_mb,"
                + " CAST(charge AS DECIMAL(18,2)) AS charge, other_party, 'usage.csv' AS src_file, CAST(1 AS BIGINT) AS src_line,"
                + " strftime(CAST(event_time AS TIMESTAMP), '%Y-%m') AS month, strftime(CAST(event_time AS TIMESTAMP), '%Y-%m-%d') AS day FROM "
                + csv(use, "'record_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'event_time': 'VARCHAR', 'service': 'VARCHAR',"
                        + " 'call_type': 'VARCHAR', 'product': 'VARCHAR', 'duration_s': 'VARCHAR', 'volume_mb': 'VARCHAR', 'charge': 'VARCHAR',"
                        + " 'other_party': 'VARCHAR'"),
                wh.dataset("usage"), List.of("month", "day"));
        duck.writeParquet("SELECT ticket_id, customer_id, CAST(opened_at AS TIMESTAMP) AS opened_at, category,"
                + " CAST(resolved_at AS TIMESTAMP) AS resolved_at, CAST(satisfaction AS BIGINT) AS satisfaction,"
                + " 'complaints.csv' AS src_file, CAST(1 AS BIGINT) AS src_line, strftime(CAST(opened_at AS TIMESTAMP), '%Y-%m') AS month FROM "
                + csv(comp, "'ticket_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'opened_at': 'VARCHAR', 'category': 'VARCHAR',"
                        + " 'resolved_at': 'VARCHAR', 'satisfaction': 'VARCHAR'"),
                wh.dataset("complaints"), List.of("month"));
    }
}
