package io.tiercube.engine.segment;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * Exports the customers of a segment (a filter over one month's profiles) as CSV (UTF-8) or Excel
 * (.xlsx), ordered by customer_id, with a sidecar {@code FILE.json} naming the filter, month, row count
 * and run id. msisdn, name and birth date are joined from the latest customers snapshot, the only
 * dataset that holds them. Personal data (msisdn, name, birth date) is masked unless {@code includePii}; every text
 * cell a spreadsheet would run as a formula is neutralised with a leading apostrophe. Rows are read in
 * pages ordered by customer_id, so memory stays flat whatever the segment's size.
 */
public final class SegmentExport {

    private SegmentExport() {
    }

    /** The exported columns, in order. */
    public static final List<String> COLUMNS = List.of("customer_id", "msisdn", "name", "gender", "birth_date", "province", "city",
            "district", "segment", "plan_id", "plan_fee", "channel_type", "tenure_months", "arpu_1m", "arpu_3m_mean", "arpu_3m_median",
            "arpu_6m_mean", "arpu_6m_median", "spike_flag", "tier", "previous_tier", "lifecycle_stage", "churn_score", "churn_band",
            "churn_reasons");

    /** The columns that come from the customers dataset, masked unless includePii. */
    static final List<String> PII_COLUMNS = List.of("msisdn", "name", "birth_date");

    static final int PAGE = 20_000;
    private static final int XLSX_MAX_ROWS = 1_048_575;

    /**
     * What to export.
     *
     * @param segment the named segment's name, or null for an ad-hoc filter
     * @param filter the filter text ({@link SegmentFilter})
     * @param out the file to write (.csv or .xlsx), already checked by {@link #resolveOut}
     * @param excelBom whether a CSV starts with a UTF-8 byte-order mark (helps Excel read Chinese text)
     * @param runId the run manifest's id, recorded in the sidecar
     */
    public record ExportRequest(YearMonth month, String segment, String filter, Path out, boolean includePii, boolean excelBom,
                                String runId) {
    }

    /** What was written. */
    public record ExportResult(Path file, Path sidecar, long rows, boolean includePii) {
    }

    /**
     * The output path rule: an absolute path is used as given (the user chose it deliberately); a
     * relative path is resolved against {@code cwd} and may not contain a {@code ..} segment, so it
     * cannot climb out of the working directory by accident. The name must end in .csv or .xlsx.
     */
    public static Path resolveOut(String out, Path cwd) {
        Path p = Path.of(out);
        String lower = out.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".csv") && !lower.endsWith(".xlsx")) {
            throw new UserError(UserError.Kind.BAD_QUERY, "--out " + out + ": the file name must end in .csv or .xlsx");
        }
        if (p.isAbsolute()) {
            return p.normalize();
        }
        for (Path part : p) {
            if (part.toString().equals("..")) {
                throw new UserError(UserError.Kind.BAD_QUERY, "--out " + out + ": '..' is not allowed in a relative path;"
                        + " give an absolute path to write outside the current directory");
            }
        }
        return cwd.toAbsolutePath().resolve(p).normalize();
    }

    /** Runs the export. The profile partition of the month must exist. */
    public static ExportResult export(Backend b, Warehouse wh, ExportRequest req) {
        SegmentFilter filter = SegmentFilter.parse(req.filter());
        if (!b.registerParquet("seg_export_src", wh.monthPartition("profiles", req.month()))) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no profiles for " + req.month() + ": run 'tiercube segment build --month "
                    + req.month() + "' first");
        }
        // Profiles hold no personal data: msisdn, name and birth date come from the latest customers snapshot.
        if (wh.latestCustomersSnapshot().map(s -> !b.registerParquet("seg_export_pii_src", s)).orElse(true)) {
            b.createView("seg_export_pii_src", "SELECT CAST(NULL AS STRING) AS customer_id, CAST(NULL AS STRING) AS msisdn,"
                    + " CAST(NULL AS STRING) AS name, CAST(NULL AS DATE) AS birth_date WHERE 1 = 0");
        }
        // pii_ names: a profile partition written before profiles dropped these columns may still hold them.
        b.createView("seg_export_rows", "SELECT p.*, k.pii_msisdn, k.pii_name, k.pii_birth_date FROM seg_export_src p LEFT JOIN"
                + " (SELECT customer_id AS pii_customer_id, msisdn AS pii_msisdn, name AS pii_name, birth_date AS pii_birth_date"
                + " FROM seg_export_pii_src) k ON k.pii_customer_id = p.customer_id");
        boolean xlsx = req.out().getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xlsx");
        Path file = req.out().toAbsolutePath();
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        long rows;
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream os = Files.newOutputStream(tmp)) {
                rows = xlsx ? writeXlsx(b, filter, req.includePii(), os) : writeCsv(b, filter, req.includePii(), req.excelBom(), os);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
        }
        Path sidecar = file.resolveSibling(file.getFileName() + ".json");
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("file", file.getFileName().toString());
        meta.put("segment", req.segment());
        meta.put("filter", filter.text());
        meta.put("month", req.month().toString());
        meta.put("rows", rows);
        meta.put("run_id", req.runId());
        meta.put("include_pii", req.includePii());
        meta.put("masked_columns", req.includePii() ? List.of() : List.of("msisdn", "name", "birth_date"));
        meta.put("order_by", "customer_id");
        meta.put("columns", COLUMNS);
        meta.put("created", LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        Warehouse.writeJson(sidecar, meta);
        return new ExportResult(file, sidecar, rows, req.includePii());
    }

    /** Calls {@code sink} with each page of masked, neutralised rows in customer_id order; returns the row count. */
    private static long pages(Backend b, SegmentFilter f, boolean pii, PageSink sink) throws IOException {
        String cols = COLUMNS.stream().map(c -> PII_COLUMNS.contains(c) ? "pii_" + c + " AS " + c : c)
                .collect(java.util.stream.Collectors.joining(", "));
        String last = null;
        long n = 0;
        while (true) {
            List<Object> params = new ArrayList<>(f.params());
            String sql = "SELECT " + cols + " FROM seg_export_rows WHERE " + f.where();
            if (last != null) {
                sql += " AND customer_id > ?";
                params.add(last);
            }
            sql += " ORDER BY customer_id ASC NULLS LAST LIMIT " + PAGE;
            Table t = b.query(sql, params.toArray());
            if (t.size() == 0) {
                return n;
            }
            List<List<Object>> rows = new ArrayList<>(t.size());
            for (List<Object> r : t.rows()) {
                rows.add(clean(r, pii));
            }
            sink.accept(rows, n);
            n += t.size();
            last = (String) t.rows().get(t.size() - 1).get(0);
            if (t.size() < PAGE) {
                return n;
            }
        }
    }

    @FunctionalInterface
    private interface PageSink {
        void accept(List<List<Object>> rows, long offset) throws IOException;
    }

    static List<Object> clean(List<Object> r, boolean pii) {
        List<Object> out = new ArrayList<>(r.size());
        for (int i = 0; i < r.size(); i++) {
            Object v = r.get(i);
            String col = COLUMNS.get(i);
            if (!pii) {
                if (col.equals("msisdn")) {
                    v = Pii.msisdn((String) v);
                } else if (col.equals("name")) {
                    v = Pii.name((String) v);
                } else if (col.equals("birth_date")) {
                    v = Pii.birthDate(v);
                }
            }
            if (v instanceof String s) {
                v = Pii.neutralise(s);
            } else if (v instanceof Double d) {
                v = d.isNaN() || d.isInfinite() ? null : BigDecimal.valueOf(d).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
            } else if (v != null && !(v instanceof Number) && !(v instanceof Boolean)) {
                v = v.toString();
            }
            out.add(v);
        }
        return out;
    }

    private static long writeCsv(Backend b, SegmentFilter f, boolean pii, boolean bom, OutputStream os) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8));
        if (bom) {
            w.write('\uFEFF');
        }
        w.write(String.join(",", COLUMNS));
        w.write("\r\n");
        long n = pages(b, f, pii, (rows, offset) -> {
            for (List<Object> r : rows) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < r.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    sb.append(csvCell(r.get(i)));
                }
                w.write(sb.append("\r\n").toString());
            }
        });
        w.flush();
        return n;
    }

    static String csvCell(Object v) {
        if (v == null) {
            return "";
        }
        String s = v instanceof BigDecimal d ? d.toPlainString() : v.toString();
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    private static long writeXlsx(Backend b, SegmentFilter f, boolean pii, OutputStream os) throws IOException {
        Workbook wb = new Workbook(os, "tiercube", "1.0");
        Worksheet ws = wb.newWorksheet("segment");
        for (int c = 0; c < COLUMNS.size(); c++) {
            ws.value(0, c, COLUMNS.get(c));
        }
        long n = pages(b, f, pii, (rows, offset) -> {
            if (offset + rows.size() > XLSX_MAX_ROWS) {
                throw new UserError(UserError.Kind.BAD_QUERY, "the segment has more rows than an Excel sheet holds ("
                        + XLSX_MAX_ROWS + "): export it as .csv");
            }
            for (int i = 0; i < rows.size(); i++) {
                int r = (int) (offset + i + 1);
                List<Object> row = rows.get(i);
                for (int c = 0; c < row.size(); c++) {
                    Object v = row.get(c);
                    if (v instanceof Number num) {
                        ws.value(r, c, num);
                    } else if (v instanceof Boolean bo) {
                        ws.value(r, c, bo);
                    } else if (v != null) {
                        ws.value(r, c, v.toString());
                    }
                }
            }
            ws.flush();
        });
        wb.finish();
        return n;
    }
}
