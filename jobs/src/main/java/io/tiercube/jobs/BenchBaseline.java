package io.tiercube.jobs;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.cube.CubeModel;
import io.tiercube.engine.ingest.InputFolder;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The same core work written straightforwardly in plain DuckDB SQL, timed once per run. */
final class BenchBaseline {
    private final InputFolder folder;
    private final Path dir;
    private final String memoryLimit;
    private Double ingest;
    private long usageRows = -1;

    BenchBaseline(InputFolder folder, Path dir, String memoryLimit) {
        this.folder = folder;
        this.dir = dir;
        this.memoryLimit = memoryLimit;
    }

    long usageRows() {
        return usageRows;
    }

    /** Each baseline's seconds once timed (null when it could not finish), by name. */
    private final Map<String, Double> timings = new LinkedHashMap<>();

    private Double once(String name, java.util.function.Supplier<String> sql) {
        if (!timings.containsKey(name)) {
            timings.put(name, timeSql(sql.get()));
        }
        return timings.get(name);
    }

    /**
     * The model's cells computed naively: one GROUPING SETS over exactly the model's cuboids, with
     * {@code count(DISTINCT)} for distinct measures, over the baseline's Parquet joined to the
     * customers file. The same cells as the build, so the ratio compares like with like.
     */
    Double cubeSeconds(CubeModel model) {
        ingestSeconds();
        return once("cube " + model.name(), () -> naiveCubeSql(model, dir.resolve("usage.parquet"), folder.customers().path()));
    }

    static String naiveCubeSql(CubeModel model, Path usageParquet, Path customersCsv) {
        List<String> sets = new ArrayList<>();
        java.util.Set<String> columns = new java.util.LinkedHashSet<>();
        for (io.tiercube.engine.cube.Cuboid c : model.cuboids()) {
            List<String> cols = c.levels().stream().map(BenchBaseline::naiveLevel).toList();
            columns.addAll(cols);
            sets.add("(" + String.join(", ", cols) + ")");
        }
        List<String> select = new ArrayList<>(columns);
        select.add("count(*) AS n_rows");
        for (CubeModel.Measure m : model.baseMeasures()) {
            String agg = switch (m.agg()) {
                case SUM -> "sum(" + m.sqlExpr() + ")";
                case COUNT -> m.sqlExpr() == null ? "count(*)" : "count(" + m.sqlExpr() + ")";
                case COUNT_DISTINCT -> "count(DISTINCT " + m.sqlExpr() + ")";
                case MIN -> "min(" + m.sqlExpr() + ")";
                case MAX -> "max(" + m.sqlExpr() + ")";
                case RATIO -> throw new IllegalArgumentException("ratio is not a base measure");
            };
            select.add(agg + " AS " + m.alias());
        }
        return "SELECT " + String.join(", ", select) + " FROM read_parquet('" + usageParquet.toAbsolutePath() + "') u JOIN read_csv('"
                + customersCsv.toAbsolutePath() + "', header = true, ignore_errors = true) c USING (customer_id) "
                + "GROUP BY GROUPING SETS (" + String.join(", ", sets) + ")";
    }

    /** A level over the baseline's columns: time from event_time, the rest straight from usage or customers. */
    private static String naiveLevel(CubeModel.Level l) {
        return switch (l.column()) {
            case "month" -> "strftime(u.event_time, '%Y-%m')";
            case "day" -> "CAST(u.event_time AS DATE)";
            default -> (CubeModel.CUSTOMER_COLUMNS.contains(l.column()) ? "c." : "u.") + l.column();
        };
    }

    /** Per-customer monthly spend, the core of profiles and tiers. */
    Double profileSeconds() {
        ingestSeconds();
        return once("profiles", () -> "SELECT customer_id, strftime(CAST(event_time AS TIMESTAMP), '%Y-%m') AS month, sum(charge)"
                + " FROM read_parquet('" + dir.resolve("usage.parquet").toAbsolutePath() + "') GROUP BY ALL");
    }

