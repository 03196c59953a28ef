package io.tiercube.engine.backend;

import io.tiercube.engine.UserError;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        // DuckDB's own units: KB, MB, GB, TB are powers of 1000, KiB … TiB powers of 1024.
        private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", Pattern.CASE_INSENSITIVE);

        /** A memory limit that is not a size is a clear error here, not SQL text handed to the engine. */
        public Options {
            if (memoryLimit != null && !SIZE.matcher(memoryLimit.trim()).matches()) {
                throw new UserError(UserError.Kind.BAD_QUERY, "--memory-limit must be a whole number and a unit, such as 8GB, 512MB or 6GiB; got '"
                        + memoryLimit + "'");
            }
            memoryLimit = memoryLimit == null ? null : memoryLimit.trim();
        }

        public static Options defaults() {
            return new Options("local[*]", null, null);
        }

        /** The memory limit in bytes, or empty when none was given. */
        public java.util.OptionalLong memoryLimitBytes() {
            if (memoryLimit == null) {
                return java.util.OptionalLong.empty();
            }
            Matcher m = SIZE.matcher(memoryLimit);
            m.matches();
            String unit = m.group(2).toLowerCase(Locale.ROOT);
            long base = unit.contains("i") ? 1024 : 1000;
            int power = "bkmgt".indexOf(unit.charAt(0));
            long bytes = Long.parseLong(m.group(1));
            for (int i = 0; i < power; i++) {
                bytes = Math.multiplyExact(bytes, base);
            }
            return java.util.OptionalLong.of(bytes);
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
