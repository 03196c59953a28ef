package io.tiercube.engine.generate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Gzips plain CSV files on one background thread (zlib level 6, no timestamp in the header, so the
 * bytes depend only on the content), appending the lines SQL cannot write. At most two files wait,
 * which bounds the temporary disk space.
 */
final class Gzipper implements AutoCloseable {

    private final ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tiercube-gzip");
        t.setDaemon(true);
        return t;
    });
    private final List<Future<?>> pending = new ArrayList<>();

    /** Gzips {@code plain} followed by {@code appended} lines into {@code target}, then deletes {@code plain}. */
    void submit(Path plain, List<byte[]> appended, Path target) {
        while (pending.size() >= 2) {
            await(pending.remove(0));
        }
        pending.add(pool.submit(() -> {
            compress(plain, appended, target);
            return null;
        }));
    }

    static void compress(Path plain, List<byte[]> appended, Path target) {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try (InputStream in = Files.newInputStream(plain);
             OutputStream os = Files.newOutputStream(part);
             GZIPOutputStream gz = new GZIPOutputStream(os, 1 << 16) {
                 {
                     def.setLevel(Deflater.DEFAULT_COMPRESSION);
                 }
             }) {
            in.transferTo(gz);
            for (byte[] line : appended) {
                gz.write(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for every submitted file. */
    void finish() {
        while (!pending.isEmpty()) {
            await(pending.remove(0));
        }
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compressing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
