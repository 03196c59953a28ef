package io.tiercube.engine.ingest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tiercube.engine.warehouse.RunManifest;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The input files' hashes from earlier runs, each with the file's stat when it was hashed
 * ({@code _cache/input-hashes.json} in the warehouse). A nightly compares every drop's hash with the
 * one its partition was built from; with six months of drops that meant reading them all to find
 * the one new day. A file whose stat is unchanged keeps its hash without being read. Only a cache:
 * deleting it costs one run the reading, never a wrong answer, since what a partition was built
 * from is still decided by comparing hashes.
 */
public final class InputHashes {

    /** One file's hash and its stat when hashed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Entry(String stat, String sha256) {
    }

    /** The file's contents: entries by absolute path. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Saved(Map<String, Entry> files) {
    }

    private final Path file;
    private final Map<String, Entry> earlier;
    private final Map<String, Entry> seen = new TreeMap<>();

    private InputHashes(Path file, Map<String, Entry> earlier) {
        this.file = file;
        this.earlier = earlier;
    }

    /** The hashes the warehouse's earlier runs kept; none when there are none or they cannot be read. */
    public static InputHashes load(Warehouse wh) {
        Path f = wh.root().resolve("_cache").resolve("input-hashes.json");
        Map<String, Entry> earlier = Map.of();
        if (Files.isRegularFile(f)) {
            try {
                Saved s = Warehouse.readJson(f, Saved.class);
                earlier = s.files() == null ? Map.of() : s.files();
            } catch (UncheckedIOException e) {
                // a damaged cache is an empty one: the files are read again
            }
        }
        return new InputHashes(f, earlier);
    }

    /**
     * The file's hash: the earlier one while its stat is unchanged, otherwise read. The stat is taken
     * before reading, so a change while it is read shows as a different stat next time.
     */
    public RunManifest.Input hashed(InputFolder.InputFile input) {
        String key = input.path().toAbsolutePath().normalize().toString();
        String stat = input.stat();
        Entry e = earlier.get(key);
        if (e == null || !stat.equals(e.stat())) {
            e = new Entry(stat, input.sha256());
        }
        seen.put(key, e);
        return new RunManifest.Input(input.name(), e.sha256());
    }

    /** Keeps the hashes of the files this run saw (and only those) for the next run. */
    public void save() {
        Warehouse.writeJson(file, new Saved(seen));
    }
}
