package io.tiercube.engine.segment;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;

/**
 * Spend per customer and month (total, per service, and events), kept per month under
 * {@code customer_months/month=YYYY-MM/} with the fingerprint of the usage files it was summed from.
 * The segment views read an earlier month from here while its usage is unchanged, so a profile
 * build scans only its own month's facts, not the six months its windows cover: the nightly's cost
 * follows the month it processes, not the length of the history.
 */
final class CustomerMonths {

    static final String DATASET = "customer_months";
    static final String MANIFEST = "_manifest.json";
    /** Raised when the columns or their meaning change: partitions of an older version are recomputed. */
    static final int VERSION = 1;

    /** What a partition was summed from. */
    record Manifest(@JsonProperty("month") String month, @JsonProperty("source_fingerprint") String sourceFingerprint,
            @JsonProperty("version") int version) {
    }

    private CustomerMonths() {
    }

    /** Whether the month's stored summary exists and was summed from the month's current usage files. */
    static boolean current(Warehouse wh, YearMonth month) {
        Path f = partition(wh, month).resolve(MANIFEST);
        if (!Files.isRegularFile(f)) {
            return false;
        }
        Manifest m = Warehouse.readJson(f, Manifest.class);
        return m.version() == VERSION && wh.usageFingerprint(month).equals(m.sourceFingerprint());
    }

    static Path partition(Warehouse wh, YearMonth month) {
        return wh.monthPartition(DATASET, month);
    }

    /**
     * Stores the given months of {@code seg_usage_m} (each replacing its partition atomically). The
     * caller holds the writer lock, so the usage files cannot change between the sum and its record.
     */
    static void save(Backend b, Warehouse wh, List<YearMonth> months) {
        for (YearMonth m : months) {
            Path staging = wh.newStaging("customer-months");
            try {
                Path dir = staging.resolve("p");
                b.writeParquet("SELECT * FROM seg_usage_m WHERE mi = " + SegmentViews.mi(m), dir, List.of());
                Warehouse.writeJson(dir.resolve(MANIFEST), new Manifest(m.toString(), wh.usageFingerprint(m), VERSION));
                wh.commit(dir, partition(wh, m));
            } finally {
                Warehouse.discardStaging(staging);
            }
        }
    }
}
