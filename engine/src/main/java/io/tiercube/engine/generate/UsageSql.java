package io.tiercube.engine.generate;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/** SQL for one day file of usage records, drawn from the planted model in table {@code cust}. */
final class UsageSql {

    static final String COLUMNS = "record_id, customer_id, event_time, service, call_type, product, duration_s, volume_mb,"
            + " charge, other_party";

    private final GeneratorSettings s;

    UsageSql(GeneratorSettings s) {
        this.s = s;
    }

    static String ymd(LocalDate d) {
        return d.format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    /** Creates temp table {@code day_ev}: rn (1-based line order) and the ten text columns. */
    String dayTable(LocalDate day) {
        String d = Model.date(day);
        long dn = day.toEpochDay();
        boolean weekend = day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
        String wk = weekend ? "CASE segment WHEN 'mass_market' THEN 1.05 ELSE 0.6 END" : "1.0";
        int n = s.customers();
        StringBuilder pick = new StringBuilder("CASE");
        for (int p = 1; p <= 11; p++) {
            pick.append(" WHEN up < c").append(p).append(" THEN ").append(p);
        }
        pick.append(" ELSE 12 END");
        StringBuilder w = new StringBuilder("[");
        for (int i = 0; i < Model.PRICE_WEIGHT.length; i++) {
            w.append(i == 0 ? "" : ", ").append(Model.PRICE_WEIGHT[i]);
        }
        w.append("]");
        String active = "real AND join_date <= " + d + " AND (closed_date IS NULL OR " + d + " < closed_date)";
        StringBuilder sql = new StringBuilder("CREATE OR REPLACE TEMP TABLE day_ev AS\nWITH act AS (SELECT idx, customer_id,"
                + " segment, lam, usage_target, wsum, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, collapse_code, comm,"
                + " decl_depth, collapse_depth, mild_start, mild_depth, join_date,"
                + " CASE WHEN decl_start IS NOT NULL AND " + d + " >= decl_start THEN pow((" + d + " - decl_start)::DOUBLE"
                + " / (closed_date - decl_start), 0.6) ELSE 0 END AS t_decl FROM cust WHERE " + active + "),\n");
        sql.append("act2 AS (SELECT *, CASE WHEN decl_depth IS NOT NULL THEN 1 - decl_depth * t_decl"
                + " WHEN mild_start IS NOT NULL AND " + d + " >= mild_start THEN 1 - mild_depth * least(1, (" + d + " - mild_start) / 90.0)"
                + " WHEN " + d + " - join_date < 45 THEN 0.5 + 0.5 * (" + d + " - join_date) / 45.0 ELSE 1.0 END AS a,"
                + " coalesce(collapse_depth * t_decl, 0) AS drop_p FROM act),\n");
        sql.append("cnt AS (SELECT *, floor(lam * a * (" + wk + ") * exp(0.6 * nz(50, idx, " + dn + ", 0) - 0.18)"
                + " + u(51, idx, " + dn + ", 0))::INTEGER AS n FROM act2),\n");
        sql.append("ev AS (SELECT *, u(52, idx, " + dn + ", k) AS up FROM (SELECT *, unnest(range(n)) AS k FROM cnt WHERE n > 0)),\n");
        sql.append("ev2 AS (SELECT *, " + pick + " AS p FROM ev),\n");
        sql.append("ev3 AS (SELECT idx, customer_id, k, comm, p, CASE WHEN u(54, idx, " + dn + ", k) < 0.06"
                + " THEN floor(u(55, idx, " + dn + ", k) * 86400) ELSE floor(21600 + (u(55, idx, " + dn + ", k)"
                + " + u(56, idx, " + dn + ", k) + u(57, idx, " + dn + ", k)) / 3 * 61200) END::INTEGER AS sec,"
                + " round(usage_target * " + w + "[p] * sqrt(a) * exp(0.5 * nz(58, idx, " + dn + ", k) - 0.125)"
                + " / (lam * 30.44 * wsum), 2) AS charge, u(59, idx, " + dn + ", k) AS ud, u(60, idx, " + dn + ", k) AS uo,"
                + " u(61, idx, " + dn + ", k) AS us, NULL::VARCHAR AS plan_id FROM ev2"
                + " WHERE collapse_code IS NULL OR NOT (" + Model.collapseMatch("p") + " AND u(53, idx, " + dn + ", k) < drop_p)),\n");
        // one-off long-distance spikes
        sql.append("spk AS (SELECT idx, customer_id, 900 + j AS k, comm, 2 AS p,"
                + " floor(32400 + u(70, idx, " + dn + ", j) * 43200)::INTEGER AS sec,"
                + " round(base * 0.12 * (0.8 + 0.4 * u(71, idx, " + dn + ", j)), 2) AS charge, u(72, idx, " + dn + ", j) AS ud,"
                + " u(73, idx, " + dn + ", j) AS uo, u(74, idx, " + dn + ", j) AS us, NULL::VARCHAR AS plan_id"
                + " FROM cust, range(2) r(j) WHERE spike_day IS NOT NULL AND " + d + " IN (spike_day, spike_day + 3, spike_day + 7)"
                + " AND " + active + ")");
        String union = "SELECT * FROM ev3 UNION ALL SELECT * FROM spk";
        if (day.getDayOfMonth() == 1) {
            sql.append(",\nsub AS (SELECT idx, customer_id, -1 AS k, comm, 0 AS p, floor(u(75, idx, " + dn + ", 0) * 3600)::INTEGER"
                    + " AS sec, plan_fee::DOUBLE AS charge, 0.0 AS ud, 1.0 AS uo, 0.0 AS us, plan_id FROM cust WHERE " + active + ")");
            union += " UNION ALL SELECT * FROM sub";
        }
        // other party: on-net contacts (a stable circle of 8, mostly in the customer's community), regular
        // off-net numbers, one-off numbers; international calls always off-net.
        String slot = "floor(" + Model.CONTACT_SLOTS + " * us * us)::INTEGER";
        String raw = "CASE WHEN u(62, idx, " + slot + ", 0) < 0.8 THEN comm * " + Model.COMMUNITY + " + 1 + floor(u(63, idx, "
                + slot + ", 0) * " + Model.COMMUNITY + ")::BIGINT ELSE 1 + floor(u(63, idx, " + slot + ", 0) * " + n + ")::BIGINT END";
        sql.append(",\nalle AS (SELECT *, CASE WHEN p IN (1, 2, 4, 5) AND uo < 0.55 THEN " + raw + " END AS c0 FROM (" + union + ")),\n");
        sql.append("alle2 AS (SELECT *, CASE WHEN c0 IS NULL THEN NULL WHEN (CASE WHEN c0 > " + n + " THEN 1 + (c0 - 1) % " + n
                + " ELSE c0 END) = idx THEN idx % " + n + " + 1 ELSE (CASE WHEN c0 > " + n + " THEN 1 + (c0 - 1) % " + n
                + " ELSE c0 END) END AS cidx FROM alle),\n");
        sql.append("num AS (SELECT row_number() OVER (ORDER BY sec, idx, k) AS rn, x.*, ph.ph FROM alle2 x"
                + " LEFT JOIN (SELECT idx AS pidx, ph FROM cust WHERE real) ph ON ph.pidx = x.cidx)\n");
        StringBuilder rates = new StringBuilder("[");
        for (int i = 0; i < Model.VOICE_RATE.length; i++) {
            rates.append(i == 0 ? "" : ", ").append(Model.VOICE_RATE[i]);
        }
        rates.append("]");
        sql.append("SELECT rn, 'R" + ymd(day) + "' || lpad(rn::VARCHAR, 8, '0') AS record_id, customer_id,"
                + " strftime(" + d + "::TIMESTAMP + to_seconds(sec), '%Y-%m-%d %H:%M:%S') AS event_time,"
                + " CASE WHEN p = 0 THEN 'subscription' ELSE " + Model.list(Model.SERVICES) + "[p] END AS service,"
                + " CASE WHEN p BETWEEN 1 AND 4 THEN " + Model.list(Model.CALL_TYPES) + "[p] END AS call_type,"
                + " CASE WHEN p = 0 THEN 'plan-' || plan_id ELSE " + Model.list(Model.PRODUCTS) + "[p] END AS product,"
                + " (CASE WHEN p BETWEEN 1 AND 4 THEN least(7200, greatest(1, round(charge / " + rates + "[p] * 60 * (0.85 + 0.3 * ud))))"
                + " WHEN p IN (7, 8) THEN 30 + floor(ud * 3570) WHEN p = 11 THEN 120 + floor(ud * 3480) ELSE 0 END)::BIGINT::VARCHAR"
                + " AS duration_s,"
                + " (CASE p WHEN 7 THEN charge / 0.03 * (0.8 + 0.4 * ud) WHEN 8 THEN charge / 0.02 * (0.8 + 0.4 * ud)"
                + " WHEN 10 THEN charge * 15 WHEN 11 THEN charge * 120 WHEN 12 THEN charge * 60 ELSE 0 END)::DECIMAL(18,3)::VARCHAR"
                + " AS volume_mb,"
                + " charge::DECIMAL(18,2)::VARCHAR AS charge,"
                + " CASE WHEN p = 3 THEN printf('%016x', hash(" + s.seed() + "::BIGINT, 65, idx, " + dn + ", k))"
                + " WHEN p NOT IN (1, 2, 4, 5) THEN NULL WHEN cidx IS NOT NULL THEN ph"
                + " WHEN uo < 0.9 THEN printf('%016x', hash(" + s.seed() + "::BIGINT, 64, idx, floor(us * 10)::INTEGER))"
                + " ELSE printf('%016x', hash(" + s.seed() + "::BIGINT, 65, idx, " + dn + ", k)) END AS other_party FROM num");
        return sql.toString();
    }
}
