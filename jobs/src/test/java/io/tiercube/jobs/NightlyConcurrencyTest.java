package io.tiercube.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent use of one warehouse, with real {@code tiercube nightly} processes on the reduced sample
 * of {@link NightlyCrashTest}: two writers at once, a lock left by a SIGKILLed writer, and readers
 * ({@code sql}, {@code drill}) while a nightly writes.
 */
@Tag("crash")
class NightlyConcurrencyTest {

    @TempDir
    static Path shared;

    static Path data;
    static Path clean;

    @TempDir
    Path tmp;

    @BeforeAll
    static void cleanRun() throws Exception {
        data = NightlyProcess.reducedSample(shared.resolve("in"), 3);
        clean = shared.resolve("clean");
        Process p = NightlyProcess.start(shared.resolve("jvm-tmp"), shared.resolve("clean.log"), args(clean));
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), Files.readString(shared.resolve("clean.log")));
    }

    static String[] args(Path wh) {
        return new String[] {"nightly", "--verbose", "--data", data.toString(), "--warehouse", wh.toString()};
    }

    @Test
    void twoNightliesStartedTogetherOneRunsAndTheOtherRefusesWithExit4NamingTheHolder() throws Exception {
        long t0 = System.nanoTime();
        Path wh = tmp.resolve("wh");
        Process a = NightlyProcess.start(tmp.resolve("jvm-tmp"), tmp.resolve("a.log"), args(wh));
        Process b = NightlyProcess.start(tmp.resolve("jvm-tmp"), tmp.resolve("b.log"), args(wh));
        assertTrue(a.waitFor(5, TimeUnit.MINUTES) && b.waitFor(5, TimeUnit.MINUTES));
        String logA = Files.readString(tmp.resolve("a.log"));
        String logB = Files.readString(tmp.resolve("b.log"));
        assertEquals(List.of(0, 4), List.of(a.exitValue(), b.exitValue()).stream().sorted().toList(), "exit codes\n" + logA + "\n" + logB);
        Process winner = a.exitValue() == 0 ? a : b;
        String refused = a.exitValue() == 0 ? logB : logA;
        // One line, naming the holder: its pid, when it started, and what it is.
        List<String> errors = refused.lines().filter(l -> l.startsWith("tiercube:")).toList();
        assertEquals(1, errors.size(), refused);
        String msg = errors.get(0);
        assertTrue(msg.startsWith("tiercube: the warehouse " + wh.toAbsolutePath() + " is being written by another run (pid "
                + winner.pid() + ", started 20"), msg);
        assertTrue(msg.contains(", tiercube nightly --date 2026-10-31); wait for it to finish, or stop it"), msg);
        assertFalse(refused.contains("step: "), "the refused run did no step:\n" + refused);
        assertEquals(List.of(), WarehouseContents.differences(clean, wh));
        System.out.printf("concurrency: two nightlies at once: pid %d ran, the other exited 4 (%.1f s)%n", winner.pid(),
                (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void aLockLeftByASigkilledNightlyIsTakenOverAndTheRunCompletes() throws Exception {
        long t0 = System.nanoTime();
        Path wh = tmp.resolve("wh");
        Process p = NightlyProcess.start(tmp.resolve("jvm-tmp"), args(wh));
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null && !line.equals("step: cube")) {
                // read on: the lock is held from before the first step
            }
            p.destroyForcibly();
        }
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        String lock = Files.readString(wh.resolve("_lock"));
        assertTrue(lock.startsWith(p.pid() + "\n"), "the lock still names the killed run: " + lock);
        assertTrue(lock.endsWith("tiercube nightly --date 2026-10-31\n"), lock);

        Path log = tmp.resolve("rerun.log");
        Process again = NightlyProcess.start(tmp.resolve("jvm-tmp"), log, args(wh));
        assertTrue(again.waitFor(5, TimeUnit.MINUTES));
        String out = Files.readString(log);
        assertEquals(0, again.exitValue(), out);
        assertTrue(out.contains("nightly: took over the writer lock of a run that ended without releasing it (" + p.pid() + ", "), out);
        assertEquals("", Files.readString(wh.resolve("_lock")), "released");
        assertEquals(List.of(), WarehouseContents.differences(clean, wh));
        System.out.printf("concurrency: lock of SIGKILLed pid %d taken over (%.1f s)%n", p.pid(), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * While a nightly writes, {@code sql} and {@code drill} run again and again on the same warehouse
     * (in this JVM). Each succeeds, or says there is no data yet, and never sees a partition half
     * written: every usage day it sees holds that day's final rows and revenue, every cube month its
     * final revenue, every profiles and churn_scores month its final customers, and a drill by day
     * (from the cube when the month is built, else from the facts) gives each day's final revenue,
     * events and distinct users.
     */
    @Test
    void readersDuringANightlySeeOnlyWholePartitions() throws Exception {
        long t0 = System.nanoTime();
        Map<String, String> days = rows(clean, DAYS);
        Map<String, String> cubeMonths = rows(clean, CUBE_MONTHS);
        Map<String, String> profileMonths = rows(clean, PROFILE_MONTHS);
        Map<String, String> scoreMonths = rows(clean, SCORE_MONTHS);
        Map<String, String> drillDays = drillByDay(clean).rows;
        assertEquals(31, drillDays.size());

        Path wh = tmp.resolve("wh");
        Process p = NightlyProcess.start(tmp.resolve("jvm-tmp"), tmp.resolve("nightly.log"), args(wh));
        Map<String, Integer> seen = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        int reads = 0;
        while (p.isAlive()) {
            reads++;
            checkSubset("usage days", wh, DAYS, days, seen, problems);
            checkSubset("cube months", wh, CUBE_MONTHS, cubeMonths, seen, problems);
            checkSubset("profiles months", wh, PROFILE_MONTHS, profileMonths, seen, problems);
            checkSubset("churn_scores months", wh, SCORE_MONTHS, scoreMonths, seen, problems);
            Drill d = drillByDay(wh);
            if (d.exit == 0) {
                d.rows.forEach((day, v) -> {
                    if (!v.equals(drillDays.get(day))) {
                        problems.add("drill by day saw " + day + " = " + v + ", final " + drillDays.get(day));
                    }
                });
                seen.merge("drill: days of 2026-10 (max)", d.rows.size(), Math::max);
            } else if (d.exit == 8) {
                seen.merge("drill: no data yet", 1, Integer::sum);
            } else {
                problems.add("drill exited " + d.exit + ": " + d.err);
            }
        }
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("nightly.log")));
        System.out.printf("concurrency: %d rounds of 4 sql + 1 drill reads during a nightly (%.1f s), %d problems; seen %s%n",
                reads, (System.nanoTime() - t0) / 1e9, problems.size(), seen);
        assertEquals(List.of(), problems);
        assertEquals(List.of(), WarehouseContents.differences(clean, wh));

        // The next night, with nothing new: the month's churn scores, profiles and report are replaced
        // by equal ones while the readers go on; they see the old partition or the new one, whole.
        long t1 = System.nanoTime();
        Process next = NightlyProcess.start(tmp.resolve("jvm-tmp"), tmp.resolve("next.log"), args(wh));
        Map<String, Integer> seenNext = new TreeMap<>();
        int rounds = 0;
        while (next.isAlive()) {
            rounds++;
            checkSubset("profiles months", wh, PROFILE_MONTHS, profileMonths, seenNext, problems);
            checkSubset("churn_scores months", wh, SCORE_MONTHS, scoreMonths, seenNext, problems);
            Drill d = drillByDay(wh);
            if (d.exit != 0 || !d.rows.equals(drillDays)) {
                problems.add("drill during the second nightly: exit " + d.exit + " " + d.err + " " + d.rows);
            }
        }
        assertTrue(next.waitFor(1, TimeUnit.MINUTES));
        assertEquals(0, next.exitValue(), Files.readString(tmp.resolve("next.log")));
        System.out.printf("concurrency: %d rounds of 2 sql + 1 drill reads during the next nightly (%.1f s), %d problems; seen %s%n",
                rounds, (System.nanoTime() - t1) / 1e9, problems.size(), seenNext);
        assertEquals(List.of(), problems);
    }

    static final String DAYS = "select cast(event_date as varchar) as k, count(*) || ' rows ' || sum(charge) as v from usage group by event_date";
    static final String CUBE_MONTHS = "select month as k, sum(m_revenue) || ' from ' || sum(n_rows) || ' rows' as v from cube_usage"
            + " where cuboid_id = 0 group by month";
    static final String PROFILE_MONTHS = "select month as k, count(*) || ' customers' as v from profiles group by month";
    static final String SCORE_MONTHS = "select month as k, count(*) || ' customers, ' || sum(cast(round(churn_score * 1000000) as bigint)) || ' micro-points' as v"
            + " from churn_scores group by month"; // scores have 6 decimals: an exact sum, whatever order the threads add in

    static boolean notThereYet(CliRun r) {
        return r.exit() == ExitCodes.NOT_FOUND && r.err().contains(" data in ") && r.err().contains(" yet");
    }

    /** A two-column (k, v) query's rows as a map; empty when the view does not exist yet. */
    static Map<String, String> rows(Path wh, String sql) {
        CliRun r = CliRun.of("sql", "--warehouse", wh.toString(), "--format", "csv", sql);
        if (notThereYet(r)) {
            return null;
        }
        assertEquals(0, r.exit(), sql + ": " + r.err());
        Map<String, String> out = new LinkedHashMap<>();
        r.out().lines().skip(1).forEach(l -> out.put(l.substring(0, l.indexOf(',')), l.substring(l.indexOf(',') + 1)));
        return out;
    }

    /**
     * Runs a (k, v) query and checks every row it sees against the clean run's. {@code sql} answers a
     * dataset that is not written yet with exit 8, "no ... data".
     */
    static void checkSubset(String what, Path wh, String sql, Map<String, String> expected, Map<String, Integer> seen,
                            List<String> problems) {
        CliRun r = CliRun.of("sql", "--warehouse", wh.toString(), "--format", "csv", sql);
        if (notThereYet(r)) {
            seen.merge(what + ": not there yet", 1, Integer::sum);
            return;
        }
        if (r.exit() != 0) {
            problems.add(what + ": sql exited " + r.exit() + ": " + r.err());
            return;
        }
        List<String> lines = r.out().lines().skip(1).toList();
        for (String l : lines) {
            String k = l.substring(0, l.indexOf(','));
            String v = l.substring(l.indexOf(',') + 1);
            if (!v.equals(expected.get(k))) {
                problems.add(what + ": saw " + k + " = " + v + ", final " + expected.get(k));
            }
        }
        seen.merge(what + " (max seen)", lines.size(), Math::max);
    }

    record Drill(int exit, Map<String, String> rows, String err) {
    }

    /** {@code drill usage} of revenue, events and users by day of 2026-10: day → "revenue,events,users". */
    static Drill drillByDay(Path wh) {
        CliRun r = CliRun.of("drill", "usage", "--warehouse", wh.toString(), "--model", data.resolve("cubes/usage.yaml").toString(),
                "--measures", "revenue,events,users", "--by", "time.day",
                "--month", "2026-10", "--compare", "none", "--format", "csv");
        Map<String, String> out = new TreeMap<>();
        if (r.exit() == 0) {
            List<String> lines = r.out().lines().toList();
            assertEquals("time.month,time.day,revenue,events,users", lines.get(0));
            for (String l : lines.subList(1, lines.size())) {
                String[] f = l.split(",", 3);
                out.put(f[1], f[2]);
            }
        }
        return new Drill(r.exit(), out, r.err());
    }
}
