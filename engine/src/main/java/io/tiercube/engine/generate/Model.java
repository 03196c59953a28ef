package io.tiercube.engine.generate;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.StringJoiner;

/**
 * The planted model as DuckDB SQL: one temp table {@code cust} with every customer's attributes and
 * hidden traits (spend level, activity, churn date, decline shape, spike days), from which the day
 * files and complaints are drawn. Every random number is {@code hash(seed, tag, ids…)} mapped to
 * [0, 1), so a row's values depend only on the seed and its ids, never on thread scheduling.
 */
final class Model {

    /** Products in draw order; index 1-based in SQL. */
    static final List<String> PRODUCTS = List.of("voice-local", "voice-ld", "voice-intl", "voice-roam", "sms-p2p",
            "sms-bulk", "data-4g", "data-5g", "data-pack-10g", "vas-music", "vas-video", "vas-cloud");
    static final List<String> SERVICES = List.of("voice", "voice", "voice", "voice", "sms", "sms", "data", "data",
            "data", "vas", "vas", "vas");
    static final List<String> CALL_TYPES = List.of("local", "long_distance", "international", "roaming");
    /** Share of usage records per product for key_account, enterprise, mass_market (data split 4G/5G by plan). */
    private static final double[][] EVENT_SHARE = {
        {0.22, 0.18, 0.05, 0.07, 0.05, 0.08, 0.26, 0, 0.02, 0.01, 0.01, 0.05},
        {0.25, 0.14, 0.02, 0.05, 0.08, 0.04, 0.33, 0, 0.02, 0.01, 0.02, 0.04},
        {0.24, 0.06, 0.005, 0.02, 0.12, 0.002, 0.45, 0, 0.02, 0.04, 0.04, 0.015},
    };
    /** Relative charge of one record of each product. */
    static final double[] PRICE_WEIGHT = {1.0, 2.5, 8, 4, 0.15, 0.3, 1.2, 1.0, 3.0, 1.0, 1.5, 1.0};
    /** Voice tariff per minute (local, long distance, international, roaming), used for durations. */
    static final double[] VOICE_RATE = {0.10, 0.25, 1.50, 0.60};
    static final int[] PLAN_FEES = {19, 39, 59, 89, 129, 189, 289, 389, 589};

    static final List<String> CITIES = List.of("Chengdu", "Mianyang", "Deyang", "Yibin", "Nanchong", "Leshan",
            "Luzhou", "Zigong", "Dazhou", "Suining");
    static final double[] CITY_SHARE = {0.30, 0.11, 0.09, 0.08, 0.08, 0.07, 0.07, 0.07, 0.07, 0.06};
    static final List<List<String>> DISTRICTS = List.of(
            List.of("Jinjiang", "Qingyang", "Wuhou", "Chenghua"),
            List.of("Fucheng", "Youxian", "Anzhou"),
            List.of("Jingyang", "Luojiang", "Guanghan"),
            List.of("Cuiping", "Nanxi", "Xuzhou"),
            List.of("Shunqing", "Gaoping", "Jialing"),
            List.of("Shizhong", "Wutongqiao"),
            List.of("Jiangyang", "Longmatan", "Naxi"),
            List.of("Ziliujing", "Gongjing", "Yantan"),
            List.of("Tongchuan", "Dachuan"),
            List.of("Chuanshan", "Anju"));
    private static final String SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任卢姚";
    private static final String MALE = "伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林";
    private static final String FEMALE = "芳娜敏静丽艳娟霞秀燕玲桂丹萍红玉兰英梅琳雪婷倩颖琴云莉佳欣悦";
    private static final List<String> OCCUPATIONS = List.of("office worker", "student", "teacher", "engineer",
            "civil servant", "farmer", "self-employed", "retired", "medical staff", "manager", "driver", "sales");
    private static final List<String> INCOME_BANDS = List.of("<3000", "3000-5999", "6000-9999", "10000-19999", "20000+");
    private static final List<String> MSISDN_PREFIXES = List.of("130", "131", "132", "133", "134", "135", "136", "137",
            "138", "139", "150", "151", "152", "153", "155", "156", "157", "158", "159", "180", "181", "182", "183",
            "184", "185", "186", "187", "188", "189");
    static final int COMMUNITY = 25;
    static final int CONTACT_SLOTS = 8;

    private final GeneratorSettings s;
    final LocalDate start;
    final LocalDate end;
    final int days;

