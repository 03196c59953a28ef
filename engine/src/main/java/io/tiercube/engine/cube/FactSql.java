package io.tiercube.engine.cube;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Dialect;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The SQL both the build and the drill's fallback read: usage rows of some months joined to the
 * customers snapshot, with every level as a string column named by its alias and every base
 * measure's input as a typed column. Also the per-cell aggregate of each measure, with the stored
 * type fixed here (not left to the engine) so DuckDB and Spark write the same Parquet schema.
 */
final class FactSql {

    /** Value of a level whose source is NULL (e.g. a usage row whose customer is not in the snapshot). */
    static final String UNKNOWN = "(unknown)";

    /** Day of the month (1–31) of a facts row, as a number: formatting the day as text costs more than the aggregation. */
    static final String DAY_OF_MONTH = "day_of_month";

    /** Storage column for the number of usage rows behind a cell. */
    static final String ROWS = "n_rows";

    private static final Map<String, String> COLUMN_TYPES = Map.of(
            "charge", "DECIMAL(38, 2)", "plan_fee", "DECIMAL(38, 2)", "volume_mb", "DECIMAL(38, 3)",
            "duration_s", "BIGINT");

    private FactSql() {
    }

    static String usageView(CubeModel m, YearMonth month) {
        return "cube_src_" + m.name() + "_" + month.toString().replace('-', '_');
    }

    static String customersView(CubeModel m) {
        return "cube_customers_" + m.name();
    }

    static Path usageMonthDir(Warehouse wh, YearMonth month) {
        return wh.usageDay(month.atDay(1)).getParent();
    }

