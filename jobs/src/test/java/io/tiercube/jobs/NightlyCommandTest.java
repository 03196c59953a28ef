package io.tiercube.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiercube.engine.warehouse.Warehouse;
import io.tiercube.engine.warehouse.WriterLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NightlyCommandTest {

    @TempDir
    Path tmp;

    @Test
    void firstRunBackfillsReconcilesAndSecondRunChangesNothing() throws IOException {
        Path data = TestDrop.write(tmp.resolve("in"), 30, 5, 40);
        String wh = tmp.resolve("wh").toString();
        CliRun first = CliRun.of("nightly", "--data", data.toString(), "--warehouse", wh);
        assertEquals(0, first.exit(), first.err());
        CliRun q1 = CliRun.of("sql", "--warehouse", wh, "--format", "csv", "select count(*) as n, sum(charge) as revenue from usage");
        // 40 rows a day charging (i % 7) + 0.25 for i in 0..39: 5 x (0+…+6) + (0+…+4) + 40 x 0.25 = 125.00 a day, 5 days.
        assertEquals("n,revenue\n200,625.00\n", q1.out());

        JsonNode run = latestManifest(Path.of(wh));
        assertEquals("succeeded", run.get("status").asText());
        JsonNode usage = run.get("datasets").get("usage");
        assertEquals(205, usage.get("read").asLong());
        assertEquals(200, usage.get("accepted").asLong());
        assertEquals(5, usage.get("rejected").asLong());
        assertEquals(7, run.get("inputs").size());

        CliRun second = CliRun.of("nightly", "--data", data.toString(), "--warehouse", wh);
        assertEquals(0, second.exit(), second.err());
        assertTrue(second.err().contains("ingest: usage up to date (5 day files)"), second.err());
        assertFalse(latestManifest(Path.of(wh)).get("datasets").has("usage"));
        assertEquals(q1.out(), CliRun.of("sql", "--warehouse", wh, "--format", "csv",
                "select count(*) as n, sum(charge) as revenue from usage").out());
    }

    @Test
    void correctedDayFileIsReingested() throws IOException {
        rerunFindsCorrectedDay("100.25", false);
    }

    @Test
    void correctedDayFileOfTheSameSizeWithItsOldTimestampIsReingested() throws IOException {
        rerunFindsCorrectedDay("9.25", true);
    }

    /** Changes charges of 0.25 on 2026-10-30 to {@code charge} (putting the file's timestamp back if asked) and reruns. */
    private void rerunFindsCorrectedDay(String charge, boolean oldTimestamp) throws IOException {
        Path data = TestDrop.write(tmp.resolve("in"), 30, 3, 10);
        String wh = tmp.resolve("wh").toString();
        assertEquals(0, CliRun.of("nightly", "--data", data.toString(), "--warehouse", wh, "--max-reject-rate", "0.1").exit());
        Path day = data.resolve("usage/2026-10-30.csv");
        var modified = Files.getLastModifiedTime(day);
        long size = Files.size(day);
        Files.writeString(day, Files.readString(day).replace(",0.25,", "," + charge + ","));
        if (oldTimestamp) {
            Files.setLastModifiedTime(day, modified);
            assertEquals(size, Files.size(day));
        }
        CliRun again = CliRun.of("nightly", "--data", data.toString(), "--warehouse", wh, "--max-reject-rate", "0.1");
        assertTrue(again.err().contains("1 day file(s) from 2026-10-30 to 2026-10-30"), again.err());
        assertEquals("n\n2\n", CliRun.of("sql", "--warehouse", wh, "--format", "csv",
                "select count(*) as n from usage where charge = " + charge).out());
    }

    @Test
    void inputErrorsPrintOneClearLineAndExit5() throws IOException {
        String wh = tmp.resolve("wh").toString();
        CliRun missing = CliRun.of("nightly", "--data", tmp.resolve("nope").toString(), "--warehouse", wh);
        assertEquals(5, missing.exit());
        assertEquals("tiercube: " + tmp.resolve("nope") + ": data folder not found\n", missing.err());

        Path data = TestDrop.write(tmp.resolve("in"), 3, 1, 1);
        Path c = data.resolve("customers.csv");
        Files.writeString(c, Files.readString(c).replaceFirst("msisdn", "phone"));
        CliRun header = CliRun.of("nightly", "--data", data.toString(), "--warehouse", wh);
        assertEquals(5, header.exit());
        List<String> errors = header.err().lines().filter(l -> l.startsWith("tiercube:")).toList();
        assertEquals(1, errors.size(), header.err());
        assertTrue(errors.get(0).startsWith("tiercube: customers.csv line 1: the header lacks column(s) msisdn;"), header.err());
        assertFalse(header.err().contains("\tat "), "no stack trace");

        CliRun enc = CliRun.of("nightly", "--data", data.toString(), "--warehouse", wh, "--encoding", "KLINGON-8");
        assertEquals(5, enc.exit());
        assertEquals("tiercube: unknown encoding 'KLINGON-8': use UTF-8 (default) or GBK\n", enc.err());
    }

    @Test
    void tooManyRejectsExit3AndTheManifestSaysFailed() throws IOException {
        Path data = TestDrop.write(tmp.resolve("in"), 3, 1, 4);
        String wh = tmp.resolve("wh").toString();
        CliRun r = CliRun.of("nightly", "--data", data.toString(), "--warehouse", wh);
        assertEquals(3, r.exit(), r.err());
        assertTrue(r.err().contains("usage/2026-10-31.csv: 1 of 5 rows rejected (20.0 %)"), r.err());
        assertEquals("failed", latestManifest(Path.of(wh)).get("status").asText());
        assertEquals(0, CliRun.of("nightly", "--data", data.toString(), "--warehouse", wh, "--max-reject-rate", "0.25").exit());
    }

    @Test
    void aSecondWriterIsRefusedWithExit4WhileTheFirstIsAlive() throws IOException {
        Path data = TestDrop.write(tmp.resolve("in"), 3, 1, 1);
        Path wh = tmp.resolve("wh");
        try (WriterLock held = WriterLock.acquire(new Warehouse(wh), "tiercube cube build --cube usage")) {
            CliRun r = CliRun.of("nightly", "--data", data.toString(), "--warehouse", wh.toString());
            assertEquals(4, r.exit());
            assertTrue(r.err().contains("is being written by another run (pid " + ProcessHandle.current().pid() + ", started "), r.err());
            assertTrue(r.err().contains(", tiercube cube build --cube usage); wait for it to finish, or stop it"), r.err());
        }

        Files.writeString(wh.resolve("_lock"), "999999999\n2026-11-23T00:00\ntiercube nightly\n"); // left by a dead process
        CliRun taken = CliRun.of("nightly", "--data", data.toString(), "--warehouse", wh.toString(), "--max-reject-rate", "1");
        assertEquals(0, taken.exit(), taken.err());
        assertTrue(taken.err().contains("took over the writer lock of a run that ended without releasing it (999999999, "), taken.err());
        assertEquals("", Files.readString(wh.resolve("_lock")), "released: the file stays, empty");
    }

    @Test
    void sqlRefusesWritesAndFileAccess() {
        for (String q : List.of("drop view usage", "select * from read_csv('/etc/passwd')", "copy usage to '/tmp/x.csv'",
                "select 1; drop view usage", "attach 'x.db'", "install httpfs")) {
            CliRun r = CliRun.of("sql", "--warehouse", tmp.toString(), q);
            assertEquals(7, r.exit(), q);
        }
    }

    static JsonNode latestManifest(Path wh) throws IOException {
        try (Stream<Path> s = Files.list(wh.resolve("_runs"))) {
            Path last = s.max((a, b) -> {
                try {
                    return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).orElseThrow();
            return new ObjectMapper().readTree(last.toFile());
        }
    }
}
