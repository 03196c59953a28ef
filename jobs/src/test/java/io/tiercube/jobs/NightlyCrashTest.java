package io.tiercube.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills real {@code tiercube nightly} processes with SIGKILL at chosen points (after the k-th
 * committed partition, or while files are still being read) and checks that the next run leaves a
 * warehouse equal to a clean run's: whole partitions only, nothing lost, nothing counted twice.
 */
@Tag("crash")
class NightlyCrashTest {

    @TempDir
    Path tmp;

    @Test
    void killedNightlyLeavesWholePartitionsAndTheRerunMatchesACleanRun() throws Exception {
        Path data = TestDrop.write(tmp.resolve("in"), 40, 12, 60);
        Path clean = tmp.resolve("clean");
        assertEquals(0, CliRun.of("nightly", "--data", data.toString(), "--warehouse", clean.toString()).exit());
        String expected = WarehouseContents.of(clean);

        Random random = new Random(7);
        int trials = 8;
        int killed = 0;
        for (int t = 0; t < trials; t++) {
            Path wh = tmp.resolve("crash-" + t);
            // Kill points spread over the run: after the k-th commit (k = 0 kills while reading input).
            int afterCommits = t == 0 ? 0 : 1 + random.nextInt(14);
            if (runAndKill(data, wh, afterCommits)) {
                killed++;
            }
            assertNoHalfPartitions(wh);
            assertEquals(0, CliRun.of("nightly", "--data", data.toString(), "--warehouse", wh.toString()).exit(), "rerun " + t);
            assertEquals(expected, WarehouseContents.of(wh), "trial " + t + " (killed after " + afterCommits + " commits)");
        }
        System.out.printf("crash test: %d trials, %d killed mid-run, 0 differences from the clean run%n", trials, killed);
        assertTrue(killed >= trials / 2, "most trials should kill the process mid-run, got " + killed);
    }

    /** Starts nightly in its own JVM and SIGKILLs it after {@code afterCommits} commits; true if it was killed. */
    private static boolean runAndKill(Path data, Path wh, int afterCommits) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.tiercube.jobs.Tiercube",
                "nightly", "--verbose", "--data", data.toString(), "--warehouse", wh.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        int commits = 0;
        boolean killed = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                boolean trigger = afterCommits == 0 ? line.startsWith("ingest: usage") : line.startsWith("committed ") && ++commits >= afterCommits;
                if (trigger && p.isAlive()) {
                    p.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
                    killed = true;
                    break;
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return killed;
    }

    /** Every committed day partition has its marker and data; nothing half-written is visible outside _staging. */
    private static void assertNoHalfPartitions(Path wh) throws IOException {
        Path usage = wh.resolve("usage");
        if (!Files.isDirectory(usage)) {
            return;
        }
        try (Stream<Path> s = Files.walk(usage, 2)) {
            for (Path day : s.filter(p -> p.getFileName().toString().startsWith("day=")).toList()) {
                assertTrue(Files.exists(day.resolve("_SOURCE.json")), "marker in " + day);
                try (Stream<Path> files = Files.list(day)) {
                    assertTrue(files.anyMatch(f -> f.toString().endsWith(".parquet")), "data in " + day);
                }
            }
        }
    }
}
