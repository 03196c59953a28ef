package io.tiercube.jobs;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Starts the {@code tiercube} CLI as a real process (its own JVM) from the test classpath, cheaply:
 * only the jars the DuckDB path needs (the {@code copy-lib-core} list in {@code jobs/pom.xml}, so
 * none of Spark's ~190), and DuckDB's native library loaded in place from {@code target/} instead of
 * being unpacked (70 MB) into {@code java.io.tmpdir} on every start. The process still gets its own
 * {@code -Djava.io.tmpdir}, so whatever a SIGKILLed process leaves there is removed with the test's
 * temporary directory, never left in /tmp.
 */
final class NightlyProcess {

    private static List<String> classpath;
    private static Path libraryDir;

    private NightlyProcess() {
    }

    /** The command line running {@code tiercube args...}; {@code jvmTmp} becomes its java.io.tmpdir. */
    static List<String> command(Path jvmTmp, String... args) {
        setUp();
        try {
            Files.createDirectories(jvmTmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
                "-Djava.io.tmpdir=" + jvmTmp.toAbsolutePath()));
        if (libraryDir != null) {
            cmd.add("-Djava.library.path=" + libraryDir);
        }
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classpath));
        cmd.add("io.tiercube.jobs.Tiercube");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts {@code tiercube args...} with stdout and stderr merged into a pipe the caller must read. */
    static Process start(Path jvmTmp, String... args) throws IOException {
        return new ProcessBuilder(command(jvmTmp, args)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    /** Starts {@code tiercube args...} with stdout and stderr merged into {@code log}. */
    static Process start(Path jvmTmp, Path log, String... args) throws IOException {
        return new ProcessBuilder(command(jvmTmp, args)).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    /** The repository's {@code sample-data/} folder. */
    static Path sampleData() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("sample-data").resolve("customers.csv.gz"))) {
                return p.resolve("sample-data");
            }
        }
        throw new IllegalStateException("sample-data/ not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * A reduced copy of the sample in {@code dir}: all its customers and complaints, the cube models,
     * tiercube.yaml, and the usage day files of its last {@code months} months (3 is the least the
     * churn step can train and score on: the model is trained as of the month two before the last).
     */
    static Path reducedSample(Path dir, int months) throws IOException {
        Path sample = sampleData();
        Files.createDirectories(dir.resolve("usage"));
        for (String f : List.of("customers.csv.gz", "complaints.csv.gz", "tiercube.yaml")) {
            Files.copy(sample.resolve(f), dir.resolve(f));
        }
        Files.createDirectories(dir.resolve("cubes"));
        try (Stream<Path> s = Files.list(sample.resolve("cubes"))) {
            for (Path f : s.toList()) {
                Files.copy(f, dir.resolve("cubes").resolve(f.getFileName()));
            }
        }
        List<Path> days;
        try (Stream<Path> s = Files.list(sample.resolve("usage"))) {
            days = s.filter(p -> p.getFileName().toString().matches("\\d{4}-\\d{2}-\\d{2}\\.csv(\\.gz)?")).sorted().toList();
        }
        String last = days.get(days.size() - 1).getFileName().toString().substring(0, 7);
        String first = java.time.YearMonth.parse(last).minusMonths(months - 1).toString();
        for (Path d : days) {
            if (d.getFileName().toString().substring(0, 7).compareTo(first) >= 0) {
                Files.copy(d, dir.resolve("usage").resolve(d.getFileName()));
            }
        }
        return dir;
    }

    private static synchronized void setUp() {
        if (classpath != null) {
            return;
        }
        Set<String> core = coreArtifacts();
        List<String> cp = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                if (p.endsWith(Path.of("target", "classes"))) {
                    cp.add(entry); // engine's and jobs' own classes; not test-classes
                }
                continue;
            }
            String jar = p.getFileName().toString();
            if (artifactIs("duckdb_jdbc", jar)) {
                cp.add(duckDbWithoutNativeLibrary(p).toString());
            } else if (core == null || core.stream().anyMatch(id -> artifactIs(id, jar))) {
                cp.add(entry); // from ~/.m2, or a reactor module's target/ (tiercube-engine-0.1.0-SNAPSHOT.jar)
            }
        }
        classpath = cp;
    }

    /** Whether a jar file is {@code <artifactId>-<version>….jar} of the given artifact. */
    private static boolean artifactIs(String artifactId, String jarName) {
        return jarName.length() > artifactId.length() + 1 && jarName.startsWith(artifactId + "-")
                && Character.isDigit(jarName.charAt(artifactId.length() + 1)) && jarName.endsWith(".jar");
    }

    /** The artifact ids of {@code copy-lib-core} in jobs/pom.xml (what the launcher runs DuckDB with), or null when not found. */
    private static Set<String> coreArtifacts() {
        Path pom = Path.of("pom.xml");
        if (!Files.isRegularFile(pom)) {
            pom = Path.of("jobs", "pom.xml");
        }
        try {
            Matcher m = Pattern.compile("<id>copy-lib-core</id>.*?<includeArtifactIds>([^<]*)</includeArtifactIds>", Pattern.DOTALL)
                    .matcher(Files.readString(pom));
            return m.find() ? Set.of(m.group(1).trim().split("\\s*,\\s*")) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * DuckDB's JDBC jar without its native library, and the library beside it as
     * {@code libduckdb_java.so} (found through java.library.path), in {@code target/nightly-process/};
     * the original jar when this platform's library is not in it.
     */
    private static Path duckDbWithoutNativeLibrary(Path jar) {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        arch = arch.equals("x86_64") ? "amd64" : arch.equals("aarch64") ? "arm64" : arch;
        String lib = "libduckdb_java.so_linux_" + arch;
        Path dir = Path.of("target", "nightly-process", jar.getFileName().toString().replace(".jar", "")).toAbsolutePath();
        Path nolib = dir.resolve("duckdb_jdbc-nolib.jar");
        if (Files.isRegularFile(nolib)) {
            libraryDir = dir;
            return nolib;
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux") || zip.getEntry(lib) == null) {
                return jar;
            }
            Path tmp = Files.createDirectories(dir.getParent()).resolve(dir.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Files.createDirectories(tmp);
            try (InputStream in = zip.getInputStream(zip.getEntry(lib))) {
                Files.copy(in, tmp.resolve("libduckdb_java.so"), StandardCopyOption.REPLACE_EXISTING);
            }
            try (OutputStream os = Files.newOutputStream(tmp.resolve("duckdb_jdbc-nolib.jar")); ZipOutputStream out = new ZipOutputStream(os)) {
                for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                    ZipEntry e = en.nextElement();
                    if (e.getName().startsWith("libduckdb_java.so")) {
                        continue;
                    }
                    out.putNextEntry(new ZipEntry(e.getName()));
                    try (InputStream in = zip.getInputStream(e)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException lost) {
                // another JVM made it first
                io.tiercube.engine.warehouse.Warehouse.deleteTree(tmp);
            }
            libraryDir = dir;
            return nolib;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
