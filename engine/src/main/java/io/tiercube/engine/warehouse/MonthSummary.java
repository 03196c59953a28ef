package io.tiercube.engine.warehouse;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tiercube.engine.backend.Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/**
 * A dataset summed from one month's usage and kept per month ({@code <dataset>/month=YYYY-MM/}),
 * with the fingerprint of the usage files it was summed from: current while they are unchanged
 * and its version is this one's, stale otherwise. Derived data: deleting it only makes the next
 * step read the facts again.
 *
 * @param dataset the dataset directory under the warehouse
 * @param version raised when the columns or their meaning change, so older partitions are recomputed
 */
public record MonthSummary(String dataset, int version) {

    /** The manifest beside each partition's Parquet files. */
    public static final String MANIFEST = "_manifest.json";

    /** What a partition was summed from. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Manifest(@JsonProperty("month") String month, @JsonProperty("source_fingerprint") String sourceFingerprint,
                    @JsonProperty("version") int version) {
    }

    /** The month's partition directory; read it only when {@link #current}. */
    public Path partition(Warehouse wh, YearMonth month) {
        return wh.monthPartition(dataset, month);
    }

    /** Whether the month's partition exists and was summed from the month's current usage files. */
    public boolean current(Warehouse wh, YearMonth month) {
        Path f = partition(wh, month).resolve(MANIFEST);
        if (!Files.isRegularFile(f)) {
            return false;
        }
        Manifest m = Warehouse.readJson(f, Manifest.class);
        return m.version() == version && wh.usageFingerprint(month).equals(m.sourceFingerprint());
    }

    /**
     * When the month's partition is current, registers it as the view {@code <viewPrefix>YYYY_MM}
     * and returns that view's name; otherwise empty, and the caller reads the facts.
     */
    public Optional<String> view(Backend b, Warehouse wh, YearMonth month, String viewPrefix) {
        String view = viewPrefix + month.toString().replace('-', '_');
        return current(wh, month) && b.registerParquet(view, partition(wh, month)) ? Optional.of(view) : Optional.empty();
    }

    /** The month's usage view to sum it from ({@link Warehouse#registerUsageMonth}); {@code usage} when it holds no files. */
    public static String usageOf(Backend b, Warehouse wh, YearMonth month) {
        return wh.registerUsageMonth(b, month).orElse("usage");
    }

    /**
     * Writes {@code select}'s rows as the month's partition, replacing it atomically. The caller holds
     * the writer lock, so the usage files cannot change between the sum and its record.
     */
    public void save(Backend b, Warehouse wh, YearMonth month, String select) {
        Path staging = wh.newStaging(dataset.replace('_', '-'));
        try {
            Path dir = staging.resolve("p");
            b.writeParquet(select, dir, List.of());
            Warehouse.writeJson(dir.resolve(MANIFEST), new Manifest(month.toString(), wh.usageFingerprint(month), version));
            wh.commit(dir, partition(wh, month));
        } finally {
            Warehouse.discardStaging(staging);
        }
    }
}