    /**
     * Seconds to run a query into a temporary table; the median of three when it is short. Null,
     * with a line on stderr, when it cannot finish: its spill is capped at half the free disk, so
     * a baseline too big for the machine fails instead of filling the disk.
     */
    private Double timeSql(String sql) {
        List<Double> runs = new ArrayList<>();
        for (int i = 0; i < 3 && (i == 0 || runs.get(0) < BenchCommand.SHORT_STEP_SECONDS); i++) {
            try (Backend b = Engine.DUCKDB.open(new Engine.Options(null, dir.resolve("_tmp"), memoryLimit))) {
                long free = Files.getFileStore(dir).getUsableSpace();
                b.execute("SET max_temp_directory_size = '" + Math.max(1, free / 2 / (1 << 20)) + "MB'");
                long t0 = System.nanoTime();
                b.execute("CREATE TEMP TABLE t AS " + sql);
                runs.add((System.nanoTime() - t0) / 1e9);
            } catch (io.tiercube.engine.backend.SqlFailure e) {
                System.err.println("bench: a baseline did not finish: " + e.getMessage().lines().findFirst().orElse(""));
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        java.util.Collections.sort(runs);
        return runs.get(runs.size() / 2);
    }

    /**
     * {@code read_csv} of the same files the ingest step loads (customers, every usage day,
     * complaints) into Parquet: what a hand-written load does.
     */
    double ingestSeconds() {
        if (ingest == null) {
            try (Backend b = Engine.DUCKDB.open(new Engine.Options(null, dir.resolve("_tmp"), memoryLimit))) {
                Files.createDirectories(dir);
                List<Path> days = folder.usageDays().values().stream().map(InputFolder.InputFile::path).toList();
                long t0 = System.nanoTime();
                plainLoad(b, List.of(folder.customers().path()), CUSTOMER_TYPES, "customers.parquet");
                plainLoad(b, days, USAGE_TYPES, "usage.parquet");
                if (folder.complaints().isPresent()) {
                    plainLoad(b, List.of(folder.complaints().get().path()), COMPLAINT_TYPES, "complaints.parquet");
                }
                ingest = (System.nanoTime() - t0) / 1e9;
                usageRows = b.query("SELECT count(*) FROM read_parquet('" + dir.resolve("usage.parquet").toAbsolutePath() + "')").scalarLong();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ingest;
    }

    // Typed columns, as a hand-written load declares them; bad rows are skipped, not reported.
    private static final String USAGE_TYPES = "'record_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'event_time': 'TIMESTAMP', "
            + "'service': 'VARCHAR', 'call_type': 'VARCHAR', 'product': 'VARCHAR', 'duration_s': 'BIGINT', "
            + "'volume_mb': 'DECIMAL(18,3)', 'charge': 'DECIMAL(18,2)', 'other_party': 'VARCHAR'";
    private static final String CUSTOMER_TYPES = "'customer_id': 'VARCHAR', 'msisdn': 'VARCHAR', 'name': 'VARCHAR', "
            + "'gender': 'VARCHAR', 'birth_date': 'DATE', 'occupation': 'VARCHAR', 'income_band': 'VARCHAR', 'education': 'VARCHAR', "
            + "'province': 'VARCHAR', 'city': 'VARCHAR', 'district': 'VARCHAR', 'segment': 'VARCHAR', 'join_date': 'DATE', "
            + "'plan_id': 'VARCHAR', 'plan_fee': 'DECIMAL(18,2)', 'channel_type': 'VARCHAR', 'channel': 'VARCHAR', "
            + "'status': 'VARCHAR', 'closed_date': 'DATE'";
    private static final String COMPLAINT_TYPES = "'ticket_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'opened_at': 'TIMESTAMP', "
            + "'category': 'VARCHAR', 'resolved_at': 'TIMESTAMP', 'satisfaction': 'BIGINT'";

    private void plainLoad(Backend b, List<Path> files, String types, String parquet) throws IOException {
        Warehouse.deleteTree(dir.resolve(parquet));
        String list = files.stream().map(f -> "'" + f.toAbsolutePath() + "'").collect(java.util.stream.Collectors.joining(", "));
        b.execute("COPY (SELECT * FROM read_csv([" + list + "], header = true, ignore_errors = true, columns = {" + types + "})) TO '"
                + dir.resolve(parquet).toAbsolutePath() + "' (FORMAT parquet)");
    }
}
