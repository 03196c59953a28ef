package io.tiercube.engine.ingest;

import io.tiercube.engine.UserError;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The one pass over an input file that has to happen outside the engines: decode the operator's
 * encoding (GBK is not readable by DuckDB without an extension), split RFC 4180 records while
 * counting physical lines (neither engine reports a CSV row's line number), check the column count,
 * trim the spaces around values, and write a clean UTF-8 CSV that both engines then read with the
 * same explicit dialect.
 *
 * <p>Output columns: {@code src_line,} then the contract's columns in order (the file is known by
 * which output it is: a name and day on every row cost more to write and parse than the rules).
 * Structural rejects ({@code wrong_column_count}, {@code encoding}) go to a separate CSV.
 */
final class CsvNormalizer {

    /** A quoted field may span lines, but not forever: past this, the quote is taken as unterminated. */
    static final int MAX_LINES_PER_RECORD = 200;
    static final int MAX_RAW_IN_REJECTS = 2000;

    /** Counts for one input file. {@code lost} are lines swallowed by an unterminated quote (never silently). */
    record Counts(long records, long structuralRejects, long physicalLines) {
    }

    private final Path input;
    private final String displayName;
    private final Charset charset;
    private final List<String> contractColumns;
    private final String day;

    CsvNormalizer(Path input, String displayName, Charset charset, List<String> contractColumns, String day) {
        this.input = input;
        this.displayName = displayName;
        this.charset = charset;
        this.contractColumns = contractColumns;
        this.day = day == null ? "" : day;
    }

    static List<String> outputColumns(List<String> contract) {
        List<String> c = new ArrayList<>(List.of("src_line"));
        c.addAll(contract);
        return c;
    }

    static final List<String> REJECT_COLUMNS = List.of("file", "line", "field", "reason", "raw", "detail", "src_day");

    Counts normalize(Path out, Path rejectsOut) {
        if (input.getFileName().toString().endsWith(".parquet")) {
            return ParquetInput.normalize(input, displayName, contractColumns, out, rejectsOut);
        }
        try (InputStream in = open();
             RowSink o = new RowSink(Files.newOutputStream(out));
             BufferedWriter r = Files.newBufferedWriter(rejectsOut, StandardCharsets.UTF_8)) {
            Writer w = new OutputStreamWriter(o, StandardCharsets.UTF_8);
            writeRow(w, outputColumns(contractColumns));
            w.flush();
            writeRow(r, REJECT_COLUMNS);
            return run(new LineReader(in), o, w, r);
        } catch (ZipException | EOFException e) {
            throw new UserError(UserError.Kind.BAD_INPUT, displayName + ": not a readable gzip file (" + e.getMessage()
                    + "); the file is truncated or corrupt: ask for it again");
        } catch (IOException e) {
            throw new UncheckedIOException(displayName + ": " + e.getMessage(), e);
        }
    }

