package io.tiercube.engine.warehouse;

import io.tiercube.engine.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One writer per warehouse. The lock is an operating-system lock on the file {@code _lock} (an
 * {@code fcntl} lock, which the kernel releases when its process ends, however it ends), and the
 * file holds the owner's pid, start time and command so that whoever finds it held can say who
 * holds it. The file stays in place; its content is emptied when the lock is released.
 *
 * <p>Why not "create the file, and treat a dead pid as stale": two runs starting together could both
 * see the same dead pid, both delete the file and both go on, and a file created before its pid was
 * written looked stale to the other run. With the OS lock exactly one process holds it at any
 * moment, a killed holder's lock is free at once, and a reused pid cannot keep a lock alive.
 *
 * <p>Taking the lock over from a killed run also clears the staging area it left behind
 * ({@link Warehouse#clearStaging}); {@link #previousHolder} says whose lock was taken over. Readers
 * never take it: they see the last committed partitions.
 */
public final class WriterLock implements AutoCloseable {

    /** Locks this JVM holds, by lock file: a second acquire in the same process must not touch the file (see below). */
    private static final Map<Path, String> HELD = new HashMap<>();

    private final Path file;
    private final Warehouse warehouse;
    private final FileChannel channel;
    private final FileLock lock;
    private final String previous;

    private WriterLock(Path file, Warehouse warehouse, FileChannel channel, FileLock lock, String previous) {
        this.file = file;
        this.warehouse = warehouse;
        this.channel = channel;
        this.lock = lock;
        this.previous = previous;
    }

    /**
     * Takes the lock or fails with {@link UserError.Kind#LOCKED} naming the holder (pid, start time,
     * command). Never waits.
     *
     * @param command what the run is, recorded in the lock for whoever finds it held
     */
    public static WriterLock acquire(Warehouse warehouse, String command) {
        Path file = warehouse.root().resolve("_lock");
        String content = ProcessHandle.current().pid() + "\n" + Instant.now() + "\n" + command + "\n";
        synchronized (HELD) {
            if (HELD.containsKey(file)) {
                // POSIX drops every lock a process holds on a file when it closes ANY descriptor of
                // that file, so this process must not even open it to read the holder.
                throw held(warehouse, HELD.get(file));
            }
            try {
                Files.createDirectories(warehouse.root());
                long deadline = System.nanoTime() + 1_000_000_000L;
                while (true) {
                    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    FileLock fl;
                    try {
                        fl = ch.tryLock();
                    } catch (OverlappingFileLockException e) {
                        fl = null;
                    }
                    if (fl == null) {
                        String holder = read(ch);
                        ch.close();
                        if (holder.isBlank() && System.nanoTime() < deadline) {
                            // The holder has the lock but has not written its name yet: look again shortly.
                            pause();
                            continue;
                        }
                        throw held(warehouse, holder);
                    }
                    String before = read(ch);
                    ch.truncate(0);
                    ch.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)), 0);
                    ch.force(false);
                    warehouse.clearStaging();
                    HELD.put(file, content);
                    return new WriterLock(file, warehouse, ch, fl, before.isBlank() ? null : before);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not take the writer lock " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The lock file's content when this run took the lock over from a run that ended without
     * releasing it (killed, or its machine lost power): its pid, start time and command. Empty when
     * the lock was free.
     */
    public Optional<String> previousHolder() {
        return Optional.ofNullable(previous).map(p -> String.join(", ", p.strip().split("\n")));
    }

    private static UserError held(Warehouse warehouse, String holder) {
        String[] h = holder.split("\n");
        String pid = h.length > 0 && !h[0].isBlank() ? h[0].trim() : "?";
        return new UserError(UserError.Kind.LOCKED, "the warehouse " + warehouse.root()
                + " is being written by another run (pid " + pid + ", started " + (h.length > 1 ? h[1] : "?") + ", "
                + (h.length > 2 ? h[2] : "?") + "); wait for it to finish, or stop it");
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size, 64 * 1024));
        while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
            // keep reading
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        synchronized (HELD) {
            try {
                warehouse.clearStaging();
                channel.truncate(0);
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                HELD.remove(file);
                try {
                    lock.release();
                    channel.close();
                } catch (IOException e) {
                    // Closing the descriptor releases the lock anyway.
                }
            }
        }
    }
}
