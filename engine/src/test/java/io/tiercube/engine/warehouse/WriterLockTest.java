package io.tiercube.engine.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriterLockTest {

    @TempDir
    Path tmp;

    @Test
    void aSecondWriterIsRefusedNamingTheHolderAndTheLockIsFreeAfterClose() throws Exception {
        Warehouse wh = new Warehouse(tmp.resolve("wh"));
        long pid = ProcessHandle.current().pid();
        try (WriterLock first = WriterLock.acquire(wh, "tiercube nightly --date 2026-10-31")) {
            assertEquals(Optional.empty(), first.previousHolder());
            String content = Files.readString(wh.root().resolve("_lock"));
            assertTrue(content.startsWith(pid + "\n") && content.endsWith("\ntiercube nightly --date 2026-10-31\n"), content);
            UserError e = assertThrows(UserError.class, () -> WriterLock.acquire(wh, "tiercube report --month 2026-10"));
            assertEquals(UserError.Kind.LOCKED, e.kind());
            assertTrue(e.getMessage().startsWith("the warehouse " + wh.root() + " is being written by another run (pid " + pid
                    + ", started 20"), e.getMessage());
            assertTrue(e.getMessage().endsWith(", tiercube nightly --date 2026-10-31); wait for it to finish, or stop it"), e.getMessage());
        }
        assertEquals("", Files.readString(wh.root().resolve("_lock")), "emptied on release");
        try (WriterLock again = WriterLock.acquire(wh, "tiercube report --month 2026-10")) {
            assertEquals(Optional.empty(), again.previousHolder());
        }
    }

    @Test
    void aLockWhoseHolderDiedIsTakenOverAndItsStagingCleared() throws Exception {
        Warehouse wh = new Warehouse(tmp.resolve("wh"));
        Files.createDirectories(wh.root());
        // What a killed run leaves: its name in the lock file (the OS released the lock itself) and its work in progress.
        Files.writeString(wh.root().resolve("_lock"), "999999999\n2026-11-23T00:00:00Z\ntiercube nightly --date 2026-10-31\n");
        Path leftover = wh.newStaging("profiles");
        try (WriterLock lock = WriterLock.acquire(wh, "tiercube nightly --date 2026-10-31")) {
            assertEquals(Optional.of("999999999, 2026-11-23T00:00:00Z, tiercube nightly --date 2026-10-31"), lock.previousHolder());
            assertFalse(Files.exists(leftover));
        }
    }
}
