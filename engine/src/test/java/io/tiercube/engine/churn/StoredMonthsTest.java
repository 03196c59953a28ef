package io.tiercube.engine.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.segment.CustomerMonths;
import io.tiercube.engine.segment.Profiles;
import io.tiercube.engine.segment.SegmentSettings;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The churn features read every month, the as-of month too, from {@code customer_months} and stored contacts, and get what the facts give. */
class StoredMonthsTest {

    @TempDir
    static Path dir;

    static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    @ParameterizedTest
    @EnumSource(Engine.class)
    void featuresFromStoredMonthsAreTheFeaturesSummedFromTheFacts(Engine engine) {
        Warehouse wh = ChurnFixture.build(dir.resolve("wh-" + engine), 300, 11);
        try (Backend b = engine.open(Engine.Options.defaults())) {
            wh.registerViews(b);
            Profiles.build(b, wh, SegmentSettings.defaults(), OCTOBER); // stores May–October
            for (YearMonth m = ChurnFixture.FIRST; !m.isAfter(OCTOBER); m = m.plusMonths(1)) {
                assertTrue(CustomerMonths.current(wh, m), m + " stored");
            }
            // September's and October's contacts stored, August's read from the facts: both paths at once.
            for (YearMonth m : List.of(OCTOBER.minusMonths(1), OCTOBER)) {
                ContactMonths.store(b, wh, m);
                assertTrue(ContactMonths.STORE.current(wh, m), m + " contacts stored");
            }
            wh.registerViews(b);
            String order = " ORDER BY customer_id NULLS LAST";
            Table facts = b.query("SELECT * FROM (" + Features.sql(b.dialect(), OCTOBER, ChurnFixture.FIRST, 2, true) + ") f" + order);
            Table stored = FeatureView.with(b, wh, OCTOBER, 2, (view, n) -> b.query("SELECT * FROM " + view + order));
            assertEquals(facts.columns(), stored.columns());
            assertEquals(facts.size(), stored.size());
            List<String> cols = facts.columns();
            int nonZeroChanges = 0;
            for (int i = 0; i < facts.size(); i++) {
                for (String c : cols) {
                    Object f = facts.get(i, c);
                    Object s = stored.get(i, c);
                    if (f instanceof Double x && s instanceof Double y) {
                        assertEquals(x, y, 1e-9 * Math.max(1, Math.abs(x)), c + " of " + facts.getString(i, "customer_id"));
                    } else {
                        assertEquals(f, s, c + " of " + facts.getString(i, "customer_id"));
                    }
                }
                nonZeroChanges += facts.getDouble(i, "arpu_change") != 0 ? 1 : 0;
            }
            assertTrue(nonZeroChanges > facts.size() / 2, "the previous months matter: " + nonZeroChanges + " of " + facts.size());
            long withChurnedContacts = facts.rows().stream().filter(r -> ((Double) r.get(facts.columnIndex("contacts_churned_share"))) > 0).count();
            assertTrue(withChurnedContacts > 0, "contacts matter too");
        }
    }
}
