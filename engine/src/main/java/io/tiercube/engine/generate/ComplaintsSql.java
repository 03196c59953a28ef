package io.tiercube.engine.generate;

import java.time.YearMonth;
import java.time.temporal.ChronoUnit;

/** SQL for the complaints file: tickets drawn per customer and month, far more often for customers in decline. */
final class ComplaintsSql {

    static final String COLUMNS = "ticket_id, customer_id, opened_at, category, resolved_at, satisfaction";

    private ComplaintsSql() {
    }

    /** Creates temp table {@code comp}: rn (line order) and the six text columns. */
    static String table(Model m) {
        String st = Model.date(m.start);
        String en = Model.date(m.end);
        long months = ChronoUnit.MONTHS.between(YearMonth.from(m.start), YearMonth.from(m.end)) + 1;
        String fmt = "'%Y-%m-%d %H:%M:%S'";
        return "CREATE OR REPLACE TEMP TABLE comp AS\n"
                + "WITH mm AS (SELECT m, (date_trunc('month', " + st + ") + to_months(m::INTEGER))::DATE AS ms FROM range(" + months
                + ") r(m)),\n"
                + "cm AS (SELECT c.idx, c.customer_id, c.churner, c.mild, c.is_new, c.closed_date - 150 AS c_start, c.mild_start, mm.m,"
                + " greatest(mm.ms, " + st + ", c.join_date) AS lo,"
                + " least(last_day(mm.ms), " + en + ", coalesce(c.closed_date - 1, " + en + ")) AS hi FROM cust c, mm WHERE c.real),\n"
                + "cp AS (SELECT *, churner AND hi >= c_start AS risky, CASE WHEN churner AND hi >= c_start THEN 0.15"
                + " WHEN churner THEN 0.03 WHEN mild AND hi >= mild_start THEN 0.05 WHEN is_new THEN 0.03 ELSE 0.02 END AS p"
                + " FROM cm WHERE hi >= lo),\n"
                + "sl AS (SELECT cp.*, slot FROM cp, range(2) r(slot) WHERE u(80, idx, m, slot) < p / 2),\n"
                + "x AS (SELECT *, (lo + floor(u(81, idx, m, slot) * (hi - lo + 1))::INTEGER)::TIMESTAMP"
                + " + to_seconds(floor(28800 + u(82, idx, m, slot) * 50400)::BIGINT) AS opened,"
                + " u(83, idx, m, slot) AS ur, u(84, idx, m, slot) AS uh, u(85, idx, m, slot) AS us, u(86, idx, m, slot) AS ucat FROM sl),\n"
                + "y AS (SELECT *, CASE WHEN ur < CASE WHEN risky THEN 0.55 ELSE 0.92 END THEN opened + to_seconds(floor(1800"
                + " - ln(1 - uh) * CASE WHEN risky THEN 432000 ELSE 129600 END)::BIGINT) END AS res0 FROM x),\n"
                + "z AS (SELECT *, CASE WHEN res0 < (" + en + " + 1)::TIMESTAMP THEN res0 END AS resolved FROM y),\n"
                + "num AS (SELECT row_number() OVER (ORDER BY opened, idx, m, slot) AS rn, * FROM z)\n"
                + "SELECT rn, 'T' || lpad(rn::VARCHAR, 8, '0') AS ticket_id, customer_id, strftime(opened, " + fmt + ") AS opened_at,"
                + " CASE WHEN risky THEN CASE WHEN ucat < 0.35 THEN 'network' WHEN ucat < 0.65 THEN 'billing' WHEN ucat < 0.85"
                + " THEN 'service' WHEN ucat < 0.95 THEN 'product' ELSE 'other' END"
                + " ELSE CASE WHEN ucat < 0.35 THEN 'billing' WHEN ucat < 0.60 THEN 'network' WHEN ucat < 0.80 THEN 'service'"
                + " WHEN ucat < 0.92 THEN 'product' ELSE 'other' END END AS category,"
                + " strftime(resolved, " + fmt + ") AS resolved_at,"
                + " CASE WHEN resolved IS NULL OR us < 0.1 THEN NULL WHEN risky THEN"
                + " CASE WHEN us < 0.37 THEN '1' WHEN us < 0.64 THEN '2' WHEN us < 0.865 THEN '3' WHEN us < 0.955 THEN '4' ELSE '5' END"
                + " ELSE CASE WHEN us < 0.145 THEN '1' WHEN us < 0.19 THEN '2' WHEN us < 0.325 THEN '3' WHEN us < 0.595 THEN '4'"
                + " ELSE '5' END END AS satisfaction FROM num";
    }
}
