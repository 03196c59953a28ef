package io.tiercube.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The hostile-input corpus under {@code src/test/resources/bad-input/}: each file has a
 * {@code .expect} beside it (dataset, accepted count, rejects as {@code line:reason}, or the
 * expected error kind and message). One test per file.
 */
class HostileInputTest {

    static final Path CORPUS = Path.of("src/test/resources/bad-input");
    static final LocalDate DAY = LocalDate.of(2026, 10, 31);
    static Backend duck;
    @org.junit.jupiter.api.io.TempDir
    static Path scratch;

    @BeforeAll
    static void open() {
        duck = Engine.DUCKDB.open(Engine.Options.defaults());
    }

    @AfterAll
    static void close() {
        duck.close();
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusFileIsHandledAsItsExpectationSays() throws IOException {
        List<Path> expects;
        try (Stream<Path> s = Files.list(CORPUS)) {
            expects = s.filter(p -> p.toString().endsWith(".expect")).sorted().toList();
        }
        assertTrue(expects.size() >= 20, "corpus has " + expects.size() + " cases");
        return expects.stream().map(e -> DynamicTest.dynamicTest(e.getFileName().toString().replace(".expect", ""), () -> check(e)));
    }

    private void check(Path expectFile) throws IOException {
        Map<String, String> ex = new LinkedHashMap<>();
        for (String line : Files.readAllLines(expectFile)) {
            int c = line.indexOf(':');
            ex.put(line.substring(0, c).trim(), line.substring(c + 1).trim());
        }
        String name = expectFile.getFileName().toString().replace(".expect", "");
        Path input = CORPUS.resolve(name);
        Path root = Files.createTempDirectory(scratch, "case");
        Warehouse wh = new Warehouse(root);
        double rate = Double.parseDouble(ex.getOrDefault("max_reject_rate", "1"));
        Ingestor ing = new Ingestor(duck, wh, Ingestor.charset(ex.getOrDefault("encoding", "UTF-8")), rate, "corpus");
        String dataset = ex.get("dataset");
        Runnable run;
        if (dataset.equals("customers")) {
            run = () -> ing.customers(new InputFolder.InputFile(input, name), DAY);
        } else {
            Path customers = root.resolve("customers.csv");
            Files.writeString(customers, IngestorTest.CUSTOMERS);
            new Ingestor(duck, wh, StandardCharsets.UTF_8, 1, "corpus").customers(new InputFolder.InputFile(customers, "customers.csv"), DAY);
            if (ex.containsKey("preload")) {
                TreeMap<LocalDate, InputFolder.InputFile> pre = new TreeMap<>();
                pre.put(DAY.minusDays(1), new InputFolder.InputFile(CORPUS.resolve(ex.get("preload")), "usage/2026-10-30.csv"));
                ing.usage(pre);
            }
            TreeMap<LocalDate, InputFolder.InputFile> days = new TreeMap<>();
            days.put(DAY, new InputFolder.InputFile(input, name));
            run = () -> ing.usage(days);
        }
        if (ex.containsKey("error")) {
            UserError e = assertThrows(UserError.class, run::run);
            assertEquals(UserError.Kind.valueOf(ex.get("error")), e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains(ex.get("message")), e.getMessage());
            return;
        }
        run.run();
        wh.registerViews(duck);
        String view = dataset.equals("customers") ? "customers" : "usage";
        long accepted = Long.parseLong(ex.get("accepted"));
        long stored = duck.registerParquet("probe", dataset.equals("customers") ? wh.customersSnapshot(DAY) : wh.usageDay(DAY))
                ? duck.query("SELECT count(*) FROM probe").scalarLong() : 0;
        assertEquals(accepted, stored, "accepted rows");
        List<String> expectedRejects = ex.containsKey("rejects") ? List.of(ex.get("rejects").split("\\s+")) : List.of();
        Path rejects = wh.rejects(dataset, dataset.equals("customers") ? "snapshot=" + DAY : "day=" + DAY).resolve("rejects.csv");
        List<String> actual = new ArrayList<>();
        if (Files.exists(rejects)) {
            duck.registerCsv("rj", rejects, List.of("file", "line", "field", "reason", "raw", "detail"));
            for (List<Object> r : duck.query("SELECT line, reason FROM rj ORDER BY CAST(line AS BIGINT)").rows()) {
                actual.add(r.get(0) + ":" + r.get(1));
            }
        }
        assertEquals(expectedRejects, actual, "rejects");
        if (ex.containsKey("sum_charge")) {
            assertEquals(new BigDecimal(ex.get("sum_charge")), duck.query("SELECT sum(charge) FROM " + view).scalar());
        }
        if (ex.containsKey("name_of_C1")) {
            assertEquals(ex.get("name_of_C1"), duck.query("SELECT name FROM customers WHERE customer_id = 'C1'").scalar());
        }
    }
}
