package io.tiercube.engine.backend;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A small query result held in memory: column names and rows of normalised Java values.
 *
 * <p>Both backends hand back the same value types, so callers never see which engine ran:
 * integers as {@link Long}, exact numbers as {@link BigDecimal}, floating point as {@link Double},
 * {@link java.time.LocalDate}, {@link java.time.LocalDateTime} (no zone), {@link String},
 * {@link Boolean}, or {@code null}.
 */
public record Table(List<String> columns, List<List<Object>> rows) {

    public Table {
        columns = List.copyOf(columns);
        List<List<Object>> copy = new ArrayList<>(rows.size());
        for (List<Object> r : rows) {
            copy.add(Collections.unmodifiableList(new ArrayList<>(r)));
        }
        rows = Collections.unmodifiableList(copy);
    }

    public int size() {
        return rows.size();
    }

    public int columnIndex(String name) {
        int i = columns.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + name + " in " + columns);
        }
        return i;
    }

    public Object get(int row, String column) {
        return rows.get(row).get(columnIndex(column));
    }

    /** The single value of a one-row, one-column result. */
    public Object scalar() {
        if (rows.size() != 1 || columns.size() != 1) {
            throw new IllegalStateException("expected one value, got " + rows.size() + " rows x " + columns.size() + " columns");
        }
        return rows.get(0).get(0);
    }

    public long scalarLong() {
        Object v = scalar();
        return v == null ? 0L : ((Number) v).longValue();
    }

    public long getLong(int row, String column) {
        Object v = get(row, column);
        return v == null ? 0L : ((Number) v).longValue();
    }

    public double getDouble(int row, String column) {
        Object v = get(row, column);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    public BigDecimal getDecimal(int row, String column) {
        Object v = get(row, column);
        if (v == null) {
            return null;
        }
        return v instanceof BigDecimal b ? b : new BigDecimal(v.toString());
    }

    public String getString(int row, String column) {
        Object v = get(row, column);
        return v == null ? null : v.toString();
    }
}
