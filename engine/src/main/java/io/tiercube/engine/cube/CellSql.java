package io.tiercube.engine.cube;

import io.tiercube.engine.backend.Backend;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The SQL of a month's cells, for both build plans: the customer pre-aggregate (with the day as a bit
 * mask), the customers' attributes, and the GROUPING SETS that turn either into cuboid cells.
 */
final class CellSql {

    private CellSql() {
    }

    /** Whether the usage rows must be joined to customers for the pre-aggregate (a measure reads a customer column). */
    static boolean needsCustomerJoin(CubeModel m, List<CubeModel.Level> rest) {
        return rest.stream().anyMatch(l -> CubeModel.CUSTOMER_COLUMNS.contains(l.column()))
                || m.baseMeasures().stream().anyMatch(x -> x.sqlExpr() != null && x.sqlExpr().contains("c."));
    }

    /**
     * Customer x the non-customer levels of the cuboids (product, day, ...), with additive partial
     * aggregates (distinct counts left out). Customer attributes are not in the key: they are joined
     * once per customer later, which is what makes the pre-aggregate narrow.
     */
    static String preaggregateSql(CubeModel m, String facts, List<CubeModel.Level> rest, CubeModel.Level day) {
        List<String> keys = new ArrayList<>(List.of("customer_id"));
        rest.stream().filter(l -> l != day).forEach(l -> keys.add(l.alias()));
        StringBuilder sel = new StringBuilder(String.join(", ", keys));
        if (day != null) {
            // Bit d-1 set: the customer had a row on day d. Keying by day instead would make the
            // pre-aggregate nearly as long as the facts (customer x day x product).
            sel.append(", bit_or(CAST(power(2, ").append(FactSql.DAY_OF_MONTH).append(" - 1) AS BIGINT)) AS ").append(DAY_MASK);
        }
        sel.append(", CAST(count(*) AS BIGINT) AS ").append(FactSql.ROWS);
        for (CubeModel.Measure x : m.baseMeasures()) {
            if (x.agg() != CubeModel.Agg.COUNT_DISTINCT) {
                sel.append(", ").append(FactSql.aggregateFacts(x, "in_" + x.name())).append(" AS ").append(x.alias());
            }
        }
        return "SELECT " + sel + " FROM (" + facts + ") f GROUP BY " + String.join(", ", keys);
    }

    /** One row per customer of the month with its customer-attribute levels (from the customers snapshot). */
    static String customerAttributesSql(Backend b, CubeModel m, String preView) {
        StringBuilder sel = new StringBuilder("k.customer_id AS customer_id");
        for (CubeModel.Level l : CubeBuild.allCuboidLevels(m)) {
            if (m.isCustomerLevel(l)) {
                sel.append(", ").append(FactSql.levelExpr(l, b.dialect())).append(" AS ").append(l.alias());
            }
        }
        return "SELECT " + sel + " FROM (SELECT DISTINCT customer_id FROM " + preView + ") k LEFT JOIN "
                + FactSql.customersView(m) + " c ON k.customer_id = c.customer_id";
    }

    /** The cuboid-id expression over the GROUPING() flags of the levels a query groups by. */
    static String idExpr(List<CubeModel.Level> grouped, CubeModel m, boolean groupingSets) {
        if (!groupingSets) {
            return null;
        }
        if (grouped.isEmpty()) {
            return "CAST(0 AS BIGINT)";
        }
        return "CAST(" + grouped.stream()
                .map(l -> "CASE WHEN GROUPING(" + l.alias() + ") = 0 THEN " + (1L << m.cuboidLevels().indexOf(l)) + " ELSE 0 END")
                .collect(Collectors.joining(" + ")) + " AS BIGINT)";
    }