    /** True when the warehouse holds usage files for that month. */
    static boolean hasUsage(Warehouse wh, YearMonth month) {
        Path dir = usageMonthDir(wh, month);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var s = Files.walk(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Registers the views the facts SELECT reads: one per usage month, and the customer attributes
     * of the latest snapshot (an empty relation when there is none yet). Returns the months that have
     * usage data.
     */
    static List<YearMonth> registerSources(Backend b, Warehouse wh, CubeModel m, Collection<YearMonth> months) {
        List<YearMonth> present = new ArrayList<>();
        for (YearMonth ym : months) {
            if (b.registerParquet(usageView(m, ym), usageMonthDir(wh, ym))) {
                present.add(ym);
            }
        }
        Optional<Path> snap = wh.latestCustomersSnapshot();
        if (snap.isEmpty() || !b.registerParquet(customersView(m) + "_raw", snap.get())) {
            String cols = CubeModel.CUSTOMER_COLUMNS.stream().map(c -> "CAST(NULL AS STRING) AS " + c)
                    .collect(Collectors.joining(", "));
            b.createView(customersView(m), "SELECT CAST(NULL AS STRING) AS customer_id, " + cols + " FROM (SELECT 1 AS x) t WHERE x = 0");
        } else {
            b.createView(customersView(m), "SELECT * FROM " + customersView(m) + "_raw");
        }
        return present;
    }

    /** Name of the latest customers snapshot directory, for the record. */
    static String snapshotName(Warehouse wh) {
        return wh.latestCustomersSnapshot().map(p -> p.getFileName().toString()).orElse(null);
    }

    /** The expression of a level over the joined row ({@code u} usage, {@code c} customer). */
    static String levelExpr(CubeModel.Level l, Dialect d) {
        return switch (l.column()) {
            case "month" -> d.formatMonth("u.event_date");
            case "day" -> d.formatDay("u.event_date");
            default -> {
                String q = (CubeModel.USAGE_COLUMNS.contains(l.column()) ? "u." : "c.") + l.column();
                yield "COALESCE(CAST(" + q + " AS STRING), '" + UNKNOWN + "')";
            }
        };
    }

    /** The per-row input of a base measure. */
    static String inputExpr(CubeModel.Measure m) {
        return switch (m.agg()) {
            case COUNT -> m.sqlExpr() == null ? "CAST(1 AS BIGINT)"
                    : "CAST(CASE WHEN (" + m.sqlExpr() + ") IS NULL THEN 0 ELSE 1 END AS BIGINT)";
            case COUNT_DISTINCT -> m.sqlExpr();
            case SUM, MIN, MAX -> Expr.isBareColumn(m.expr()) ? m.sqlExpr() : "CAST(" + m.sqlExpr() + " AS DOUBLE)";
            case RATIO -> throw new IllegalArgumentException("ratio has no input");
        };
    }

    /** The SQL type a cell of this measure is stored as. */
    static String storedType(CubeModel.Measure m) {
        return switch (m.agg()) {
            case COUNT, COUNT_DISTINCT -> "BIGINT";
            case SUM -> Expr.isBareColumn(m.expr()) ? COLUMN_TYPES.getOrDefault(m.expr().trim(), "DOUBLE") : "DOUBLE";
            case MIN, MAX -> {
                if (!Expr.isBareColumn(m.expr())) {
                    yield "DOUBLE";
                }
                String t = COLUMN_TYPES.get(m.expr().trim());
                yield t == null ? null : t.replace("38", "18");
            }
            case RATIO -> throw new IllegalArgumentException("ratio is not stored");
        };
    }

    /** Aggregate of the measure's input over facts rows, cast to its stored type. */
    static String aggregateFacts(CubeModel.Measure m, String input) {
        String agg = switch (m.agg()) {
            case SUM, COUNT -> "sum(" + input + ")";
            case COUNT_DISTINCT -> "count(DISTINCT " + input + ")";
            case MIN -> "min(" + input + ")";
            case MAX -> "max(" + input + ")";
            case RATIO -> throw new IllegalArgumentException();
        };
        return cast(agg, storedType(m));
    }

    /** Aggregate of cells (or of a pre-aggregate) of this measure; for distinct counts only when exact. */
    static String reaggregate(CubeModel.Measure m, String cell) {
        String agg = switch (m.agg()) {
            case SUM, COUNT, COUNT_DISTINCT -> "sum(" + cell + ")";
            case MIN -> "min(" + cell + ")";
            case MAX -> "max(" + cell + ")";
            case RATIO -> throw new IllegalArgumentException();
        };
        return cast(agg, storedType(m));
    }

    static String cast(String expr, String type) {
        return type == null ? expr : "CAST(" + expr + " AS " + type + ")";
    }

    /**
     * The joined facts of some months: {@code customer_id}, {@code month}, {@code day_of_month}, each level's alias, and
     * {@code in_<measure>} for each base measure.
     */
    static String facts(Backend b, CubeModel m, Collection<YearMonth> months, Collection<CubeModel.Level> levels) {
        return facts(b, m, months, levels, true);
    }

    /** As above; without the customers join when {@code join} is false (no level or measure reads a customer column). */
    static String facts(Backend b, CubeModel m, Collection<YearMonth> months, Collection<CubeModel.Level> levels, boolean join) {
        Dialect d = b.dialect();
        StringBuilder cols = new StringBuilder("u.customer_id AS customer_id, " + d.formatMonth("u.event_date") + " AS month, dayofmonth(u.event_date) AS "
                + DAY_OF_MONTH);
        for (CubeModel.Level l : levels) {
            if (!l.isMonth()) {
                cols.append(", ").append(levelExpr(l, d)).append(" AS ").append(l.alias());
            }
        }
        for (CubeModel.Measure x : m.baseMeasures()) {
            cols.append(", ").append(inputExpr(x)).append(" AS in_").append(x.name());
        }
        String usage = months.stream().map(ym -> "SELECT * FROM " + usageView(m, ym))
                .collect(Collectors.joining(" UNION ALL "));
        if (months.isEmpty()) {
            throw new IllegalArgumentException("no months");
        }
        String src = months.size() == 1 ? usageView(m, months.iterator().next()) : "(" + usage + ")";
        return "SELECT " + cols + " FROM " + src + " u"
                + (join ? " LEFT JOIN " + customersView(m) + " c ON u.customer_id = c.customer_id" : "");
    }
}
