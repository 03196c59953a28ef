package io.tiercube.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same input ingested by DuckDB and by Spark gives the same accepted rows and the same rejects,
 * whether the day files are checked together or apart.
 */
class IngestParityTest {

    @TempDir
    Path tmp;

    @Test
    void duckDbAndSparkAcceptAndRejectTheSameRows() throws IOException {
        Path in = tmp.resolve("in");
        Files.createDirectories(in.resolve("usage"));
        Files.writeString(in.resolve("customers.csv"), IngestorTest.CUSTOMERS + "C3,1380000333,Bad,X,,,,,Sichuan,Yibin,,mass_market,2020-01-01,P1,1,store,,active,\n");
        Files.writeString(in.resolve("usage/2026-10-30.csv"), IngestorTest.HEADER
                + "A1,C1,2026-10-30 23:59:59,voice,long_distance,voice-ld,125,0,3.25,h1\n"
                + "A2,C2,2026-10-30 00:00:00,data,,data-5g,0,2048.125,10.00,\n"
                + "A3,C1,2026-10-30 10:00:00,voice,,voice-ld,1,0,1.00,\n");
        Files.writeString(in.resolve("usage/2026-10-31.csv"), IngestorTest.HEADER
                + "A1,C1,2026-10-31 10:00:00,sms,,sms-p2p,0,0,0.10,\n"
                + "B1,C2,2026-10-31 08:30:00,subscription,,plan-P2,0,0,89.00,\n"
                + "B2,C1,2026-10-31 08:30:00,data,,data-4g,-1,0,1.00,\n"
                + "B3,C1,2026-10-31 08:30:00,data,,data-4g,1,0,1.005,\n");
        Files.writeString(in.resolve("complaints.csv"), "ticket_id,customer_id,opened_at,category,resolved_at,satisfaction\n"
                + "T1,C1,2026-10-01 09:00:00,billing,2026-10-02 09:00:00,4\n"
                + "T2,C2,2026-10-05 09:00:00,network,,\n"
                + "T3,C2,2026-10-05 09:00:00,network,2026-10-04 09:00:00,9\n"
                + "T1,C1,2026-10-01 09:00:00,billing,,\n");
        Path duckWh = ingestAll(Engine.DUCKDB, in, Ingestor.GROUP_ROWS);
        // Spark checks each day file apart (A1 on the 31st is then a duplicate of an earlier group's row).
        Path sparkWh = ingestAll(Engine.SPARK, in, 1);

        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            for (String q : List.of(
                    "SELECT * FROM usage ORDER BY record_id, event_time",
                    "SELECT * FROM customers ORDER BY customer_id",
                    "SELECT * FROM complaints ORDER BY ticket_id, opened_at")) {
                new Warehouse(duckWh).registerViews(duck);
                var a = duck.query(q).rows();
                new Warehouse(sparkWh).registerViews(duck);
                var b = duck.query(q).rows();
                assertEquals(a, b, q);
                assertEquals(false, a.isEmpty(), q);
            }
        }
        assertEquals(rejectFiles(duckWh), rejectFiles(sparkWh));
    }

    private Path ingestAll(Engine engine, Path in, long groupRows) {
        Path root = tmp.resolve(engine.id());
        Warehouse wh = new Warehouse(root);
        InputFolder folder = new InputFolder(in);
        LocalDate day = LocalDate.of(2026, 10, 31);
        try (Backend b = engine.open(Engine.Options.defaults())) {
            Ingestor ing = new Ingestor(b, wh, StandardCharsets.UTF_8, 1.0, "parity").groupRows(groupRows);
            ing.customers(folder.customers(), day);
            ing.usage(new TreeMap<>(folder.usageDays()));
            ing.complaints(folder.complaints().orElseThrow(), day);
        }
        return root;
    }

    private static List<String> rejectFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root.resolve("rejects"))) {
            return s.filter(p -> p.getFileName().toString().equals("rejects.csv")).sorted().map(p -> {
                try {
                    return root.relativize(p) + "\n" + Files.readString(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