    /**
     * One SELECT computing some cuboids over a relation whose level columns carry their aliases.
     * {@code measures} are the already-written aggregate expressions (with their aliases), in storage order.
     */
    static String cuboidsSelect(CubeModel m, List<Cuboid> cuboids, String from, YearMonth month, List<String> measures) {
        Set<CubeModel.Level> grouped = new LinkedHashSet<>();
        for (CubeModel.Level l : m.cuboidLevels()) {
            if (cuboids.stream().anyMatch(c -> c.levels().contains(l))) {
                grouped.add(l);
            }
        }
        boolean sets = cuboids.size() > 1;
        String id = sets ? idExpr(new ArrayList<>(grouped), m, true) : "CAST(" + cuboids.get(0).id() + " AS BIGINT)";
        StringBuilder sel = new StringBuilder(id + " AS cuboid_id, '" + month + "' AS month");
        for (CubeModel.Level l : m.cuboidLevels()) {
            sel.append(", ").append(grouped.contains(l) ? l.alias() : "CAST(NULL AS STRING)").append(" AS ").append(l.alias());
        }
        for (String x : measures) {
            sel.append(", ").append(x);
        }
        String groupBy;
        if (sets) {
            groupBy = " GROUP BY GROUPING SETS (" + cuboids.stream()
                    .map(c -> "(" + c.levels().stream().map(CubeModel.Level::alias).collect(Collectors.joining(", ")) + ")")
                    .collect(Collectors.joining(", ")) + ")";
        } else if (cuboids.get(0).levels().isEmpty()) {
            groupBy = "";
        } else {
            groupBy = " GROUP BY " + cuboids.get(0).levels().stream().map(CubeModel.Level::alias).collect(Collectors.joining(", "));
        }
        return "SELECT " + sel + " FROM " + from + groupBy;
    }

    /** Every cuboid in one GROUPING SETS query over the facts, users by {@code count(DISTINCT)}. */
    static String distinctSql(CubeModel m, String facts, YearMonth month) {
        List<String> ms = new ArrayList<>();
        ms.add("CAST(count(*) AS BIGINT) AS " + FactSql.ROWS);
        for (CubeModel.Measure x : m.baseMeasures()) {
            ms.add(FactSql.aggregateFacts(x, "in_" + x.name()) + " AS " + x.alias());
        }
        return cuboidsSelect(m, m.cuboids(), "(" + facts + ") f", month, ms);
    }

    /** Column of the pre-aggregate holding a customer's active days of the month as bits. */
    static final String DAY_MASK = "day_mask";

    static boolean isDay(CubeModel.Level l) {
        return "day".equals(l.column());
    }

    /**
     * Cuboids from the customer pre-aggregate: cuboids are grouped by their non-customer levels; each
     * group reads the pre-aggregate rolled up to customer x those levels and joined to the customer's
     * attributes, where a customer is one row per cell, so {@code count(*)} is the exact number of
     * distinct customers. Groups with the day take their additive measures from the facts and their
     * users from the day masks (see {@link #dailyAdditiveSql} and {@link #dailyUsersSql}).
     */
    static String preaggregateCellsSql(CubeModel m, String preView, String attrView, String dailyView, List<CubeModel.Level> rest,
            CubeModel.Level day, YearMonth month) {
        Map<List<CubeModel.Level>, List<Cuboid>> byRest = new LinkedHashMap<>();
        for (Cuboid c : m.cuboids()) {
            List<CubeModel.Level> r = c.levels().stream().filter(l -> !m.isCustomerLevel(l)).toList();
            byRest.computeIfAbsent(r, k -> new ArrayList<>()).add(c);
        }
        int preKeys = day == null ? rest.size() : rest.size() - 1;
        List<String> selects = new ArrayList<>();
        for (Map.Entry<List<CubeModel.Level>, List<Cuboid>> e : byRest.entrySet()) {
            List<CubeModel.Level> own = e.getKey().stream().filter(l -> l != day).toList();
            boolean daily = own.size() < e.getKey().size();
            List<String> keys = new ArrayList<>(List.of("customer_id"));
            own.forEach(l -> keys.add(l.alias()));
            List<String> outer = new ArrayList<>();
            outer.add("CAST(sum(" + FactSql.ROWS + ") AS BIGINT) AS " + FactSql.ROWS);
            StringBuilder inner = new StringBuilder(String.join(", ", keys));
            inner.append(", CAST(sum(").append(FactSql.ROWS).append(") AS BIGINT) AS ").append(FactSql.ROWS);
            for (CubeModel.Measure x : m.baseMeasures()) {
                if (x.agg() == CubeModel.Agg.COUNT_DISTINCT) {
                    outer.add("CAST(count(*) AS BIGINT) AS " + x.alias());
                } else {
                    inner.append(", ").append(FactSql.reaggregate(x, x.alias())).append(" AS ").append(x.alias());
                    outer.add(FactSql.reaggregate(x, x.alias()) + " AS " + x.alias());
                }
            }
            if (daily) {
                inner.append(", bit_or(").append(DAY_MASK).append(") AS ").append(DAY_MASK);
            }
            String g = own.size() == preKeys ? preView
                    : "(SELECT " + inner + " FROM " + preView + " GROUP BY " + String.join(", ", keys) + ")";
            List<String> attrs = new ArrayList<>();
            for (CubeModel.Level l : m.cuboidLevels()) {
                if (m.isCustomerLevel(l) && e.getValue().stream().anyMatch(c -> c.levels().contains(l))) {
                    attrs.add("a." + l.alias());
                }
            }
            String from = attrs.isEmpty() ? g + " g"
                    : "(SELECT g.*, " + String.join(", ", attrs) + " FROM " + g + " g JOIN " + attrView
                    + " a ON g.customer_id = a.customer_id) j";
            if (!daily) {
                List<String> rolled = new ArrayList<>(List.of("CAST(sum(" + FactSql.ROWS + ") AS BIGINT) AS " + FactSql.ROWS));
                m.baseMeasures().forEach(x -> rolled.add(FactSql.reaggregate(x, x.alias()) + " AS " + x.alias()));
                selects.add(fromFinestCells(m, e.getValue(), from, month, outer, rolled));
                continue;
            }
            List<String> cellKeys = new ArrayList<>(List.of("cuboid_id", "month"));
            m.cuboidLevels().forEach(l -> cellKeys.add(l.alias()));
            String both = dailyAdditiveSql(m, e.getValue(), dailyView, month) + " UNION ALL "
                    + dailyUsersSql(m, e.getValue(), from, day, month);
            List<String> merged = new ArrayList<>(List.of("CAST(sum(" + FactSql.ROWS + ") AS BIGINT) AS " + FactSql.ROWS));
            for (CubeModel.Measure x : m.baseMeasures()) {
                merged.add(FactSql.reaggregate(x, x.alias()) + " AS " + x.alias());
            }
            selects.add("SELECT " + String.join(", ", cellKeys) + ", " + String.join(", ", merged) + " FROM (" + both + ") parts GROUP BY "
                    + String.join(", ", cellKeys));
        }
        return String.join(" UNION ALL ", selects);
    }

