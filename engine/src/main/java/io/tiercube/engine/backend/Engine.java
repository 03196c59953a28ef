package io.tiercube.engine.backend;

import io.tiercube.engine.UserError;
import java.nio.file.Path;
import java.util.Locale;

/** The two engines tiercube runs on, and how to open a {@link Backend} for one. */
public enum Engine {
    DUCKDB,
    SPARK;

    /**
     * Settings for opening a backend.
     *
     * @param sparkMaster Spark master URL ({@code local[*]} by default); ignored by DuckDB
     * @param tempDir where the engine may spill; null for the system default
     * @param memoryLimit DuckDB memory limit such as {@code 8GB}; null for the default (60 % of RAM)
     */
    public record Options(String sparkMaster, Path tempDir, String memoryLimit) {
        public static Options defaults() {
            return new Options("local[*]", null, null);
        }
    }

    public static Engine parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError(UserError.Kind.BAD_QUERY, "unknown engine '" + text + "': expected duckdb or spark");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Opens a backend. Spark classes are loaded only here, so the DuckDB path never needs them. */
    public Backend open(Options options) {
        if (this == DUCKDB) {
            return new DuckDbBackend(options);
        }
        try {
            Class<?> c = Class.forName("io.tiercube.engine.backend.SparkBackend");
            return (Backend) c.getDeclaredConstructor(Options.class).newInstance(options);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new UserError(UserError.Kind.BAD_CONFIG,
                    "Spark is not on the classpath: run through ./tiercube, or use spark-submit with the cluster jar");
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("could not start Spark: " + cause.getMessage(), cause);
        }
    }
}
