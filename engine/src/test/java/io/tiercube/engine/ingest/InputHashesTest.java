package io.tiercube.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputHashesTest {

    @TempDir
    Path dir;

    static final String SHA_OF_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    InputFolder.InputFile drop(String content) throws Exception {
        Path f = dir.resolve("in/2026-10-01.csv");
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        return new InputFolder.InputFile(f, "usage/2026-10-01.csv");
    }

    @Test
    void unchangedFileKeepsItsEarlierHashWithoutBeingRead() throws Exception {
        Warehouse wh = new Warehouse(dir.resolve("wh"));
        InputFolder.InputFile f = drop("abc");
        InputHashes first = InputHashes.load(wh);
        assertEquals(SHA_OF_ABC, first.hashed(f).sha256());
        first.save();

        // A hash the content does not have shows that the second run took it from the cache.
        Path cache = wh.root().resolve("_cache/input-hashes.json");
        String key = f.path().toAbsolutePath().normalize().toString();
        Warehouse.writeJson(cache, new InputHashes.Saved(Map.of(key, new InputHashes.Entry(f.stat(), "cached"))));
        assertEquals("cached", InputHashes.load(wh).hashed(f).sha256());
    }

    @Test
    void rewrittenFileOfTheSameSizeAndTimestampIsReadAgain() throws Exception {
        Warehouse wh = new Warehouse(dir.resolve("wh"));
        InputFolder.InputFile f = drop("abc");
        InputHashes first = InputHashes.load(wh);
        first.hashed(f);
        first.save();

        FileTime modified = Files.getLastModifiedTime(f.path());
        Files.writeString(f.path(), "abd");
        Files.setLastModifiedTime(f.path(), modified);
        String again = InputHashes.load(wh).hashed(f).sha256();
        assertNotEquals(SHA_OF_ABC, again);
        assertEquals(f.sha256(), again);
    }

    @Test
    void damagedCacheIsAnEmptyOne() throws Exception {
        Warehouse wh = new Warehouse(dir.resolve("wh"));
        Files.createDirectories(wh.root().resolve("_cache"));
        Files.writeString(wh.root().resolve("_cache/input-hashes.json"), "{not json");
        assertEquals(SHA_OF_ABC, InputHashes.load(wh).hashed(drop("abc")).sha256());
    }
}