    /**
     * Cuboids that share their non-customer levels, over customer rows ({@code from}: one row per
     * customer and cell of those levels). A customer is in exactly one value of each customer
     * attribute, so users add up across them: one aggregation of the customer rows to the finest
     * cells of the cuboids ({@code perCustomer}), then every cuboid from those few cells ({@code
     * rolled}, which must re-aggregate each of them by its alias), instead of an aggregation of every
     * customer row per cuboid.
     */
    private static String fromFinestCells(CubeModel m, List<Cuboid> cuboids, String from, YearMonth month, List<String> perCustomer,
            List<String> rolled) {
        if (cuboids.size() == 1) {
            return cuboidsSelect(m, cuboids, from, month, perCustomer);
        }
        List<String> finest = m.cuboidLevels().stream().filter(l -> cuboids.stream().anyMatch(c -> c.levels().contains(l)))
                .map(CubeModel.Level::alias).toList();
        String keys = String.join(", ", finest);
        String fine = "(SELECT " + (finest.isEmpty() ? "" : keys + ", ") + String.join(", ", perCustomer) + " FROM " + from
                + (finest.isEmpty() ? "" : " GROUP BY " + keys) + ") fine";
        return cuboidsSelect(m, cuboids, fine, month, rolled);
    }

    /** Every level of the cuboids that hold the day (the day included). */
    static List<CubeModel.Level> dailyLevels(CubeModel m, CubeModel.Level day) {
        Set<CubeModel.Level> levels = new LinkedHashSet<>();
        for (Cuboid c : m.cuboids()) {
            if (c.levels().contains(day)) {
                levels.addAll(c.levels());
            }
        }
        return m.cuboidLevels().stream().filter(levels::contains).toList();
    }

    /**
     * The additive measures of the facts at the finest grain of the daily cuboids (day x every level
     * they use: a few thousand rows a month). One scan of the facts for all daily cuboids, instead of
     * one aggregation of every fact row per grouping set; distinct counts come from the day masks.
     */
    static String dailyFinestSql(Backend b, CubeModel m, YearMonth month, List<CubeModel.Level> levels) {
        // Grouped by the day's number and only then made 'YYYY-MM-DD' text: formatting every fact
        // row's date cost more than the aggregation.
        List<String> keys = levels.stream().map(l -> isDay(l) ? FactSql.DAY_OF_MONTH : l.alias()).toList();
        List<String> outer = levels.stream().map(l -> isDay(l)
                ? "concat('" + month + "-', lpad(CAST(" + FactSql.DAY_OF_MONTH + " AS STRING), 2, '0')) AS " + l.alias()
                : l.alias()).collect(Collectors.toCollection(ArrayList::new));
        StringBuilder sel = new StringBuilder(String.join(", ", keys));
        sel.append(", CAST(count(*) AS BIGINT) AS ").append(FactSql.ROWS);
        outer.add(FactSql.ROWS);
        for (CubeModel.Measure x : m.baseMeasures()) {
            if (x.agg() != CubeModel.Agg.COUNT_DISTINCT) {
                sel.append(", ").append(FactSql.aggregateFacts(x, "in_" + x.name())).append(" AS ").append(x.alias());
                outer.add(x.alias());
            }
        }
        List<CubeModel.Level> factLevels = levels.stream().filter(l -> !isDay(l)).toList();
        return "SELECT " + String.join(", ", outer) + " FROM (SELECT " + sel + " FROM (" + FactSql.facts(b, m, List.of(month), factLevels, true)
                + ") fx GROUP BY " + String.join(", ", keys) + ") fine";
    }

