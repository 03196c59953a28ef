package io.tiercube.engine.warehouse;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The record of one run, written to {@code _runs/<run-id>.json}: what was read (with hashes), how
 * many rows each dataset read / accepted / rejected, how long each step took, and how it ended.
 * Mutable while the run goes on; {@link #save} writes it atomically and may be called repeatedly.
 */
public final class RunManifest {

    /** One input file and its content hash. */
    public record Input(String path, String sha256) {
    }

    /** Row counts of one dataset in this run; read always equals accepted + rejected. */
    public record Counts(long read, long accepted, long rejected) {
        public Counts plus(Counts o) {
            return new Counts(read + o.read, accepted + o.accepted, rejected + o.rejected);
        }
    }

    /** One timed step. */
    public record Step(String name, double seconds) {
    }

    @JsonProperty("run_id")
    public final String runId;
    public final String command;
    public final String engine;
    public final String started;
    public String finished;
    public String status = "running";
    public String error;
    public final List<Input> inputs = new ArrayList<>();
    public final Map<String, Counts> datasets = new LinkedHashMap<>();
    public final List<Step> steps = new ArrayList<>();
    /** Free-form facts a step wants on record (e.g. {@code include_pii: true} for an export). */
    public final Map<String, Object> notes = new LinkedHashMap<>();

    public RunManifest(String command, String engine) {
        LocalDateTime now = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        this.runId = now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + command.split(" ")[0] + "-" + UUID.randomUUID().toString().substring(0, 6);
        this.command = command;
        this.engine = engine;
        this.started = now.toString();
    }

    public void addCounts(String dataset, Counts c) {
        datasets.merge(dataset, c, Counts::plus);
    }

    /** Runs a step, recording its duration even when it fails. */
    public <T> T step(String name, java.util.function.Supplier<T> work) {
        long t0 = System.nanoTime();
        try {
            return work.get();
        } finally {
            steps.add(new Step(name, Math.round((System.nanoTime() - t0) / 1e6) / 1e3));
        }
    }

    public void finish(boolean succeeded, String error) {
        this.finished = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
        this.status = succeeded ? "succeeded" : "failed";
        this.error = error;
    }

    public Path save(Warehouse warehouse) {
        Path file = warehouse.runsDir().resolve(runId + ".json");
        Warehouse.writeJson(file, this);
        return file;
    }
}
