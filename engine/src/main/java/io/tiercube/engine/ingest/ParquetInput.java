package io.tiercube.engine.ingest;

import io.tiercube.engine.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parquet input files: already typed and split, so they only need the same clean text form as CSV
 * input before validation. An embedded DuckDB does the conversion whichever engine runs the job
 * (it is always on the classpath); a row's "line" is its 1-based row number in the file.
 */
final class ParquetInput {

    private ParquetInput() {
    }

    static CsvNormalizer.Counts normalize(Path input, String displayName, List<String> columns, Path out, Path rejectsOut) {
        if (!Files.isRegularFile(input)) {
            throw new UserError(UserError.Kind.BAD_INPUT, displayName + ": file not found");
        }
        String src = lit(input.toAbsolutePath().toString());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            Set<String> present = new HashSet<>();
            try (ResultSet rs = s.executeQuery("SELECT name FROM parquet_schema(" + src + ")")) {
                while (rs.next()) {
                    present.add(rs.getString(1).toLowerCase(Locale.ROOT));
                }
            } catch (SQLException e) {
                throw new UserError(UserError.Kind.BAD_INPUT, displayName + ": not a readable Parquet file (" + firstLine(e) + ")");
            }
            List<String> missing = new ArrayList<>();
            for (String col : columns) {
                if (!present.contains(col)) {
                    missing.add(col);
                }
            }
            if (!missing.isEmpty()) {
                throw new UserError(UserError.Kind.BAD_INPUT, displayName + ": the file lacks column(s) " + String.join(", ", missing)
                        + "; expected: " + String.join(",", columns));
            }
            String select = "SELECT CAST(file_row_number + 1 AS VARCHAR) AS src_line, "
                    + columns.stream().map(col -> "trim(CAST(" + col + " AS VARCHAR)) AS " + col).collect(Collectors.joining(", "))
                    + " FROM read_parquet(" + src + ", file_row_number = true) ORDER BY file_row_number";
            s.execute("COPY (" + select + ") TO " + lit(out.toAbsolutePath().toString()) + " (FORMAT csv, HEADER true, FORCE_QUOTE *)");
            long rows;
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet(" + src + ")")) {
                rs.next();
                rows = rs.getLong(1);
            }
            Files.writeString(rejectsOut, String.join(",", CsvNormalizer.REJECT_COLUMNS) + "\n");
            return new CsvNormalizer.Counts(rows, 0, rows);
        } catch (SQLException e) {
            throw new UserError(UserError.Kind.BAD_INPUT, displayName + ": " + firstLine(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String lit(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
