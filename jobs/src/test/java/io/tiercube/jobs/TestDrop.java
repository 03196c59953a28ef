package io.tiercube.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;

/** A small, deterministic input folder in the input contract, for CLI tests. */
final class TestDrop {

    private TestDrop() {
    }

    /**
     * Writes {@code customers} customers and {@code days} daily usage files ending 2026-10-31 with
     * {@code rowsPerDay} rows each; every row i charges (i % 7) + 0.25, so totals are easy to check.
     * Day files get one bad row each (an unknown customer) so rejects exist.
     */
    static Path write(Path dir, int customers, int days, int rowsPerDay) throws IOException {
        Files.createDirectories(dir.resolve("usage"));
        StringBuilder c = new StringBuilder("customer_id,msisdn,name,gender,birth_date,occupation,income_band,education,province,"
                + "city,district,segment,join_date,plan_id,plan_fee,channel_type,channel,status,closed_date\n");
        String[] cities = {"Chengdu", "Mianyang", "Yibin"};
        for (int i = 0; i < customers; i++) {
            c.append(String.format(Locale.ROOT, "C%04d,138%08d,N%d,M,1990-01-01,,,,Sichuan,%s,D1,mass_market,2020-01-01,P1,59.00,store,S1,active,%n",
                    i, i, i, cities[i % 3]));
        }
        Files.writeString(dir.resolve("customers.csv"), c);
        LocalDate last = LocalDate.of(2026, 10, 31);
        for (int d = days - 1; d >= 0; d--) {
            LocalDate day = last.minusDays(d);
            StringBuilder u = new StringBuilder("record_id,customer_id,event_time,service,call_type,product,duration_s,volume_mb,charge,other_party\n");
            for (int i = 0; i < rowsPerDay; i++) {
                u.append(String.format(Locale.ROOT, "%s-%d,C%04d,%s 10:%02d:00,voice,local,voice-local,60,0,%d.25,%n",
                        day, i, i % customers, day, i % 60, i % 7));
            }
            u.append(day).append("-x,NOPE,").append(day).append(" 10:00:00,sms,,sms-p2p,0,0,1.00,\n");
            Files.writeString(dir.resolve("usage").resolve(day + ".csv"), u);
        }
        Files.writeString(dir.resolve("complaints.csv"), "ticket_id,customer_id,opened_at,category,resolved_at,satisfaction\n"
                + "T1,C0001,2026-10-01 09:00:00,billing,,\n");
        return dir;
    }
}
