package io.tiercube.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A warehouse's user-visible contents as text, for comparing two warehouses. */
final class WarehouseContents {

    private WarehouseContents() {
    }

    /** What a user can query, and the rejects files, as text. */
    static String of(Path wh) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String q : List.of("select record_id, customer_id, event_time, charge, src_file, src_line from usage order by record_id",
                "select customer_id, city, snapshot_date from customers order by customer_id",
                "select ticket_id, customer_id from complaints order by ticket_id")) {
            CliRun r = CliRun.of("sql", "--warehouse", wh.toString(), "--format", "csv", q);
            assertEquals(0, r.exit(), r.err());
            sb.append(r.out());
        }
        try (Stream<Path> s = Files.walk(wh.resolve("rejects"))) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                sb.append(wh.relativize(f)).append('\n').append(Files.readString(f));
            }
        }
        return sb.toString();
    }
}
