package io.tiercube.engine.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Spark SQL, local or on a cluster. Loaded reflectively by {@link Engine#open} so the DuckDB path
 * needs no Spark jar. One SparkSession per JVM (Spark's rule); closing the backend drops its views
 * but keeps the session for the next backend, because starting one costs seconds.
 */
final class SparkBackend implements Backend {

    private final SparkSession spark;
    private final Dialect dialect = new SparkDialect();
    private final List<String> views = new ArrayList<>();

    SparkBackend(Engine.Options options) {
        SparkSession.Builder b = SparkSession.builder()
                .appName("tiercube")
                .master(options.sparkMaster() == null ? "local[*]" : options.sparkMaster())
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.datetime.java8API.enabled", "true")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "8")
                .config("spark.sql.adaptive.enabled", "true")
                .config("spark.sql.parquet.compression.codec", "snappy")
                .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
        if (options.sparkMaster() == null || options.sparkMaster().startsWith("local")) {
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        if (options.tempDir() != null) {
            b.config("spark.local.dir", options.tempDir().toAbsolutePath().toString());
        }
        spark = b.getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public long memoryBudget() {
        return Long.MAX_VALUE;
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    private Dataset<Row> sql(String sql, Object... params) {
        try {
            Object[] args = new Object[params.length];
            for (int i = 0; i < params.length; i++) {
                args[i] = params[i];
            }
            return params.length == 0 ? spark.sql(sql) : spark.sql(sql, args);
        } catch (Exception e) { // Spark's AnalysisException is checked, but Scala does not declare it
            throw new SqlFailure(sql, e);
        }
    }

    @Override
    public void execute(String sql, Object... params) {
        try {
            sql(sql, params).collect();
        } catch (SqlFailure e) {
            throw e;
        } catch (Exception e) { // Spark's AnalysisException is checked, but Scala does not declare it
            throw new SqlFailure(sql, e);
        }
    }

    @Override
    public Table query(String sql, Object... params) {
        try {
            Dataset<Row> df = sql(sql, params);
            List<String> cols = List.of(df.columns());
            List<List<Object>> rows = new ArrayList<>();
            for (Row r : df.collectAsList()) {
                List<Object> row = new ArrayList<>(cols.size());
                for (int i = 0; i < cols.size(); i++) {
                    row.add(Values.normalize(r.get(i)));
                }
                rows.add(row);
            }
            return new Table(cols, rows);
        } catch (SqlFailure e) {
            throw e;
        } catch (Exception e) { // Spark's AnalysisException is checked, but Scala does not declare it
            throw new SqlFailure(sql, e);
        }
    }

    @Override
    public void createView(String name, String selectSql) {
        sql(selectSql).createOrReplaceTempView(name);
        views.add(name);
    }

    @Override
    public void materialize(String name, String selectSql, Object... params) {
        if (views.contains(name)) {
            spark.catalog().uncacheTable(name); // the previous result of that name: release it
        }
        sql(selectSql, params).createOrReplaceTempView(name);
        views.add(name);
        spark.catalog().cacheTable(name);
    }

    @Override
    public void release(String name) {
        if (views.remove(name)) {
            spark.catalog().uncacheTable(name);
            spark.catalog().dropTempView(name);
        }
    }

    @Override
    public boolean registerParquet(String view, Path dir) {
        return registerParquet(view, List.of(dir));
    }

    @Override
    public boolean registerParquet(String view, List<Path> dirs) {
        String[] paths = dirs.stream().filter(DuckDbBackend::hasParquet).map(d -> d.toAbsolutePath().toString()).toArray(String[]::new);
        if (paths.length == 0) {
            return false;
        }
        spark.read().option("recursiveFileLookup", "true").option("mergeSchema", "true").parquet(paths).createOrReplaceTempView(view);
        views.add(view);
        return true;
    }

    @Override
    public void registerCsv(String view, Path fileOrDir, List<String> columns) {
        readCsv(fileOrDir, columns).createOrReplaceTempView(view);
        views.add(view);
    }

    @Override
    public void registerCsvFiles(String view, List<Path> files, List<String> columns, String fileNoColumn) {
        // One read per file, tagged with its index: input_file_name() would have to be matched back
        // to a path, in whatever URI form the file system gives it.
        Dataset<Row> all = null;
        for (int i = 0; i < files.size(); i++) {
            Dataset<Row> one = readCsv(files.get(i), columns);
            one = one.select(Stream.concat(Stream.of(org.apache.spark.sql.functions.lit(i).as(fileNoColumn)),
                    columns.stream().map(org.apache.spark.sql.functions::col)).toArray(org.apache.spark.sql.Column[]::new));
            all = all == null ? one : all.unionAll(one);
        }
        if (all == null) {
            throw new IllegalArgumentException("registerCsvFiles: no files");
        }
        all.createOrReplaceTempView(view);
        views.add(view);
    }

    private Dataset<Row> readCsv(Path fileOrDir, List<String> columns) {
        List<StructField> fields = new ArrayList<>();
        for (String c : columns) {
            fields.add(DataTypes.createStructField(c, DataTypes.StringType, true));
        }
        return spark.read()
                .option("header", "true")
                .option("multiLine", "true")
                .option("quote", "\"")
                .option("escape", "\"")
                .option("encoding", "UTF-8")
                .option("mode", "PERMISSIVE")
                .schema(new StructType(fields.toArray(new StructField[0])))
                .csv(fileOrDir.toAbsolutePath().toString());
    }

    @Override
    public void writeParquet(String selectSql, Path dir, List<String> partitionBy) {
        try {
            var w = sql(selectSql).write();
            if (!partitionBy.isEmpty()) {
                w = w.partitionBy(partitionBy.toArray(new String[0]));
            }
            w.parquet(dir.toAbsolutePath().toString());
        } catch (SqlFailure e) {
            throw e;
        } catch (Exception e) { // Spark's AnalysisException is checked, but Scala does not declare it
            throw new SqlFailure(selectSql, e);
        }
    }

    @Override
    public void writeParquetSplit(String selectSql, String keyColumn, Map<Integer, Path> dirs) {
        if (dirs.isEmpty()) {
            return;
        }
        // One partitioned write, then each key's directory moved where it belongs.
        Path tmp = dirs.values().iterator().next().toAbsolutePath().resolveSibling(".split-" + keyColumn + ".spark-tmp");
        try {
            deleteTree(tmp);
            writeParquet(selectSql, tmp, List.of(keyColumn));
            for (var e : dirs.entrySet()) {
                Path part = tmp.resolve(keyColumn + "=" + e.getKey());
                if (Files.isDirectory(part)) {
                    Files.createDirectories(e.getValue().toAbsolutePath().getParent());
                    Files.move(part, e.getValue());
                }
            }
            deleteTree(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void writeCsv(String selectSql, Path file) {
        Path tmp = file.toAbsolutePath().resolveSibling("." + file.getFileName() + ".spark-tmp");
        try {
            deleteTree(tmp);
            Dataset<Row> df = sql(selectSql);
            df.coalesce(1).write().option("header", "true").option("quote", "\"").option("escape", "\"")
                    .option("timestampNTZFormat", "yyyy-MM-dd HH:mm:ss").option("dateFormat", "yyyy-MM-dd")
                    .csv(tmp.toString());
            Path part;
            try (Stream<Path> s = Files.list(tmp)) {
                part = s.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().orElse(null);
            }
            if (part == null || Files.size(part) == 0) {
                Files.writeString(file, String.join(",", df.columns()) + "\n");
            } else {
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
            }
            deleteTree(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    @Override
    public void close() {
        for (String v : views) {
            spark.catalog().dropTempView(v);
        }
        views.clear();
    }
}
