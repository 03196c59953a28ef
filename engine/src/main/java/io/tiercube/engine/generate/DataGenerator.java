package io.tiercube.engine.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.backend.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a realistic, deterministic input drop (customers, one usage file per day, complaints) in the
 * input contract of {@code docs/input-format.md}, plus {@code _generated.json}: the settings and every
 * planted bad row with its file, line, field and expected reject reason.
 *
 * <p>All rows are made by DuckDB SQL from a seeded hash, never row by row in Java: 100 M usage rows take
 * minutes. Java only appends the few lines SQL cannot write (wrong column count, invalid UTF-8) as a
 * second gzip member. The same settings give byte-identical files on the same DuckDB version.
 */
public final class DataGenerator {

    /** Hears about progress: {@code done} of {@code total} files written; {@code file} is the last one. */
    @FunctionalInterface
    public interface Listener {
        void fileWritten(String file, int done, int total);
    }

    /**
     * What was written.
     *
     * @param customers good customer rows
     * @param usageRows good usage rows (all days)
     * @param complaints good complaint rows
     * @param badRows planted bad rows over all files
     * @param files data files written
     * @param seconds wall time
     */
    public record Result(Path out, long customers, long usageRows, long complaints, long badRows, int files, double seconds) {
    }

    static final String MANIFEST = "_generated.json";
    private static final Pattern DAY_FILE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}\\.(csv\\.gz|parquet)");
    private static final List<String> CUSTOMER_COLUMNS = List.of("customer_id", "msisdn", "name", "gender", "birth_date",
            "occupation", "income_band", "education", "province", "city", "district", "segment", "join_date", "plan_id",
            "plan_fee", "channel_type", "channel", "status", "closed_date");
    private static final List<String> USAGE_COLUMNS = List.of(UsageSql.COLUMNS.split(",\\s*"));
    private static final List<String> COMPLAINT_COLUMNS = List.of(ComplaintsSql.COLUMNS.split(",\\s*"));

    private final GeneratorSettings s;
    private final Path out;
    private final Model model;
    private final Backend db;
    private final Path tmp;
    private final Gzipper gzipper;
    private int tmpFiles;
    /** Round-robin position per dataset, so every reason appears as soon as there are enough bad rows. */
    private final Map<Defect.Dataset, Integer> nextReason = new EnumMap<>(Defect.Dataset.class);
    private final Map<Defect, Integer> nextVariant = new EnumMap<>(Defect.class);
    private final List<Map<String, Object>> fileEntries = new ArrayList<>();
    private final Map<String, Long> badByReason = new LinkedHashMap<>();
    private long badRows;

    private DataGenerator(GeneratorSettings s, Path out, Backend db, Path tmp, Gzipper gzipper) {
        this.s = s;
        this.out = out;
        this.model = new Model(s);
        this.db = db;
        this.tmp = tmp;
        this.gzipper = gzipper;
    }

    /**
     * Generates into {@code out}. The directory may exist; files a previous run generated there
     * (customers.*, complaints.*, usage day files, _generated.json) are replaced only when {@code replace}
     * is true, anything else in it is left alone.
     *
     * @throws UserError (BAD_INPUT) when {@code out} holds generated files and {@code replace} is false
     */
    public static Result generate(GeneratorSettings settings, Path out, boolean replace, Listener listener) {
        long t0 = System.nanoTime();
        prepare(out, replace);
        Path tmp = out.resolve(".generate-tmp");
        try (Backend db = Engine.DUCKDB.open(new Engine.Options(null, tmp.resolve("spill"), null));
             Gzipper gz = new Gzipper()) {
            db.execute("SET preserve_insertion_order = true");
            DataGenerator g = new DataGenerator(settings, out, db, tmp, gz);
            Result r = g.run(listener == null ? (f, d, t) -> { } : listener, t0);
            gz.finish();
            return new Result(r.out(), r.customers(), r.usageRows(), r.complaints(), r.badRows(), r.files(),
                    (System.nanoTime() - t0) / 1e9);
        } finally {
            deleteTree(tmp);
        }
    }

    private Result run(Listener listener, long t0) {
        for (String m : model.macros().split(";\n")) {
            db.execute(m);
        }
        List<LocalDate> days = model.start.datesUntil(model.end.plusDays(1)).toList();
        int total = days.size() + 2;
        int done = 0;

        // customers (+ fake rows for the planted customer defects)
        List<Spec> custSpecs = plan(Defect.Dataset.CUSTOMERS, s.customers(), handful(s.customers()), 1);
        db.execute(model.customersTable(custSpecs.size()));
        db.execute("CREATE OR REPLACE TEMP TABLE cust2 AS SELECT *, " + model.channelColumn() + " AS channel,"
                + " substr(md5(msisdn), 1, 16) AS ph FROM cust");
        db.execute("DROP TABLE cust");
        db.execute("ALTER TABLE cust2 RENAME TO cust");
        db.execute("CREATE OR REPLACE TEMP TABLE cust_out AS SELECT idx, real, idx AS rn, customer_id, msisdn, name, gender,"
                + " birth_date::VARCHAR AS birth_date, occupation, income_band, education, province, city, district, segment,"
                + " join_date::VARCHAR AS join_date, plan_id, plan_fee::VARCHAR AS plan_fee, channel_type, channel, status,"
                + " closed_date::VARCHAR AS closed_date FROM cust");
        // fake rows are the base of every customer defect but duplicate_id (which repeats a real row)
        List<Spec> custBase = new ArrayList<>();
        for (Spec sp : custSpecs) {
            long base = sp.defect == Defect.DUPLICATE_ID ? sp.src : model.fakeCustomerBase() + sp.j;
            custBase.add(new Spec(sp.j, sp.src, base, sp.defect, sp.variant));
        }
        String custFile = "customers" + s.extension();
        writeFile(Defect.Dataset.CUSTOMERS, custFile, "SELECT * FROM cust_out WHERE real", "cust_out", "idx",
                CUSTOMER_COLUMNS, custBase, s.customers(), null, Map.of());
        listener.fileWritten(custFile, ++done, total);

        // usage, one file per day
        UsageSql usage = new UsageSql(s);
        long usageRows = 0;
        double expectedBad = 0;
        LocalDate prev = null;
        for (LocalDate day : days) {
            db.execute(usage.dayTable(day));
            long rows = db.query("SELECT count(*) FROM day_ev").scalarLong();
            double before = expectedBad;
            expectedBad += s.badRowRate() * rows;
            int nBad = rows == 0 ? 0 : (int) (Math.floor(expectedBad) - Math.floor(before));
            List<Spec> specs = plan(Defect.Dataset.USAGE, rows, nBad, day.toEpochDay());
            String ymd = UsageSql.ymd(day);
            Map<String, String> ph = Map.of("$DAY", day.toString(), "$YMD", ymd,
                    "$PREV_ID", prev == null ? "" : "R" + UsageSql.ymd(prev) + "00000001",
                    "$UNKNOWN", Long.toString(model.unknownCustomerBase()));
            List<Spec> withBase = new ArrayList<>();
            for (Spec sp : specs) {
                int v = sp.defect == Defect.DUPLICATE_ID && prev == null ? 0 : sp.variant;
                withBase.add(new Spec(sp.j, sp.src, sp.src, sp.defect, v));
            }
            String file = "usage/" + day + s.extension();
            writeFile(Defect.Dataset.USAGE, file, "SELECT * FROM day_ev", "day_ev", "rn", USAGE_COLUMNS, withBase, rows,
                    "'R" + ymd + "' || lpad((90000000 + j)::VARCHAR, 8, '0')", ph);
            usageRows += rows;
            prev = day;
            listener.fileWritten(file, ++done, total);
        }
        db.execute("DROP TABLE IF EXISTS day_ev");

        // complaints
        db.execute(ComplaintsSql.table(model));
        long comp = db.query("SELECT count(*) FROM comp").scalarLong();
        List<Spec> compSpecs = plan(Defect.Dataset.COMPLAINTS, comp, comp == 0 ? 0 : handful(comp), 2)
                .stream().map(sp -> new Spec(sp.j, sp.src, sp.src, sp.defect, sp.variant)).toList();
        String compFile = "complaints" + s.extension();
        writeFile(Defect.Dataset.COMPLAINTS, compFile, "SELECT * FROM comp", "comp", "rn", COMPLAINT_COLUMNS, compSpecs, comp,
                "'T' || lpad((90000000 + j)::VARCHAR, 8, '0')",
                Map.of("$UNKNOWN", Long.toString(model.unknownCustomerBase())));
        listener.fileWritten(compFile, ++done, total);

        writeManifest(usageRows, comp, days.size());
        return new Result(out, s.customers(), usageRows, comp, badRows, total, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Bad rows for a file of customers or complaints: each planted reason once, twice when the file has
     * enough rows to keep rejects near 3 %, more at high rates.
     */
    private int handful(long rows) {
        if (s.badRowRate() == 0) {
            return 0;
        }
        int reasons = Defect.plantedIn(Defect.Dataset.CUSTOMERS, s.format()).size();
        long n = Math.max(reasons, Math.min(2L * reasons, Math.round(0.03 * rows)));
        return (int) Math.max(n, Math.round(s.badRowRate() * rows));
    }

    /** One planted bad row: its number in the file, the good row it copies (src) and sits after, its base row. */
    record Spec(int j, long src, long base, Defect defect, int variant) {
    }

    private List<Spec> plan(Defect.Dataset ds, long rows, int count, long salt) {
        List<Spec> specs = new ArrayList<>();
        if (rows == 0) {
            return specs;
        }
        List<Defect> reasons = Defect.plantedIn(ds, s.format());
        SplittableRandom rnd = new SplittableRandom(s.seed() * 1_000_003L + salt * 31L + ds.ordinal());
        for (int j = 1; j <= count; j++) {
            int r = nextReason.merge(ds, 1, Integer::sum) - 1;
            Defect d = reasons.get(r % reasons.size());
            int v = nextVariant.merge(d, 1, Integer::sum) - 1;
            v %= d.variants(ds).size();
            long src = 1 + (long) (rnd.nextDouble() * rows);
            specs.add(new Spec(j, src, src, d, v));
        }
        return specs;
    }

    /**
     * Writes one file: good rows of {@code goodSql} ordered by {@code key}, each planted bad row right after
     * the good row it copies, then (CSV only) the appended lines. Records the bad rows' lines.
     */
    private void writeFile(Defect.Dataset ds, String file, String goodSql, String baseTable, String key, List<String> columns,
                           List<Spec> specs, long goodRows, String newIdExpr, Map<String, String> placeholders) {
        Path target = out.resolve(file);
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String cols = String.join(", ", columns);
        boolean anyBad = !specs.isEmpty();
        if (anyBad) {
            StringJoiner values = new StringJoiner(", ");
            for (Spec sp : specs) {
                values.add("(" + sp.j + ", " + sp.src + ", " + sp.base + ", '" + sp.defect.reason() + "', " + sp.variant + ", "
                        + sp.defect.appended + ")");
            }
            db.execute("CREATE OR REPLACE TEMP TABLE bad_spec AS SELECT * FROM (VALUES " + values
                    + ") t(j, src, base, reason, variant, appended)");
            db.execute("CREATE OR REPLACE TEMP TABLE bad AS SELECT b.j, b.src, b.reason, b.variant, b.appended, "
                    + badColumns(ds, columns, newIdExpr, placeholders) + " FROM bad_spec b JOIN " + baseTable + " e ON e."
                    + key + " = b.base");
        }
        String body = "SELECT " + cols + " FROM (SELECT " + key + " AS k1, 0 AS k2, " + cols + " FROM (" + goodSql + ")"
                + (anyBad ? " UNION ALL SELECT src, j, " + cols + " FROM bad WHERE NOT appended" : "") + ") ORDER BY k1, k2";
        boolean csv = s.format() == GeneratorSettings.Format.CSV;
        // DuckDB writes plain CSV (its gzip is ~10x slower than zlib); a Java thread gzips it while the next file is made.
        Path plain = csv ? tmp.resolve("f" + (++tmpFiles) + ".csv") : target;
        String options = csv ? "(FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"')" : "(FORMAT parquet)";
        db.execute("COPY (" + body + ") TO '" + plain.toAbsolutePath().toString().replace("'", "''") + "' " + options);
        List<byte[]> appendedBytes = new ArrayList<>();

        List<Map<String, Object>> entries = new ArrayList<>();
        long sqlBad = 0;
        if (anyBad) {
            Table t = db.query("SELECT j, src, reason, variant, appended, " + cols + " FROM bad ORDER BY appended, src, j");
            long rank = 0;
            for (int i = 0; i < t.size(); i++) {
                Defect d = Defect.valueOf(t.getString(i, "reason").toUpperCase(java.util.Locale.ROOT));
                Defect.Variant v = d.variants(ds).get((int) t.getLong(i, "variant"));
                List<String> fields = new ArrayList<>();
                for (String c : columns) {
                    fields.add(t.getString(i, c));
                }
                long line;
                String value;
                if (!d.appended) {
                    rank++;
                    sqlBad++;
                    line = 1 + t.getLong(i, "src") + rank;
                    value = fields.get(columns.indexOf(v.field()));
                } else {
                    appendedBytes.add(appendedLine(fields, columns, v));
                    line = -1;
                    value = null;
                }
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("line", line);
                e.put("reason", d.reason());
                // line-level defects have no field (as in the ingest's rejects files)
                e.put("field", d.appended ? "" : v.field());
                e.put("value", value);
                entries.add(e);
            }
            // appended lines follow every SQL-written line
            long next = 2 + goodRows + sqlBad;
            for (Map<String, Object> e : entries) {
                if ((Long) e.get("line") == -1) {
                    e.put("line", next++);
                }
            }
            entries.sort(Comparator.comparingLong(e -> (Long) e.get("line")));
            for (Map<String, Object> e : entries) {
                badByReason.merge(ds.name().toLowerCase(java.util.Locale.ROOT) + "." + e.get("reason"), 1L, Long::sum);
                if (e.get("value") == null) {
                    e.remove("value");
                }
            }
            badRows += entries.size();
            db.execute("DROP TABLE bad");
            db.execute("DROP TABLE bad_spec");
        }
        if (csv) {
            gzipper.submit(plain, appendedBytes, target);
        }
        Map<String, Object> fe = new LinkedHashMap<>();
        fe.put("file", file);
        fe.put("dataset", ds.name().toLowerCase(java.util.Locale.ROOT));
        fe.put("good_rows", goodRows);
        fe.put("rows", goodRows + entries.size());
        fe.put("bad_rows", entries);
        fileEntries.add(fe);
    }

    private String badColumns(Defect.Dataset ds, List<String> columns, String newIdExpr, Map<String, String> placeholders) {
        StringJoiner out = new StringJoiner(", ");
        String idColumn = columns.get(0);
        for (String c : columns) {
            StringBuilder b = new StringBuilder("CASE");
            for (Defect d : Defect.plantedIn(ds, s.format())) {
                if (d.appended) {
                    continue;
                }
                List<Defect.Variant> vs = d.variants(ds);
                for (int v = 0; v < vs.size(); v++) {
                    Defect.Variant var = vs.get(v);
                    String expr = var.field().equals(c) ? var.sql() : var.also().get(c);
                    if (expr != null) {
                        for (var p : placeholders.entrySet()) {
                            expr = expr.replace(p.getKey(), p.getValue());
                        }
                        b.append(" WHEN b.reason = '").append(d.reason()).append("' AND b.variant = ").append(v)
                                .append(" THEN ").append(expr);
                    }
                }
            }
            if (c.equals(idColumn) && newIdExpr != null) {
                b.append(" WHEN b.reason <> 'duplicate_id' THEN ").append(newIdExpr);
            }
            out.add(b.length() == 4 ? "e." + c : b.append(" ELSE e.").append(c).append(" END AS ").append(c).toString());
        }
        return out.toString();
    }

    /** A line SQL cannot write: one field too few or too many, or a field in a non-UTF-8 encoding. */
    private static byte[] appendedLine(List<String> fields, List<String> columns, Defect.Variant v) {
        List<byte[]> parts = new ArrayList<>();
        int fi = columns.indexOf(v.field());
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i) == null ? "" : fields.get(i);
            if (i == fi && v.sql().equals("drop")) {
                continue;
            }
            if (i == fi && v.sql().equals("gbk")) {
                String text = f.codePoints().anyMatch(cp -> cp > 127) ? f : f.replaceAll("-.*$", "") + "-音乐";
                parts.add(text.getBytes(Charset.forName("GBK")));
            } else if (i == fi && v.sql().equals("latin1")) {
                parts.add(("é" + f).getBytes(StandardCharsets.ISO_8859_1));
            } else {
                parts.add(csv(f).getBytes(StandardCharsets.UTF_8));
            }
        }
        if (v.sql().equals("extra")) {
            parts.add("extra".getBytes(StandardCharsets.UTF_8));
        }
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                b.write(',');
            }
            b.writeBytes(parts.get(i));
        }
        b.write('\n');
        return b.toByteArray();
    }

    private static String csv(String f) {
        if (f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r")) {
            return "\"" + f.replace("\"", "\"\"") + "\"";
        }
        return f;
    }

    private void writeManifest(long usageRows, long complaints, int dayCount) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generator", "tiercube generate");
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("customers", s.customers());
        st.put("months", s.months());
        st.put("start", model.start.toString());
        st.put("end", model.end.toString());
        st.put("seed", s.seed());
        st.put("bad_rows", s.badRowRate());
        st.put("format", s.format().id());
        st.put("events_per_day", s.eventsPerDay());
        st.put("duckdb", db.query("SELECT version()").scalar());
        m.put("settings", st);
        m.put("other_party_hash", "first 16 lower-case hex digits of md5(msisdn) for on-net numbers; off-net numbers are"
                + " random 16-hex tokens");
        Table p = db.query("SELECT count(*) AS customers, count(*) FILTER (WHERE status = 'closed') AS churners,"
                + " count(*) FILTER (WHERE collapse) AS collapse_churners, count(*) FILTER (WHERE mild) AS mild_decliners,"
                + " count(*) FILTER (WHERE spiker) AS spike_customers, count(*) FILTER (WHERE is_new) AS new_customers,"
                + " count(*) FILTER (WHERE city = 'Chengdu') AS chengdu FROM cust WHERE real");
        Map<String, Object> planted = new LinkedHashMap<>();
        for (String c : p.columns()) {
            planted.put(c, p.getLong(0, c));
        }
        m.put("planted", planted);
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("usage_files", dayCount);
        totals.put("usage_rows", usageRows);
        totals.put("complaints", complaints);
        totals.put("bad_rows", badRows);
        totals.put("bad_rows_by_reason", badByReason);
        m.put("totals", totals);
        m.put("files", fileEntries);
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve(MANIFEST).toFile(), m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void prepare(Path out, boolean replace) {
        try {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new UserError(UserError.Kind.BAD_INPUT, "--out " + out + " is a file, not a directory");
            }
            Files.createDirectories(out);
            List<Path> generated = new ArrayList<>();
            for (String f : List.of("customers.csv.gz", "customers.parquet", "complaints.csv.gz", "complaints.parquet", MANIFEST)) {
                if (Files.exists(out.resolve(f))) {
                    generated.add(out.resolve(f));
                }
            }
            Path usage = out.resolve("usage");
            if (Files.isDirectory(usage)) {
                try (Stream<Path> st = Files.list(usage)) {
                    st.filter(f -> DAY_FILE.matcher(f.getFileName().toString()).matches()).forEach(generated::add);
                }
            }
            if (!generated.isEmpty() && !replace) {
                throw new UserError(UserError.Kind.BAD_INPUT, out + " already holds generated data (" + generated.size()
                        + " files such as " + out.relativize(generated.get(0)) + "): add --replace to overwrite them,"
                        + " or choose another --out");
            }
            for (Path f : generated) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> st = Files.walk(dir)) {
            st.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
