package io.tiercube.engine.ingest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tiercube.engine.warehouse.RunManifest;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code _SOURCE.json} inside a committed partition: which input (and its sha256) it was built from,
 * and the row counts. It is renamed into place with the data, so "this day is ingested from this
 * file" is never true of a half-written partition; nightly compares the hash to find changed drops.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SourceMarker(String dataset, List<RunManifest.Input> inputs, long read, long accepted, long rejected,
                           String engine, String runId) {

    static final String FILE = "_SOURCE.json";

    public static Optional<SourceMarker> read(Path partitionDir) {
        Path f = partitionDir.resolve(FILE);
        return Files.isRegularFile(f) ? Optional.of(Warehouse.readJson(f, SourceMarker.class)) : Optional.empty();
    }

    void write(Path partitionDir) {
        Warehouse.writeJson(partitionDir.resolve(FILE), this);
    }

    /** True when the partition was built from exactly this content. */
    public boolean isFrom(String sha256) {
        return inputs.size() == 1 && inputs.get(0).sha256().equals(sha256);
    }
}
