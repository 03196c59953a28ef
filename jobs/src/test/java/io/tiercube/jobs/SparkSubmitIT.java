package io.tiercube.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jobs jar runs through Spark's own {@code SparkSubmit} entry point (local mode), the
 * way {@code spark-submit} starts it on a cluster: a nightly on Spark, then a query of its result.
 */
class SparkSubmitIT {

    @TempDir
    Path tmp;

    @Test
    void nightlyRunsUnderSparkSubmit() throws Exception {
        Path jar = clusterJarOrPlain();
        Path data = TestDrop.write(tmp.resolve("in"), 10, 2, 10);
        Path wh = tmp.resolve("wh");
        Result r = submit(jar, "nightly", "--engine", "spark", "--data", data.toString(), "--warehouse", wh.toString(), "--max-reject-rate", "0.2");
        assertEquals(0, r.exit, r.output);
        Result q = submit(jar, "sql", "--engine", "spark", "--warehouse", wh.toString(), "--format", "csv", "select count(*) as n from usage");
        assertEquals(0, q.exit, q.output);
        assertTrue(q.output.contains("n\n20\n"), q.output);
    }

    record Result(int exit, String output) {
    }

    private static Result submit(Path jar, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(System.getProperty("tiercube.sparkFlags", "").split(" ")).stream().filter(s -> !s.isBlank()).toList());
        cmd.addAll(List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "org.apache.spark.deploy.SparkSubmit",
                "--class", "io.tiercube.jobs.Tiercube", "--master", "local[2]", "--conf", "spark.ui.enabled=false",
                jar.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        return new Result(p.exitValue(), out);
    }

    private static Path clusterJarOrPlain() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            List<Path> jars = s.filter(f -> f.getFileName().toString().matches("tiercube-jobs-.*\\.jar")).sorted().toList();
            return jars.stream().filter(j -> j.toString().endsWith("-cluster.jar")).findFirst().orElse(jars.get(0));
        }
    }
}
