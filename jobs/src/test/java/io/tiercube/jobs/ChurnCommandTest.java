package io.tiercube.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChurnCommandTest {

    @TempDir
    Path dir;

    private static Path table(Path file, int rows, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder("id,plan,roaming,calls,churned\n");
        for (int i = 0; i < rows; i++) {
            boolean gold = r.nextBoolean();
            int calls = r.nextInt(100);
            boolean churn = r.nextDouble() < (gold ? 0.1 : 0.3) + (calls < 20 ? 0.3 : 0);
            sb.append(String.format(Locale.ROOT, "u%d,%s,%s,%s,%s%n", i, gold ? "gold" : "basic", r.nextBoolean() ? "yes" : "no",
                    r.nextInt(10) == 0 ? "" : String.valueOf(calls), churn ? "true" : "false"));
        }
        Files.writeString(file, sb);
        return file;
    }

    @Test
    void evaluateOnTablesPrintsJsonAndWritesTheJsonFile() throws IOException {
        Path train = table(dir.resolve("a.csv"), 600, 1);
        Path test = table(dir.resolve("b.csv"), 300, 2);
        Path out = dir.resolve("eval.json");
        CliRun run = CliRun.of("churn", "evaluate", "--train", train.toString(), "--test", test.toString(), "--label", "churned",
                "--id", "id", "--json", out.toString(), "--format", "json", "--warehouse", dir.resolve("wh").toString());
        assertEquals(ExitCodes.OK, run.exit(), run.err());
        JsonNode printed = new ObjectMapper().readTree(run.out());
        JsonNode written = new ObjectMapper().readTree(out.toFile());
        for (String key : new String[] {"roc_auc", "pr_auc", "top_decile_lift", "base_rate", "rows_train", "rows_test"}) {
            assertTrue(printed.has(key) && written.has(key), key);
        }
        assertEquals(600, written.get("rows_train").asInt());
        assertEquals(300, written.get("rows_test").asInt());
        assertTrue(written.get("roc_auc").asDouble() > 0.6, written.toString());
    }

    @Test
    void evaluateTablePrintsMeasuresCalibrationAndCoefficients() throws IOException {
        Path train = table(dir.resolve("a.csv"), 400, 3);
        CliRun run = CliRun.of("churn", "evaluate", "--train", train.toString(), "--test", train.toString(), "--label", "churned");
        assertEquals(ExitCodes.OK, run.exit(), run.err());
        assertTrue(run.out().contains("roc_auc") && run.out().contains("Calibration") && run.out().contains("plan=gold"), run.out());
    }

    @Test
    void mixingTheTwoFormsOrMissingAWarehouseIsAClearError() {
        CliRun both = CliRun.of("churn", "evaluate", "--as-of", "2026-07", "--train", "a.csv", "--test", "b.csv", "--label", "x");
        assertEquals(ExitCodes.BAD_QUERY, both.exit());
        assertTrue(both.err().contains("one or the other"), both.err());
        CliRun empty = CliRun.of("churn", "score", "--warehouse", dir.resolve("empty").toString());
        assertEquals(ExitCodes.NOT_FOUND, empty.exit());
        assertTrue(empty.err().contains("no usage"), empty.err());
    }
}
