package io.tiercube.engine.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code churn evaluate --train --test} on an operator-style export, with no preparation. */
class EvaluateTablesTest {

    @TempDir
    Path dir;

    /** Like the public telco churn exports: an id, yes/no flags, categories, blank numeric cells, a Yes/No label. */
    private static Path table(Path file, int rows, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder("customerID,gender,SeniorCitizen,Partner,tenure,Contract,MonthlyCharges,TotalCharges,Churn\r\n");
        String[] contracts = {"Month-to-month", "One year", "Two year"};
        for (int i = 0; i < rows; i++) {
            int contract = r.nextInt(3);
            int tenure = 1 + r.nextInt(72);
            double monthly = 20 + r.nextDouble() * 100;
            double logit = -1.0 + (contract == 0 ? 1.5 : -1.0) - tenure / 30.0 + monthly / 100.0;
            boolean churn = r.nextDouble() < 1 / (1 + Math.exp(-logit));
            String total = r.nextInt(15) == 0 ? " " : String.format(java.util.Locale.ROOT, "%.2f", monthly * tenure);
            sb.append(String.format(java.util.Locale.ROOT, "%04d-ABCD,%s,%d,%s,%d,%s,%.2f,%s,%s\r\n", i, r.nextBoolean() ? "Male" : "Female",
                    r.nextInt(5) == 0 ? 1 : 0, r.nextBoolean() ? "Yes" : "No", tenure, contracts[contract], monthly, total, churn ? "Yes" : "No"));
        }
        Files.writeString(file, sb.toString());
        return file;
    }

    @Test
    void evaluatesAnExportWithBlanksFlagsAndCategoriesWithoutPreparation() throws IOException {
        Path train = table(dir.resolve("train.csv"), 1500, 1);
        Path test = table(dir.resolve("test.csv"), 800, 2);
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            Evaluation e = ChurnJob.evaluateTables(duck, train, test, "Churn", "customerID");
            assertEquals(1500, e.rowsTrain());
            assertEquals(800, e.rowsTest());
            assertTrue(e.rocAuc() > 0.7, "ROC AUC " + e.rocAuc());
            assertTrue(e.topDecileLift() > 1.5, "lift " + e.topDecileLift());
            var names = e.strongest().stream().map(ChurnModel.Importance::feature).toList();
            assertTrue(names.contains("tenure"), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.startsWith("Contract=")), names.toString());
        }
    }

    @Test
    void encoderMakesFlagsOneHotsAndMissingIndicators() throws IOException {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "id,plan,paperless,charges,left\n1,gold,yes,10.5,no\n2,silver,no,,yes\n3,gold,Yes,7,TRUE\n4,bronze,no,3,0\n");
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            TableEncoder.Raw raw = TableEncoder.read(duck, csv, "t");
            TableEncoder enc = TableEncoder.plan(raw, raw, "left", "id");
            // gold is the most frequent plan, so the reference; levels sorted by frequency then name
            assertEquals(java.util.List.of("plan=bronze", "plan=silver", "paperless", "charges", "charges_missing"), enc.features());
            TrainingSet t = enc.encode(raw);
            assertEquals(java.util.List.of(0.0, 1.0, 1.0, 0.0), java.util.Arrays.stream(t.y()).boxed().toList());
            assertTrue(Double.isNaN(t.x()[1][3]));
            assertEquals(1.0, t.x()[1][4], 0.0);
            assertEquals(1.0, t.x()[2][2], 0.0, "Yes is a yes");
            UserError e = assertThrows(UserError.class, () -> TableEncoder.plan(raw, raw, "Left ", null));
            assertTrue(e.getMessage().contains("did you mean 'left'"), e.getMessage());
        }
    }
}
