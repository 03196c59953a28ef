package io.tiercube.engine.backend;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The seam between tiercube's generated SQL and the engine that runs it (DuckDB embedded, or Spark).
 *
 * <p>Contract: one backend is used by one thread at a time. Views are session-scoped and named in
 * snake_case. SQL handed to it is written in the common subset of both dialects, with the
 * differences routed through {@link #dialect()}. Values from users reach SQL only as bound
 * parameters ({@code ?}) of {@link #query} and {@link #execute}; writes ({@link #writeParquet},
 * {@link #writeCsv}) take SQL built solely from validated identifiers and engine-made literals.
 *
 * <p>Results come back as a {@link Table} with the same Java types on both engines. Large results
 * never come back to Java: they are written to files by the engine.
 */
public interface Backend extends AutoCloseable {

    /** {@code duckdb} or {@code spark}. */
    String name();

    Dialect dialect();

    /**
     * Bytes of data the engine holds in memory before it spills (DuckDB's memory limit);
     * {@code Long.MAX_VALUE} where the engine spreads and spills its own (Spark).
     */
    long memoryBudget();

    /** Runs a statement that returns nothing of interest. */
    void execute(String sql, Object... params);

    /** Runs a query and holds its (small) result in memory. */
    Table query(String sql, Object... params);

    /** Creates or replaces a session view over a SELECT. */
    void createView(String name, String selectSql);

    /**
     * Like {@link #createView}, but the SELECT runs once and its result is kept for the session: for a
     * result that later queries read several times (a view would be recomputed, scan and all, at
     * every reference). A large result is held by the engine (DuckDB spills it to its temp directory,
     * Spark caches memory-and-disk): {@link #release} it as soon as it is read. {@code params} are
     * bound to the SELECT's {@code ?} markers, in order.
     */
    void materialize(String name, String selectSql, Object... params);

    /** Frees what {@link #materialize} holds under that name (nothing when there is none). */
    void release(String name);

    /**
     * Exposes every {@code *.parquet} file below {@code dir} (any depth; partition directory names are
     * layout only, not columns) as a view. Returns false, creating nothing, when there is no such file.
     */
    boolean registerParquet(String view, Path dir);

    /**
     * As {@link #registerParquet(String, Path)} over several directories, e.g. the month partitions a
     * step reads: the engine then lists and plans only their files, not the whole history's.
     */
    boolean registerParquet(String view, List<Path> dirs);

    /**
     * Exposes a UTF-8 CSV file, or a directory of them, with a header row as a view whose columns are
     * all strings, named {@code columns} in order. RFC 4180 quoting; quoted fields may span lines.
     */
    void registerCsv(String view, Path fileOrDir, List<String> columns);

    /**
     * Like {@link #registerCsv}, over a list of files, with one more column first: {@code fileNoColumn},
     * an INT holding the row's file's index in {@code files}. A per-row file name would be carried,
     * stored and compared on every row; a number joins a small table of names where one is needed.
     */
    void registerCsvFiles(String view, List<Path> files, List<String> columns, String fileNoColumn);

    /**
     * Writes a query's result as Parquet below {@code dir} (which must not exist), one sub-directory
     * level per partition column ({@code col=value/}), those columns left out of the files.
     */
    void writeParquet(String selectSql, Path dir, List<String> partitionBy);

    /**
     * Writes a query's result as Parquet split by its INT column {@code keyColumn} (left out of the
     * files): the rows with key k go below {@code dirs.get(k)}. Rows whose key is not in the map are
     * not written; a key without rows may get a directory holding an empty file, or none.
     */
    void writeParquetSplit(String selectSql, String keyColumn, Map<Integer, Path> dirs);

    /** Writes a query's result as one UTF-8 CSV file with a header row, replacing {@code file}. */
    void writeCsv(String selectSql, Path file);

    @Override
    void close();
}
