package io.tiercube.engine.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** DuckDB embedded, in memory; the warehouse lives in Parquet files, not in a DuckDB database. */
final class DuckDbBackend implements Backend {

    private final Connection connection;
    private final Dialect dialect = new DuckDbDialect();
    private final long memoryBudget;

    DuckDbBackend(Engine.Options options) {
        try {
            connection = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement s = connection.createStatement()) {
                // Deliberate limits so large months spill to disk instead of failing (DESIGN.md).
                // The default is 60 % of RAM; a given limit is a checked size (Engine.Options), never other text.
                memoryBudget = options.memoryLimitBytes().orElse(totalMemory() * 6 / 10);
                s.execute("SET memory_limit = '" + (options.memoryLimit() != null ? options.memoryLimit() : memoryBudget / (1024 * 1024) + "MiB") + "'");
                if (options.tempDir() != null) {
                    Files.createDirectories(options.tempDir());
                    s.execute("SET temp_directory = '" + options.tempDir().toAbsolutePath().toString().replace("'", "''") + "'");
                }
                s.execute("SET preserve_insertion_order = false");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not start DuckDB: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long totalMemory() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
    }

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public long memoryBudget() {
        return memoryBudget;
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    /**
     * {@code TIERCUBE_TRACE_SQL=1}: each statement's seconds and opening text, logged (logger
     * {@code io.tiercube.sql}, INFO) to see where a job's time goes; {@code =full}: the whole statement.
     */
    private static final String TRACE_MODE = System.getenv("TIERCUBE_TRACE_SQL");
    private static final boolean TRACE = "1".equals(TRACE_MODE) || "full".equals(TRACE_MODE);
    private static final System.Logger SQL_LOG = System.getLogger("io.tiercube.sql");

    private static void trace(long t0, String sql) {
        if (TRACE) {
            String flat = sql.replaceAll("\\s+", " ");
            SQL_LOG.log(System.Logger.Level.INFO, String.format(java.util.Locale.ROOT, "[sql %7.3f s] %s", (System.nanoTime() - t0) / 1e9,
                    "full".equals(TRACE_MODE) ? flat : flat.substring(0, Math.min(160, flat.length()))));
        }
    }

    @Override
    public void execute(String sql, Object... params) {
        long t0 = System.nanoTime();
        try (PreparedStatement ps = prepare(sql, params)) {
            ps.execute();
        } catch (SQLException e) {
            throw new SqlFailure(sql, e);
        }
        trace(t0, sql);
    }

    @Override
    public Table query(String sql, Object... params) {
        long t0 = System.nanoTime();
        try (PreparedStatement ps = prepare(sql, params); ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            List<String> cols = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                cols.add(md.getColumnLabel(i));
            }
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(Values.normalize(rs.getObject(i)));
                }
                rows.add(row);
            }
            trace(t0, sql);
            return new Table(cols, rows);
        } catch (SQLException e) {
            throw new SqlFailure(sql, e);
        }
    }

    private PreparedStatement prepare(String sql, Object... params) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof java.time.LocalDate d) {
                ps.setObject(i + 1, java.sql.Date.valueOf(d));
            } else {
                ps.setObject(i + 1, p);
            }
        }
        return ps;
    }

    @Override
    public void createView(String name, String selectSql) {
        execute("CREATE OR REPLACE TEMP VIEW " + name + " AS " + selectSql);
    }

    @Override
    public void materialize(String name, String selectSql, Object... params) {
        // A view of that name (from createView) would block CREATE OR REPLACE TABLE.
        if (query("SELECT count(*) AS n FROM duckdb_views() WHERE view_name = ? AND temporary", name).scalarLong() > 0) {
            execute("DROP VIEW " + name);
        }
        execute("CREATE OR REPLACE TEMP TABLE " + name + " AS " + selectSql, params);
    }

    @Override
    public void release(String name) {
        execute("DROP TABLE IF EXISTS " + name);
    }

    @Override
    public boolean registerParquet(String view, Path dir) {
        return registerParquet(view, List.of(dir));
    }

    @Override
    public boolean registerParquet(String view, List<Path> dirs) {
        List<String> globs = dirs.stream().filter(DuckDbBackend::hasParquet).map(d -> path(d) + " || '/**/*.parquet'").toList();
        if (globs.isEmpty()) {
            return false;
        }
        String files = globs.size() == 1 ? globs.get(0) : "[" + String.join(", ", globs) + "]";
        createView(view, "SELECT * FROM read_parquet(" + files + ", hive_partitioning = false, union_by_name = true)");
        return true;
    }

    static boolean hasParquet(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void registerCsv(String view, Path fileOrDir, List<String> columns) {
        String source = Files.isDirectory(fileOrDir) ? path(fileOrDir) + " || '/*.csv'" : path(fileOrDir);
        createView(view, "SELECT * FROM " + readCsv(source, columns));
    }

    @Override
    public void registerCsvFiles(String view, List<Path> files, List<String> columns, String fileNoColumn) {
        // file_index is the file's position in the list given to read_csv.
        String source = "[" + files.stream().map(DuckDbBackend::path).collect(Collectors.joining(", ")) + "]";
        createView(view, "SELECT CAST(file_index AS INTEGER) AS " + fileNoColumn + ", " + String.join(", ", columns)
                + " FROM " + readCsv(source, columns));
    }

    private static String readCsv(String source, List<String> columns) {
        String cols = columns.stream().map(c -> "'" + c + "': 'VARCHAR'").collect(Collectors.joining(", "));
        // Every option explicit: a bad file must not change the dialect the sniffer would pick.
        return "read_csv(" + source + ", header = true, auto_detect = false, delim = ',',"
                + " quote = '\"', escape = '\"', new_line = '\\n', max_line_size = 134217728, columns = {" + cols + "})";
    }

    @Override
    public void writeParquet(String selectSql, Path dir, List<String> partitionBy) {
        try {
            if (partitionBy.isEmpty()) {
                Files.createDirectories(dir);
                execute("COPY (" + selectSql + ") TO " + path(dir.resolve("part-0.parquet")) + " (FORMAT parquet)");
            } else {
                Files.createDirectories(dir.getParent());
                execute("COPY (" + selectSql + ") TO " + path(dir) + " (FORMAT parquet, PARTITION_BY ("
                        + String.join(", ", partitionBy) + "))");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void writeParquetSplit(String selectSql, String keyColumn, Map<Integer, Path> dirs) {
        // One COPY per key: the partitioned COPY buffered every partition at once and cost 40 % more
        // than these writes, whose filter on the key skips the row groups of other keys.
        for (var e : dirs.entrySet()) {
            writeParquet("SELECT * EXCLUDE (" + keyColumn + ") FROM (" + selectSql + ") split WHERE " + keyColumn + " = " + e.getKey(),
                    e.getValue(), List.of());
        }
    }

    @Override
    public void writeCsv(String selectSql, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        execute("COPY (" + selectSql + ") TO " + path(file) + " (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"')");
    }

    private static String path(Path p) {
        return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // Nothing left to do with a connection that will not close.
        }
    }
}