    /** Additive measures of some daily cuboids, rolled up from {@link #dailyFinestSql}'s relation; distinct counts NULL. */
    private static String dailyAdditiveSql(CubeModel m, List<Cuboid> cuboids, String dailyView, YearMonth month) {
        List<String> outer = new ArrayList<>(List.of("CAST(sum(" + FactSql.ROWS + ") AS BIGINT) AS " + FactSql.ROWS));
        for (CubeModel.Measure x : m.baseMeasures()) {
            if (x.agg() == CubeModel.Agg.COUNT_DISTINCT) {
                String type = FactSql.storedType(x);
                outer.add("CAST(NULL AS " + (type == null ? "DOUBLE" : type) + ") AS " + x.alias());
            } else {
                outer.add(FactSql.reaggregate(x, x.alias()) + " AS " + x.alias());
            }
        }
        return cuboidsSelect(m, cuboids, dailyView, month, outer);
    }

    /**
     * Users of daily cuboids from the day masks: the cuboids are grouped without the day, counting per
     * cell the customers whose mask has bit d, for each day d of the month in one pass (u1 … u31); the
     * counts are then turned into one row per cell and day. No row per customer and day is ever made.
     */
    private static String dailyUsersSql(CubeModel m, List<Cuboid> cuboids, String from, CubeModel.Level day, YearMonth month) {
        long dayBit = 1L << m.cuboidLevels().indexOf(day);
        List<Cuboid> withoutDay = cuboids.stream()
                .map(c -> new Cuboid(c.id() & ~dayBit, c.levels().stream().filter(l -> l != day).toList()))
                .toList();
        int days = month.lengthOfMonth();
        List<String> perDay = new ArrayList<>();
        for (int i = 1; i <= days; i++) {
            perDay.add("CAST(sum(CASE WHEN (" + DAY_MASK + " & CAST(" + (1L << (i - 1)) + " AS BIGINT)) <> 0 THEN 1 ELSE 0 END) AS BIGINT) AS u" + i);
        }
        List<String> perDaySums = java.util.stream.IntStream.rangeClosed(1, days)
                .mapToObj(i -> "CAST(sum(u" + i + ") AS BIGINT) AS u" + i).toList();
        String counted = fromFinestCells(m, withoutDay, "(SELECT * FROM " + from + ") f", month, perDay, perDaySums);
        String dayRows = java.util.stream.IntStream.rangeClosed(1, days)
                .mapToObj(i -> "SELECT " + i + " AS dn, '" + month.atDay(i) + "' AS day_text")
                .collect(Collectors.joining(" UNION ALL "));
        StringBuilder users = new StringBuilder("CASE dd.dn");
        for (int i = 1; i <= days; i++) {
            users.append(" WHEN ").append(i).append(" THEN u").append(i);
        }
        users.append(" END");
        StringBuilder sel = new StringBuilder("uc.cuboid_id + " + dayBit + " AS cuboid_id, uc.month AS month");
        for (CubeModel.Level l : m.cuboidLevels()) {
            sel.append(", ").append(l == day ? "dd.day_text" : "uc." + l.alias()).append(" AS ").append(l.alias());
        }
        sel.append(", CAST(NULL AS BIGINT) AS ").append(FactSql.ROWS);
        for (CubeModel.Measure x : m.baseMeasures()) {
            String type = FactSql.storedType(x);
            sel.append(", ").append(x.agg() == CubeModel.Agg.COUNT_DISTINCT ? users.toString()
                    : "CAST(NULL AS " + (type == null ? "DOUBLE" : type) + ")").append(" AS ").append(x.alias());
        }
        return "SELECT " + sel + " FROM (" + counted + ") uc CROSS JOIN (" + dayRows + ") dd WHERE " + users + " > 0";
    }
}
