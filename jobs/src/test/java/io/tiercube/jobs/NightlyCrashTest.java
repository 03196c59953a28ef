package io.tiercube.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.warehouse.Warehouse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills real {@code tiercube nightly} processes with SIGKILL in every step and checks that nothing
 * half-written is visible after the kill, and that a rerun then leaves a warehouse equal to a clean
 * run's.
 *
 * <p>Input: a reduced copy of the bundled sample built in the test: all 3,000 customers and the
 * complaints, the cube model and tiercube.yaml, and the usage day files of the last 3 months (92
 * files, ≈253 k rows; 3 months is the least on which churn trains and scores). The full sample's
 * 6 months would cost ≈2× per trial, over 6 minutes of CI for 20 trials.
 *
 * <p>Kill points: the clean run's {@code --verbose} log lists, per step, the lines announcing its
 * progress ({@code step: …}, the months it builds, every committed partition, each report section).
 * A seeded random choice takes {@value #PER_STEP} of them per step, one from each quarter of the
 * step's lines, and each trial SIGKILLs its run as soon as its line appears. The kill therefore lands
 * just after the announced point, while the step goes on (the process is a few milliseconds further
 * when the signal arrives).
 */
@Tag("crash")
class NightlyCrashTest {

    static final List<String> STEPS = List.of("ingest", "cube", "churn", "profiles", "report");
    static final int PER_STEP = 4;
    static final long SEED = 20261123L;

    @TempDir
    Path tmp;

    record KillPoint(String step, String line) {
    }

    @Test
    void nightlyKilledInAnyStepLeavesNothingHalfWrittenAndTheRerunMatchesACleanRun() throws Exception {
        long t0 = System.nanoTime();
        Path data = NightlyProcess.reducedSample(tmp.resolve("in"), 3);
        Path clean = tmp.resolve("clean");
        Run cleanRun = run(data, clean, null);
        assertEquals(0, cleanRun.exit, String.join("\n", cleanRun.lines));
        double cleanSeconds = cleanRun.seconds;
        List<KillPoint> points = choose(progressLines(cleanRun.lines), new Random(SEED));

        Map<String, Integer> killedPerStep = new LinkedHashMap<>();
        STEPS.forEach(s -> killedPerStep.put(s, 0));
        List<String> problems = new ArrayList<>();
        int killed = 0;
        for (int t = 0; t < points.size(); t++) {
            KillPoint k = points.get(t);
            Path wh = tmp.resolve("trial-" + t);
            Run r = run(data, wh, k.line());
            if (r.killed) {
                killed++;
                killedPerStep.merge(k.step(), 1, Integer::sum);
            }
            String trial = "trial " + t + " (" + k.step() + ", killed after '" + k.line() + "')";
            for (String p : WarehouseContents.halfWritten(wh)) {
                problems.add(trial + " after the kill: " + p);
            }
            Run again = run(data, wh, null);
            if (again.exit != 0) {
                problems.add(trial + ": the rerun exited " + again.exit + ":\n" + String.join("\n", again.lines));
                continue;
            }
            for (String p : WarehouseContents.differences(clean, wh)) {
                problems.add(trial + " after the rerun: " + p);
            }
            System.out.printf("crash trial %2d: %-8s %-55s killed %-5s %5.1f s + rerun %5.1f s%n", t, k.step(),
                    "'" + k.line() + "'", r.killed, r.seconds, again.seconds);
            Warehouse.deleteTree(wh);
        }
        System.out.printf("crash test: %d trials, %d killed mid-run (per step: ingest %d, cube %d, churn %d, profiles %d, report %d), "
                        + "%d differences from the clean run (clean run %.1f s, whole test %.0f s)%n",
                points.size(), killed, killedPerStep.get("ingest"), killedPerStep.get("cube"), killedPerStep.get("churn"),
                killedPerStep.get("profiles"), killedPerStep.get("report"), problems.size(), cleanSeconds, (System.nanoTime() - t0) / 1e9);
        problems.forEach(p -> System.out.println("crash test problem: " + p));
        assertEquals(List.of(), problems);
        assertTrue(points.size() >= 20);
        for (String s : STEPS) {
            assertTrue(killedPerStep.get(s) >= 2, "step " + s + " was killed only " + killedPerStep.get(s) + " times");
        }
    }

    /** The progress lines of a verbose nightly log, by step (progress bars and the closing summary left out). */
    static Map<String, List<String>> progressLines(List<String> log) {
        Map<String, List<String>> byStep = new LinkedHashMap<>();
        String step = null;
        for (String line : log) {
            if (line.startsWith("step: ")) {
                step = line.substring("step: ".length());
            } else if (line.startsWith("nightly ") && line.contains(" finished in ")) {
                break;
            }
            if (step != null && !line.contains("%") && !line.isBlank()) {
                byStep.computeIfAbsent(step, s -> new ArrayList<>()).add(line);
            }
        }
        assertEquals(STEPS, List.copyOf(byStep.keySet()), "steps announced by nightly --verbose");
        return byStep;
    }

    /** {@link #PER_STEP} lines per step, one from each of as many equal slices of the step's lines. */
    static List<KillPoint> choose(Map<String, List<String>> byStep, Random random) {
        List<KillPoint> out = new ArrayList<>();
        for (String step : STEPS) {
            List<String> lines = byStep.get(step);
            assertTrue(lines.size() >= PER_STEP, "step " + step + " announces only " + lines);
            for (int i = 0; i < PER_STEP; i++) {
                int from = i * lines.size() / PER_STEP;
                int to = (i + 1) * lines.size() / PER_STEP;
                out.add(new KillPoint(step, lines.get(from + random.nextInt(to - from))));
            }
        }
        return out;
    }

    /** What one run printed, how it ended, and how long it took. */
    record Run(int exit, boolean killed, List<String> lines, double seconds) {
    }

    /**
     * Runs {@code nightly --verbose} on {@code wh} in its own JVM; with {@code killAt}, SIGKILLs it as
     * soon as it prints that line (no shutdown hook, no cleanup, like a power cut of the process).
     */
    Run run(Path data, Path wh, String killAt) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = NightlyProcess.start(tmp.resolve("jvm-tmp"), "nightly", "--verbose", "--data", data.toString(),
                "--warehouse", wh.toString());
        List<String> lines = new ArrayList<>();
        boolean killed = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (line.equals(killAt) && p.isAlive()) {
                    p.destroyForcibly(); // SIGKILL on Unix
                    killed = true;
                    break;
                }
            }
        }
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "nightly did not end");
        // A run that ended before the signal arrived was not killed mid-run.
        killed = killed && p.exitValue() == 137;
        return new Run(p.exitValue(), killed, lines, (System.nanoTime() - t0) / 1e9);
    }
}