    Model(GeneratorSettings settings) {
        this.s = settings;
        this.start = settings.start();
        this.end = settings.end();
        this.days = (int) ChronoUnit.DAYS.between(start, end) + 1;
    }

    /** Macros: u(tag, a, b, c) uniform in [0, 1); nz(tag, a, b, c) standard normal (Box-Muller). */
    String macros() {
        return "CREATE OR REPLACE TEMP MACRO u(t, a, b, c) AS ((hash(" + s.seed() + "::BIGINT, t, a, b, c) >> 11)::DOUBLE"
                + " / 9007199254740992.0);\n"
                + "CREATE OR REPLACE TEMP MACRO nz(t, a, b, c) AS (sqrt(-2 * ln(1 - u(t, a, b, c)))"
                + " * cos(2 * pi() * u(t + 1000, a, b, c)))";
    }

    static String date(LocalDate d) {
        return "DATE '" + d + "'";
    }

    static String list(List<String> values) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        values.forEach(v -> j.add("'" + v.replace("'", "''") + "'"));
        return j.toString();
    }

    private static List<String> chars(String s) {
        return s.codePoints().mapToObj(Character::toString).toList();
    }

    /** Picks {@code list[1 + floor(u * len)]}. */
    private static String pick(List<String> values, String u) {
        return list(values) + "[1 + floor(" + u + " * " + values.size() + ")::INTEGER]";
    }

    /** A CASE returning 1-based index from cumulative shares. */
    private static String bucket(double[] shares, String u) {
        StringBuilder b = new StringBuilder("CASE");
        double cum = 0;
        for (int i = 0; i < shares.length - 1; i++) {
            cum += shares[i];
            b.append(" WHEN ").append(u).append(" < ").append(cum).append(" THEN ").append(i + 1);
        }
        return b.append(" ELSE ").append(shares.length).append(" END").toString();
    }

    /** msisdn of customer {@code idx}: a bijection of idx onto 8 digits behind a 13x/15x/18x prefix. */
    String msisdnExpr(String idx) {
        long offset = Math.floorMod(s.seed() * 7919L + 12345L, 100_000_000L);
        return pick(MSISDN_PREFIXES, "u(30, " + idx + ", 0, 0)")
                + " || lpad(((" + idx + " * 48271 + " + offset + ") % 100000000)::VARCHAR, 8, '0')";
    }

    String customerIdExpr(String idx) {
        return "'C' || lpad((" + idx + ")::VARCHAR, 8, '0')";
    }

    /** Fake customer k (1-based; bad rows only, never has usage) has id number base + k. */
    long fakeCustomerBase() {
        return s.customers() + 500_000L;
    }

    /** The id number behind the k-th unknown customer id planted in usage and complaints. */
    long unknownCustomerBase() {
        return s.customers() + 2_000_000L;
    }

    /**
     * Creates temp table {@code cust}: all good customers (real = true) plus {@code fakeIds} extra rows
     * (real = false) used only to build bad customer rows.
     */
    String customersTable(int fakeRows) {
        int n = s.customers();
        int m = s.months();
        String st = date(start);
        String en = date(end);
        double monthsEff = days / 30.44;
        StringBuilder sql = new StringBuilder();
        sql.append("CREATE OR REPLACE TEMP TABLE cust AS\nWITH s AS (SELECT idx, idx <= ").append(n)
                .append(" AS real FROM range(1, ").append(n + 1).append(") t(idx)");
        if (fakeRows > 0) {
            sql.append(" UNION ALL SELECT idx, false FROM range(").append(fakeCustomerBase() + 1).append(", ")
                    .append(fakeCustomerBase() + fakeRows + 1).append(") t(idx)");
        }
        sql.append("),\n");
        // a: raw draws
        sql.append("a AS (SELECT idx, real, u(1, idx, 0, 0) AS u_seg, u(2, idx, 0, 0) AS u_city, u(3, idx, 0, 0) AS u_dist,"
                + " nz(4, idx, 0, 0) AS z_base, nz(5, idx, 0, 0) AS z_act, (idx - 1) // " + COMMUNITY + " AS comm,"
                + " nz(6, (idx - 1) // " + COMMUNITY + ", 0, 0) AS z_comm,"
                + " u(7, idx, 0, 0) AS u_new, u(8, idx, 0, 0) AS u_join, u(9, idx, 0, 0) AS u_churn, u(10, idx, 0, 0) AS u_close,"
                + " u(11, idx, 0, 0) AS u_len, u(12, idx, 0, 0) AS u_mode, u(13, idx, 0, 0) AS u_depth, u(14, idx, 0, 0) AS u_mild,"
                + " u(15, idx, 0, 0) AS u_mstart, u(16, idx, 0, 0) AS u_spike, u(17, idx, 0, 0) AS u_smonth, u(18, idx, 0, 0) AS u_sday,"
                + " u(19, idx, 0, 0) AS u_gender, u(20, idx, 0, 0) AS u_age, u(21, idx, 0, 0) AS u_occ, nz(22, idx, 0, 0) AS z_inc,"
                + " u(23, idx, 0, 0) AS u_edu, u(24, idx, 0, 0) AS u_chan, u(25, idx, 0, 0) AS u_outlet, u(26, idx, 0, 0) AS u_sur,"
                + " u(27, idx, 0, 0) AS u_g1, u(28, idx, 0, 0) AS u_g2, u(29, idx, 0, 0) AS u_glen, u(31, idx, 0, 0) AS u_collapse,"
                + " u(32, idx, 0, 0) AS u_inc_null FROM s),\n");
        // b: segment, city, new joiner
        sql.append("b AS (SELECT *, CASE WHEN u_seg < 0.03 THEN 'key_account' WHEN u_seg < 0.18 THEN 'enterprise'"
                + " ELSE 'mass_market' END AS segment, ").append(bucket(CITY_SHARE, "u_city")).append(" AS ci,"
                + " u_new < ").append(Math.min(0.5, 0.015 * monthsEff)).append(" AS is_new,"
                + " CASE WHEN u_gender < 0.49 THEN 'M' WHEN u_gender < 0.97 THEN 'F' ELSE 'U' END AS gender FROM a),\n");
        // c: spend level, join date
        sql.append("c AS (SELECT *, CASE segment WHEN 'key_account' THEN 1.0 WHEN 'enterprise' THEN 0.8 ELSE 0.65 END AS sigma,"
                + " exp(CASE segment WHEN 'key_account' THEN ln(1800) + 1.0 * z_base WHEN 'enterprise' THEN ln(95) + 0.8 * z_base"
                + " ELSE ln(48) + 0.65 * z_base END) AS base,"
                + " CASE WHEN is_new THEN " + st + " + floor(u_join * greatest(1, " + (days - 7) + "))::INTEGER"
                + " ELSE " + st + " - 1 - floor(5475 * pow(u_join, 1.3))::INTEGER END AS join_date FROM b),\n");
        // d: churn and declines
        sql.append("d AS (SELECT *, real AND NOT is_new AND u_churn < 1 - pow(1 - 0.0175"
                + " * CASE segment WHEN 'key_account' THEN 0.5 WHEN 'enterprise' THEN 0.8 ELSE 1.1 END"
                + " * CASE WHEN " + st + " - join_date < 730 THEN 1.4 WHEN " + st + " - join_date > 2920 THEN 0.7 ELSE 1.0 END"
                + " * exp(0.7 * z_comm - 0.245), " + monthsEff + ") AS churner FROM c),\n");
        sql.append("e AS (SELECT *, CASE WHEN churner THEN " + st + " + 1 + floor(u_close * " + Math.max(1, days - 1)
                + ")::INTEGER END AS closed_date,"
                + " churner AND u_mode < CASE segment WHEN 'mass_market' THEN 0.3 ELSE 0.65 END AS collapse,"
                + " NOT churner AND NOT is_new AND u_mild < 0.05 AS mild,"
                + " NOT churner AND NOT is_new AND u_mild >= 0.05 AND u_spike < 0.04 AS spiker FROM d),\n");
        // f: plan
        StringBuilder plan = new StringBuilder("CASE");
        for (int i = PLAN_FEES.length - 1; i > 0; i--) {
            plan.append(" WHEN 0.55 * base >= ").append(PLAN_FEES[i]).append(" THEN ").append(PLAN_FEES[i]);
        }
        plan.append(" ELSE ").append(PLAN_FEES[0]).append(" END");
        sql.append("f AS (SELECT *, (").append(plan).append(") AS fee FROM e),\n");
        // g: event weights per product
        sql.append("g AS (SELECT *");
        String seg = "CASE segment WHEN 'key_account' THEN 1 WHEN 'enterprise' THEN 2 ELSE 3 END";
        for (int p = 0; p < 12; p++) {
            String share;
            if (p == 6 || p == 7) {
                String data = "CASE segment WHEN 'key_account' THEN " + EVENT_SHARE[0][6] + " WHEN 'enterprise' THEN "
                        + EVENT_SHARE[1][6] + " ELSE " + EVENT_SHARE[2][6] + " END";
                share = data + " * CASE WHEN fee >= 129 THEN " + (p == 6 ? "0.2" : "0.8") + " ELSE " + (p == 6 ? "0.9" : "0.1") + " END";
            } else {
                share = "[" + EVENT_SHARE[0][p] + ", " + EVENT_SHARE[1][p] + ", " + EVENT_SHARE[2][p] + "][" + seg + "]";
            }
            String boost = "CASE WHEN collapse AND " + collapseMatch("(" + (p + 1) + ")") + " THEN 3.0 ELSE 1.0 END";
            sql.append(", (").append(share).append(") * exp(0.5 * nz(").append(40 + p).append(", idx, 0, 0) - 0.125) * ")
                    .append(boost).append(" AS e").append(p + 1);
        }
        sql.append(" FROM (SELECT *, CASE WHEN collapse THEN CASE WHEN u_collapse < 0.6 THEN 2 WHEN u_collapse < 0.75"
                + " THEN 4 ELSE 7 END END AS collapse_code FROM f)),\n");
        // h: normalised shares, cumulative thresholds, rates
        StringBuilder esum = new StringBuilder("(e1");
        StringBuilder wsum = new StringBuilder("(e1 * " + PRICE_WEIGHT[0]);
        for (int p = 2; p <= 12; p++) {
            esum.append(" + e").append(p);
            wsum.append(" + e").append(p).append(" * ").append(PRICE_WEIGHT[p - 1]);
        }
        esum.append(")");
        wsum.append(")");
        sql.append("h AS (SELECT *, ").append(wsum).append(" / ").append(esum).append(" AS wsum");
        StringBuilder cum = new StringBuilder("e1");
        for (int p = 1; p <= 11; p++) {
            if (p > 1) {
                cum.append(" + e").append(p);
            }
            sql.append(", (").append(cum).append(") / ").append(esum).append(" AS c").append(p);
        }
        sql.append(" FROM g)\n");
        // final columns
        String ms = "(date_trunc('month', " + st + ") + to_months(floor(u_smonth * " + m + ")::INTEGER))::DATE";
        sql.append("SELECT idx, real, ").append(customerIdExpr("idx")).append(" AS customer_id, ")
                .append(msisdnExpr("idx")).append(" AS msisdn,\n");
        String male = pick(chars(MALE), "u_g1");
        String female = pick(chars(FEMALE), "u_g1");
        String male2 = pick(chars(MALE), "u_g2");
        String female2 = pick(chars(FEMALE), "u_g2");
        sql.append(" list_extract(").append(list(chars(SURNAMES))).append(", 1 + floor(").append(chars(SURNAMES).size())
                .append(" * pow(u_sur, 2.2))::INTEGER) || CASE WHEN gender = 'M' OR (gender = 'U' AND u_g2 < 0.5) THEN ")
                .append(male).append(" || CASE WHEN u_glen < 0.65 THEN ").append(male2).append(" ELSE '' END ELSE ")
                .append(female).append(" || CASE WHEN u_glen < 0.65 THEN ").append(female2).append(" ELSE '' END END AS name,\n");
        sql.append(" gender, " + en + " - floor(365.25 * (18 + 57 * pow(u_age, 1.3)))::INTEGER AS birth_date,\n");
        sql.append(" CASE WHEN u_occ < 0.1 THEN NULL ELSE ").append(pick(OCCUPATIONS, "((u_occ - 0.1) / 0.9)"))
                .append(" END AS occupation,\n");
        sql.append(" CASE WHEN u_inc_null < 0.15 THEN NULL ELSE ").append(list(INCOME_BANDS))
                .append("[CASE WHEN 0.6 * z_base + 0.8 * z_inc < -1.0 THEN 1 WHEN 0.6 * z_base + 0.8 * z_inc < -0.3 THEN 2"
                        + " WHEN 0.6 * z_base + 0.8 * z_inc < 0.4 THEN 3 WHEN 0.6 * z_base + 0.8 * z_inc < 1.1 THEN 4 ELSE 5 END]"
                        + " END AS income_band,\n");
        sql.append(" CASE WHEN u_edu < 0.10 THEN NULL WHEN u_edu < 0.22 THEN 'primary' WHEN u_edu < 0.50 THEN 'secondary'"
                + " WHEN u_edu < 0.72 THEN 'vocational' WHEN u_edu < 0.93 THEN 'bachelor' ELSE 'postgraduate' END AS education,\n");
        sql.append(" 'Sichuan' AS province, ").append(list(CITIES)).append("[ci] AS city,\n");
        StringJoiner dj = new StringJoiner(", ", "[", "]");
        DISTRICTS.forEach(d -> dj.add(list(d)));
        sql.append(" list_extract(").append(dj).append("[ci], 1 + floor(u_dist * len(").append(dj)
                .append("[ci]))::INTEGER) AS district,\n");
        sql.append(" segment, join_date, 'P' || lpad(fee::VARCHAR, 3, '0') AS plan_id, fee::DECIMAL(18,2) AS plan_fee,\n");
        sql.append(" CASE segment WHEN 'key_account' THEN CASE WHEN u_chan < 0.85 THEN 'direct' ELSE 'store' END"
                + " WHEN 'enterprise' THEN CASE WHEN u_chan < 0.40 THEN 'direct' WHEN u_chan < 0.60 THEN 'store'"
                + " WHEN u_chan < 0.80 THEN 'agent' WHEN u_chan < 0.90 THEN 'telesales' ELSE 'online' END"
                + " ELSE CASE WHEN u_chan < 0.35 THEN 'store' WHEN u_chan < 0.65 THEN 'agent' WHEN u_chan < 0.90 THEN 'online'"
                + " ELSE 'telesales' END END AS channel_type,\n");
        sql.append(" CASE WHEN closed_date IS NOT NULL AND closed_date <= " + en + " THEN 'closed' ELSE 'active' END AS status,"
                + " closed_date,\n");
        sql.append(" base, greatest(base - fee, 3 + 0.1 * base) AS usage_target,\n");
        sql.append(" ").append(s.eventsPerDay()).append(" * CASE segment WHEN 'key_account' THEN 2.0 WHEN 'enterprise' THEN 1.4"
                + " ELSE 0.9 END / 1.008 * exp(0.3 * sigma * z_base - 0.045 * sigma * sigma) * exp(0.3 * z_act - 0.045) AS lam,\n");
        sql.append(" wsum, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, comm, is_new, churner, collapse, mild, spiker,"
                + " collapse_code,\n");
        sql.append(" CASE WHEN churner THEN closed_date - 60 - floor(u_len * 61)::INTEGER END AS decl_start,\n");
        sql.append(" CASE WHEN NOT churner THEN NULL WHEN collapse THEN 0.25 ELSE 0.6 + 0.35 * u_depth END AS decl_depth,\n");
        sql.append(" CASE WHEN collapse THEN 0.7 + 0.2 * u_depth END AS collapse_depth,\n");
        sql.append(" CASE WHEN mild THEN " + st + " - 30 + floor(u_mstart * " + days + ")::INTEGER END AS mild_start,\n");
        sql.append(" CASE WHEN mild THEN 0.2 + 0.25 * u_depth END AS mild_depth,\n");
        sql.append(" CASE WHEN spiker THEN " + ms + " + floor(u_sday * (day(last_day(" + ms + ")) - 8))::INTEGER END AS spike_day,\n");
        sql.append(" u_chan, u_outlet FROM h");
        return sql.toString();
    }

    /** True when product index expression {@code p} belongs to a customer's collapsing service. */
    static String collapseMatch(String p) {
        return "(collapse_code = " + p + " OR (collapse_code = 7 AND " + p + " IN (8, 9)))";
    }

    /** Adds the acquisition outlet (needs city and district) and the msisdn hash; final customers table. */
    String channelColumn() {
        return "CASE channel_type"
                + " WHEN 'store' THEN city || ' ' || district || ' Store ' || (1 + floor(u_outlet * 3)::INTEGER)::VARCHAR"
                + " WHEN 'agent' THEN city || ' Agent ' || lpad((1 + floor(u_outlet * 12)::INTEGER)::VARCHAR, 2, '0')"
                + " WHEN 'online' THEN " + pick(List.of("Mobile App", "Web Shop", "WeChat Mini Program", "Tmall Shop"), "u_outlet")
                + " WHEN 'telesales' THEN 'Telesales Center ' || (1 + floor(u_outlet * 2)::INTEGER)::VARCHAR"
                + " ELSE city || ' Enterprise Team' END";
    }
}
