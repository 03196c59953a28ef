package io.tiercube.engine.warehouse;

import io.tiercube.engine.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * One writer per warehouse. The lock is a file created atomically ({@code _lock}) holding the
 * owner's pid; a lock whose process is gone (a killed run) is taken over, and the staging area it
 * left behind is cleared. Readers never take it: they see the last committed partitions.
 */
public final class WriterLock implements AutoCloseable {

    private final Path file;
    private final Warehouse warehouse;

    private WriterLock(Path file, Warehouse warehouse) {
        this.file = file;
        this.warehouse = warehouse;
    }

    /**
     * Takes the lock or fails with {@link UserError.Kind#LOCKED} naming the holder.
     *
     * @param command what the run is, recorded in the lock for whoever finds it held
     */
    public static WriterLock acquire(Warehouse warehouse, String command) {
        Path file = warehouse.root().resolve("_lock");
        long pid = ProcessHandle.current().pid();
        String content = pid + "\n" + Instant.now() + "\n" + command + "\n";
        try {
            Files.createDirectories(warehouse.root());
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    Files.writeString(file, content, java.nio.file.StandardOpenOption.CREATE_NEW,
                            java.nio.file.StandardOpenOption.WRITE);
                    warehouse.clearStaging();
                    return new WriterLock(file, warehouse);
                } catch (FileAlreadyExistsException held) {
                    String[] holder = readHolder(file);
                    if (holder == null) {
                        continue; // released between our two looks
                    }
                    long other = parsePid(holder[0]);
                    Optional<ProcessHandle> h = ProcessHandle.of(other);
                    if (other > 0 && h.isPresent() && h.get().isAlive()) {
                        throw new UserError(UserError.Kind.LOCKED, "the warehouse " + warehouse.root()
                                + " is being written by another run (pid " + other + ", started "
                                + (holder.length > 1 ? holder[1] : "?") + ", " + (holder.length > 2 ? holder[2] : "?")
                                + "); wait for it to finish, or stop it");
                    }
                    // Stale: its process is gone. Remove and race for it again.
                    Files.deleteIfExists(file);
                }
            }
            throw new UserError(UserError.Kind.LOCKED, "could not take the writer lock " + file + " (contended)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String[] readHolder(Path file) throws IOException {
        try {
            return Files.readString(file).split("\n");
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private static long parsePid(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            warehouse.clearStaging();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
