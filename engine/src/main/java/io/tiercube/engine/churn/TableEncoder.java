package io.tiercube.engine.churn;

import io.tiercube.engine.Spelling;
import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns an arbitrary churn table (a real operator export) into model rows without manual preparation.
 * Decided on the training table, applied identically to the test table:
 * <ul>
 *   <li>the label: yes/no, true/false, y/n, t/f or 1/0 (any case);</li>
 *   <li>the {@code --id} column, and text columns with a different value on every row, are left out;</li>
 *   <li>columns whose values are all yes/no-like become 0/1 flags;</li>
 *   <li>columns whose values are all numbers stay numeric: blank cells are imputed (training mean) and a
 *       {@code <column>_missing} 0/1 indicator is added when any cell is blank;</li>
 *   <li>everything else is a category, one-hot encoded ({@code column=value}), the most frequent value
 *       being the reference, at most {@value #MAX_LEVELS} levels (rarer ones count as the reference).</li>
 * </ul>
 */
final class TableEncoder {

    static final int MAX_LEVELS = 30;

    /** A CSV file read as text: original column names and trimmed cells ("" when blank). */
    record Raw(Path file, List<String> columns, List<String[]> rows) {
        int column(String name) {
            return columns.indexOf(name);
        }
    }

    private enum Kind { NUMERIC, FLAG, CATEGORY }

    private record Column(String name, Kind kind, boolean missingIndicator, List<String> levels) {
    }

    private final String label;
    private final List<Column> columns;
    private final List<String> featureNames;

    private TableEncoder(String label, List<Column> columns) {
        this.label = label;
        this.columns = columns;
        List<String> names = new ArrayList<>();
        for (Column c : columns) {
            switch (c.kind()) {
                case NUMERIC, FLAG -> {
                    names.add(c.name());
                    if (c.missingIndicator()) {
                        names.add(c.name() + "_missing");
                    }
                }
                case CATEGORY -> c.levels().forEach(l -> names.add(c.name() + "=" + l));
            }
        }
        this.featureNames = List.copyOf(names);
    }

    List<String> features() {
        return featureNames;
    }

    /** Reads a CSV (UTF-8, header row) through the backend as text. */
    static Raw read(Backend b, Path csv, String view) {
        if (!Files.isRegularFile(csv)) {
            throw new UserError(UserError.Kind.BAD_INPUT, "no such file: " + csv);
        }
        List<String> header = header(csv);
        List<String> internal = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            internal.add("c" + i);
        }
        b.registerCsv(view, withUnixLineEnds(csv), internal);
        Table t = b.query("SELECT * FROM " + view);
        List<String[]> rows = new ArrayList<>(t.size());
        for (List<Object> r : t.rows()) {
            String[] cells = new String[header.size()];
            for (int i = 0; i < cells.length; i++) {
                Object v = i < r.size() ? r.get(i) : null;
                cells[i] = v == null ? "" : v.toString().strip();
            }
            rows.add(cells);
        }
        if (rows.isEmpty()) {
            throw new UserError(UserError.Kind.BAD_INPUT, csv + " has a header but no rows");
        }
        return new Raw(csv, header, rows);
    }

    /**
     * The engines' CSV readers are set to {@code \n} line ends; exports from Windows tools end lines with
     * {@code \r\n}. Such a file is copied once with {@code \n} line ends (to a temporary file deleted at exit).
     */
    static Path withUnixLineEnds(Path csv) {
        try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(csv))) {
            byte[] head = in.readNBytes(1 << 16);
            boolean cr = false;
            for (byte x : head) {
                cr |= x == '\r';
            }
            if (!cr) {
                return csv;
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.BAD_INPUT, "cannot read " + csv + ": " + e.getMessage());
        }
        try {
            Path tmp = Files.createTempFile("tiercube-churn-", ".csv");
            tmp.toFile().deleteOnExit();
            try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(csv));
                    java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp))) {
                int prev = -1;
                int c;
                while ((c = in.read()) >= 0) {
                    if (c == '\r') {
                        out.write('\n');
                    } else if (!(c == '\n' && prev == '\r')) {
                        out.write(c);
                    }
                    prev = c;
                }
            }
            return tmp;
        } catch (IOException e) {
            throw new UserError(UserError.Kind.BAD_INPUT, "cannot read " + csv + ": " + e.getMessage());
        }
    }

    static List<String> header(Path csv) {
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String line = r.readLine();
            if (line == null || line.isBlank()) {
                throw new UserError(UserError.Kind.BAD_INPUT, csv + " is empty: expected a header row");
            }
            if (line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            List<String> out = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        cell.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    out.add(cell.toString().strip());
                    cell.setLength(0);
                } else {
                    cell.append(c);
                }
            }
            out.add(cell.toString().strip());
            return out;
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UserError(UserError.Kind.BAD_INPUT, csv + " is not UTF-8 text");
        } catch (IOException e) {
            throw new UserError(UserError.Kind.BAD_INPUT, "cannot read " + csv + ": " + e.getMessage());
        }
    }

    /** Decides how each column is encoded, from the training table. */
    static TableEncoder plan(Raw train, Raw test, String label, String id) {
        requireColumn(train, label, "--label");
        requireColumn(test, label, "--label");
        if (id != null) {
            requireColumn(train, id, "--id");
        }
        for (String c : train.columns()) {
            if (test.column(c) < 0) {
                throw new UserError(UserError.Kind.BAD_INPUT, test.file() + " lacks the column '" + c + "' that " + train.file() + " has");
            }
        }
        List<Column> cols = new ArrayList<>();
        for (int j = 0; j < train.columns().size(); j++) {
            String name = train.columns().get(j);
            if (name.equals(label) || name.equals(id) || name.isEmpty()) {
                continue;
            }
            int tj = test.column(name);
            boolean blanks = false;
            boolean allFlags = true;
            boolean allNumbers = true;
            Map<String, Integer> counts = new HashMap<>();
            for (String[] r : train.rows()) {
                String v = r[j];
                if (v.isEmpty()) {
                    blanks = true;
                    continue;
                }
                allFlags &= flag(v) != null;
                allNumbers &= number(v) != null;
                counts.merge(v, 1, Integer::sum);
            }
            for (String[] r : test.rows()) {
                blanks |= r[tj].isEmpty();
            }
            if (counts.isEmpty()) {
                continue; // nothing but blanks
            }
            if (allFlags) {
                cols.add(new Column(name, Kind.FLAG, blanks, List.of()));
            } else if (allNumbers) {
                cols.add(new Column(name, Kind.NUMERIC, blanks, List.of()));
            } else {
                if (blanks) {
                    counts.merge("(blank)", 0, Integer::sum);
                    for (String[] r : train.rows()) {
                        if (r[j].isEmpty()) {
                            counts.merge("(blank)", 1, Integer::sum);
                        }
                    }
                }
                if (counts.size() == train.rows().size() && counts.size() > 20) {
                    continue; // a different value on every row: an identifier, not a category
                }
                List<String> levels = new ArrayList<>(counts.keySet());
                levels.sort((a, b) -> counts.get(b).equals(counts.get(a)) ? a.compareTo(b) : counts.get(b) - counts.get(a));
                List<String> kept = levels.subList(1, Math.min(levels.size(), MAX_LEVELS + 1));
                if (!kept.isEmpty()) {
                    cols.add(new Column(name, Kind.CATEGORY, false, List.copyOf(kept)));
                }
            }
        }
        if (cols.isEmpty()) {
            throw new UserError(UserError.Kind.BAD_INPUT, train.file() + " has no usable feature column besides the label");
        }
        return new TableEncoder(label, cols);
    }

    private static void requireColumn(Raw t, String name, String option) {
        if (t.column(name) >= 0) {
            return;
        }
        String closest = null;
        int best = Integer.MAX_VALUE;
        for (String c : t.columns()) {
            int d = Spelling.distance(c.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT));
            if (d < best) {
                best = d;
                closest = c;
            }
        }
        throw new UserError(UserError.Kind.BAD_QUERY, option + " " + name + ": no such column in " + t.file()
                + (closest != null ? " (did you mean '" + closest + "'?)" : "") + "; columns: " + String.join(", ", t.columns()));
    }

    private static final Set<String> YES = new HashSet<>(List.of("yes", "y", "true", "t", "1", "1.0"));
    private static final Set<String> NO = new HashSet<>(List.of("no", "n", "false", "f", "0", "0.0"));

    /** 1.0 / 0.0 for a yes/no-like cell, null otherwise. */
    static Double flag(String v) {
        String s = v.strip().toLowerCase(Locale.ROOT);
        return YES.contains(s) ? (Double) 1.0 : NO.contains(s) ? (Double) 0.0 : null;
    }

    static Double number(String v) {
        try {
            double d = Double.parseDouble(v.strip());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Encodes a table (the training one or another with the same columns). */
    TrainingSet encode(Raw t) {
        int li = t.column(label);
        double[][] x = new double[t.rows().size()][];
        double[] y = new double[t.rows().size()];
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int k = 0; k < featureNames.size(); k++) {
            index.put(featureNames.get(k), k);
        }
        for (int i = 0; i < x.length; i++) {
            String[] r = t.rows().get(i);
            Double lab = flag(r[li]);
            if (lab == null) {
                throw new UserError(UserError.Kind.BAD_INPUT, t.file() + " data row " + (i + 1) + ": label " + label + " is '"
                        + r[li] + "', expected yes/no, true/false or 1/0");
            }
            y[i] = lab;
            double[] row = new double[featureNames.size()];
            for (Column c : columns) {
                String v = r[t.column(c.name())];
                switch (c.kind()) {
                    case NUMERIC, FLAG -> {
                        Double d = v.isEmpty() ? null : c.kind() == Kind.FLAG ? flag(v) : number(v);
                        int k = index.get(c.name());
                        row[k] = d == null ? Double.NaN : d;
                        if (c.missingIndicator()) {
                            row[k + 1] = d == null ? 1.0 : 0.0;
                        }
                    }
                    case CATEGORY -> {
                        String level = v.isEmpty() ? "(blank)" : v;
                        Integer k = index.get(c.name() + "=" + level);
                        if (k != null) {
                            row[k] = 1.0;
                        }
                    }
                }
            }
            x[i] = row;
        }
        return TrainingSet.of(featureNames, x, y);
    }
}