    private InputStream open() throws IOException {
        if (!Files.isRegularFile(input)) {
            throw new UserError(UserError.Kind.BAD_INPUT, displayName + ": file not found");
        }
        InputStream in = new BufferedInputStream(Files.newInputStream(input), 1 << 16);
        if (input.getFileName().toString().endsWith(".gz")) {
            in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return in;
    }

    /**
     * {@code bytes} and {@code out} are the same stream: rows that need no decoding, unquoting or
     * reordering (plain ASCII, no quote, the header's width, columns in contract order: nearly every
     * usage row) are copied to {@code bytes} as they are, behind their line number; the rest take
     * the general path through {@code out}, which is flushed before each raw copy.
     */
    private Counts run(LineReader lines, RowSink bytes, Writer out, Writer rejects) throws IOException {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        Deque<LineReader.Line> pending = new ArrayDeque<>();
        int[] mapping = null;
        int headerWidth = 0;
        boolean copyAsIs = false;
        boolean generalRows = false;
        long records = 0;
        long structural = 0;
        while (true) {
            LineReader.Line first;
            if (copyAsIs && pending.isEmpty()) {
                if (generalRows) {
                    out.flush(); // the writer's encoder buffers: its rows go first
                    generalRows = false;
                }
                records += lines.copyPlainRecords(headerWidth - 1, bytes);
                if (lines.atEnd()) {
                    break;
                }
                first = lines.current(decoder);
            } else {
                first = pending.isEmpty() ? lines.next(decoder) : pending.pollFirst();
            }
            if (first == null) {
                break;
            }
            if (mapping == null) {
                if (first.text() == null) {
                    throw new UserError(UserError.Kind.BAD_INPUT, displayName + " line 1: the header is not valid "
                            + charset.name() + encodingHint());
                }
                List<String> header = new ArrayList<>();
                if (!parse(first.text(), header)) {
                    throw new UserError(UserError.Kind.BAD_INPUT, displayName + " line 1: the header has an unterminated quote");
                }
                mapping = mapHeader(header);
                headerWidth = header.size();
                copyAsIs = headerWidth == contractColumns.size() && lines.asciiCompatible(decoder) && isIdentity(mapping);
                continue;
            }
            if (first.text() != null && first.text().isEmpty() && first.bytes().length == 0) {
                continue; // blank line: not a record
            }
            records++;
            // Assemble one record: while a quote is open, the record continues on the next line.
            List<LineReader.Line> used = new ArrayList<>();
            used.add(first);
            StringBuilder text = new StringBuilder(first.text() == null ? "" : first.text());
            boolean badEncoding = first.text() == null;
            List<String> fields = new ArrayList<>();
            boolean complete = badEncoding || parse(text.toString(), fields);
            while (!complete) {
                if (used.size() >= MAX_LINES_PER_RECORD) {
                    break;
                }
                LineReader.Line next = pending.isEmpty() ? lines.next(decoder) : pending.pollFirst();
                if (next == null) {
                    break;
                }
                used.add(next);
                if (next.text() == null) {
                    badEncoding = true;
                    break;
                }
                text.append('\n').append(next.text());
                fields.clear();
                complete = parse(text.toString(), fields);
            }
            if (badEncoding) {
                structural++;
                reject(rejects, first.number(), "", RejectReason.ENCODING, lossy(used),
                        "not valid " + charset.name() + encodingHint());
                for (int i = used.size() - 1; i >= 1; i--) {
                    pending.addFirst(used.get(i)); // later lines get their own chance
                }
                continue;
            }
            if (!complete) {
                // Unterminated quote: reject the line it started on and read on from the next line,
                // so one stray quote costs one row, not the rest of the file.
                structural++;
                reject(rejects, first.number(), "", RejectReason.WRONG_COLUMN_COUNT, first.text(),
                        "unterminated quote: the field opened on this line never closes");
                for (int i = used.size() - 1; i >= 1; i--) {
                    pending.addFirst(used.get(i));
                }
                continue;
            }
            if (fields.size() != headerWidth) {
                structural++;
                reject(rejects, first.number(), "", RejectReason.WRONG_COLUMN_COUNT, text.toString(),
                        "expected " + headerWidth + " fields, found " + fields.size());
                continue;
            }
            List<String> row = new ArrayList<>(contractColumns.size() + 1);
            row.add(Long.toString(first.number()));
            for (int m : mapping) {
                row.add(trimSpaces(fields.get(m)));
            }
            writeRow(out, row);
            generalRows = true;
        }
        if (mapping == null) {
            throw new UserError(UserError.Kind.BAD_INPUT, displayName + ": the file is empty; a header row is required: "
                    + String.join(",", contractColumns));
        }
        out.flush();
        return new Counts(records, structural, lines.count);
    }

    /**
     * Values lose the spaces around them here, once, rather than in SQL (TRIM on every value cost
     * more than all the rules). Only spaces, as SQL's TRIM: a tab is data.
     */
    static String trimSpaces(String v) {
        int from = 0;
        int to = v.length();
        while (from < to && v.charAt(from) == ' ') {
            from++;
        }
        while (to > from && v.charAt(to - 1) == ' ') {
            to--;
        }
        return from == 0 && to == v.length() ? v : v.substring(from, to);
    }

    private static boolean isIdentity(int[] mapping) {
        for (int i = 0; i < mapping.length; i++) {
            if (mapping[i] != i) {
                return false;
            }
        }
        return true;
    }

    private String encodingHint() {
        return charset.equals(StandardCharsets.UTF_8) ? " (if the file is GBK, pass --encoding GBK)" : "";
    }

    private int[] mapHeader(List<String> header) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i).strip().toLowerCase(Locale.ROOT);
            if (i == 0 && h.startsWith("\uFEFF")) {
                h = h.substring(1);
            }
            if (index.put(h, i) != null) {
                throw new UserError(UserError.Kind.BAD_INPUT, displayName + " line 1: column '" + h + "' appears twice in the header");
            }
        }
        List<String> missing = new ArrayList<>();
        int[] mapping = new int[contractColumns.size()];
        for (int i = 0; i < contractColumns.size(); i++) {
            Integer at = index.get(contractColumns.get(i));
            if (at == null) {
                missing.add(contractColumns.get(i));
            } else {
                mapping[i] = at;
            }
        }
        if (!missing.isEmpty()) {
            throw new UserError(UserError.Kind.BAD_INPUT, displayName + " line 1: the header lacks column(s) "
                    + String.join(", ", missing) + "; expected: " + String.join(",", contractColumns)
                    + " (any order; extra columns are ignored)");
        }
        return mapping;
    }

    /** RFC 4180 split of one logical record; false when a quoted field is still open at the end. */
    static boolean parse(String s, List<String> fields) {
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && s.charAt(i + 1) == '"') {
                        f.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    f.append(c);
                }
            } else if (c == ',') {
                fields.add(f.toString());
                f.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && f.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else {
                f.append(c);
            }
        }
        if (quoted) {
            return false;
        }
        fields.add(f.toString());
        return true;
    }

    private void reject(Writer w, long line, String field, RejectReason reason, String raw, String detail) throws IOException {
        String shown = holdsPersonalData(contractColumns) ? shapeOnly(clip(raw)) : clip(raw);
        writeRow(w, List.of(displayName, Long.toString(line), field, reason.code(), shown, detail, day));
    }

    /** A dataset with a msisdn, name or birth date column (customers). */
    static boolean holdsPersonalData(List<String> contract) {
        return contract.contains("msisdn") || contract.contains("name") || contract.contains("birth_date");
    }

    /**
     * A structural reject's fields cannot be told apart (a field is missing, extra or undecodable), so
     * in a file holding personal data any of them might be a name or a birth date: only the record's
     * shape is kept: every digit becomes '*' and of each run of letters only the first stays, except
     * that a mobile number keeps the masked form {@link #clip} gave it, as everywhere else
     * ({@code C00500201,150****0249,王雪云,F,1952-02-02} → {@code C********,150****0249,王**,F,****-**-**}).
     */
    static String shapeOnly(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        java.util.regex.Matcher masked = MASKED_MSISDN.matcher(raw);
        int from = 0;
        while (masked.find()) {
            shapeOnly(raw.substring(from, masked.start()), sb);
            sb.append(masked.group());
            from = masked.end();
        }
        shapeOnly(raw.substring(from), sb);
        return sb.toString();
    }

    private static final java.util.regex.Pattern MASKED_MSISDN = java.util.regex.Pattern.compile("(?<![\\p{L}\\d])1\\d{2}\\*{4}\\d{4}(?![\\p{L}\\d])");

    private static void shapeOnly(String raw, StringBuilder sb) {
        boolean inRun = false;
        for (int i = 0; i < raw.length(); ) {
            int cp = raw.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isDigit(cp)) {
                sb.append('*');
                inRun = true;
            } else if (Character.isLetter(cp)) {
                if (inRun) {
                    sb.append('*');
                } else {
                    sb.appendCodePoint(cp);
                }
                inRun = true;
            } else {
                sb.appendCodePoint(cp == 0xFFFD ? '?' : cp);
                inRun = false;
            }
        }
    }

    private static final java.util.regex.Pattern MSISDN = java.util.regex.Pattern.compile("(?<!\\d)(1\\d{2})\\d{4}(\\d{4})(?!\\d)");

    /** Clips long raw text and masks anything shaped like a mobile number: rejects files must not leak one. */
    static String clip(String raw) {
        if (raw == null) {
            return "";
        }
        String r = raw.length() <= MAX_RAW_IN_REJECTS ? raw : raw.substring(0, MAX_RAW_IN_REJECTS) + "…";
        return MSISDN.matcher(r).replaceAll("$1****$2");
    }

    private static String lossy(List<LineReader.Line> lines) {
        StringBuilder sb = new StringBuilder();
        for (LineReader.Line l : lines) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(new String(l.bytes(), StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    /**
     * The normalised file's output buffer. Unlike BufferedOutputStream it takes no lock per write:
     * a plain record was four locked writes, a measurable share of the pass at 100 M rows.
     */
    static final class RowSink extends OutputStream implements LineReader.PlainRecords {
        private final OutputStream out;
        private final byte[] buf = new byte[1 << 16];
        private int n;

        RowSink(OutputStream out) {
            this.out = out;
        }

        /** Writes {@code line,<bytes>\n}. */
        @Override
        public void record(long line, byte[] bytes, int from, int length) throws IOException {
            if (buf.length - n < 22) {
                drain();
            }
            int start = n;
            do {
                buf[n++] = (byte) ('0' + line % 10);
                line /= 10;
            } while (line > 0);
            for (int i = start, j = n - 1; i < j; i++, j--) {
                byte t = buf[i];
                buf[i] = buf[j];
                buf[j] = t;
            }
            buf[n++] = ',';
            write(bytes, from, length);
            write('\n');
        }

        @Override
        public void write(int b) throws IOException {
            if (n == buf.length) {
                drain();
            }
            buf[n++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > buf.length - n) {
                drain();
                if (len > buf.length) {
                    out.write(b, off, len);
                    return;
                }
            }
            System.arraycopy(b, off, buf, n, len);
            n += len;
        }

        private void drain() throws IOException {
            if (n > 0) {
                out.write(buf, 0, n);
                n = 0;
            }
        }

        @Override
        public void flush() throws IOException {
            drain();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
            out.close();
        }
    }

    static void writeRow(Writer w, List<String> row) throws IOException {
        for (int i = 0; i < row.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            String v = row.get(i);
            w.write('"');
            w.write(v.indexOf('"') >= 0 ? v.replace("\"", "\"\"") : v);
            w.write('"');
        }
        w.write('\n');
    }
}
