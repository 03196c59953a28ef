package io.tiercube.engine.churn;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.segment.CustomerMonths;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The features as of a month, materialised once and read many times while a job uses them, and the
 * reading of their rows into Java. The files live in {@code _tmp/} inside the warehouse: visible to a
 * Spark cluster, and not in {@code _staging/}, which a writer taking the lock clears while a read-only
 * evaluation may still need them.
 */
final class FeatureView {

    private static final String PREFIX = "churn-features-";

    private FeatureView() {
    }

    /** What a job does with the feature view while it exists. */
    @FunctionalInterface
    interface Use<T> {
        T apply(String view, long rows);
    }

    /**
     * Materialises the features as of {@code asOf} (labels over {@code horizon} months; 0 for none),
     * exposes them as a view while {@code use} runs, then removes them.
     */
    static <T> T with(Backend b, Warehouse wh, YearMonth asOf, int horizon, Use<T> use) {
        List<YearMonth> months = Availability.requireUsage(wh);
        if (!months.contains(asOf)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no usage for " + asOf + " in " + wh.root()
                    + " (months with usage: " + months.get(0) + " to " + months.get(months.size() - 1) + ")");
        }
        Availability.requireCustomers(b, wh);
        String sql = Features.sql(b.dialect(), asOf, Availability.usageEnd(wh, asOf), months.get(0), horizon,
                Availability.hasView(b, "complaints"), storedMonths(b, wh, asOf, months));
        Path tmp = wh.root().resolve("_tmp");
        removeLeftoversOfDeadProcesses(tmp);
        Path staging = tmp.resolve(PREFIX + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Path dir = staging.resolve("features");
            b.writeParquet(sql, dir, List.of());
            String view = "churn_features_" + asOf.toString().replace("-", "_");
            if (!b.registerParquet(view, dir)) {
                throw new IllegalStateException("feature files missing in " + dir);
            }
            long n = b.query("SELECT count(*) AS n FROM " + view).scalarLong();
            if (n == 0) {
                throw new UserError(UserError.Kind.NOT_FOUND, "no customer was active at the end of " + asOf + " in " + wh.root());
            }
            return use.apply(view, n);
        } finally {
            try {
                Warehouse.deleteTree(staging);
            } catch (IOException e) {
                // staging is cleared by the next writer anyway
            }
        }
    }

    /**
     * The window's months whose sums {@code customer_months} holds for their current usage, as the
     * view {@code churn_stored_months}, and the contacts' months whose pairs {@code customer_contacts}
     * holds, as {@code churn_contacts} (with the facts of those that are not): their facts are then
     * not read again. The as-of month's rows hold all its usage days, which end on the features'
     * as-of day ({@link Availability#usageEnd}).
     */
    private static Features.Stored storedMonths(Backend b, Warehouse wh, YearMonth asOf, List<YearMonth> withUsage) {
        List<YearMonth> stored = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        List<Path> facts = new ArrayList<>();
        List<String> contacts = new ArrayList<>();
        List<YearMonth> contactFacts = new ArrayList<>();
        for (int off = 0; off < 6; off++) {
            YearMonth m = asOf.minusMonths(off);
            if (!withUsage.contains(m)) {
                continue;
            }
            Optional<String> select = CustomerMonths.select(b, wh, m, "churn_cm_");
            if (select.isPresent()) {
                stored.add(m);
                parts.add(select.get());
            }
            Optional<String> pairs = off < 3 ? ContactMonths.STORE.view(b, wh, m, "churn_ct_") : Optional.empty();
            pairs.ifPresent(v -> contacts.add("SELECT customer_id, other_party FROM " + v));
            if (off < 3 && pairs.isEmpty()) {
                contactFacts.add(m);
            }
            // the facts read: months not stored, and the contacts' months not stored
            if (select.isEmpty() || contactFacts.contains(m)) {
                facts.add(wh.monthPartition("usage", m));
            }
        }
        // Only those months' files: a view over the whole history lists and plans every month's.
        String factsView = b.registerParquet("churn_usage", facts) ? "churn_usage" : "usage";
        for (YearMonth m : contactFacts) {
            contacts.add("SELECT customer_id, other_party FROM " + factsView + " WHERE event_date >= DATE '" + m.atDay(1)
                    + "' AND event_date <= DATE '" + m.atEndOfMonth() + "'");
        }
        String contactsView = null;
        if (contactFacts.size() < contacts.size()) { // some months' pairs are stored
            b.createView("churn_contacts", String.join(" UNION ALL ", contacts));
            contactsView = "churn_contacts";
        }
        if (stored.isEmpty()) {
            return new Features.Stored(null, List.of(), factsView, contactsView);
        }
        b.createView("churn_stored_months", String.join(" UNION ALL ", parts));
        return new Features.Stored("churn_stored_months", stored, factsView, contactsView);
    }

    /**
     * Removes feature directories left in {@code _tmp/} by processes that died before their cleanup
     * ran (a killed nightly): their names carry the owner's pid, and a live owner's are left alone.
     */
    private static void removeLeftoversOfDeadProcesses(Path tmp) {
        if (!Files.isDirectory(tmp)) {
            return;
        }
        try (Stream<Path> s = Files.list(tmp)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
                String[] parts = p.getFileName().toString().substring(PREFIX.length()).split("-");
                long pid;
                try {
                    pid = Long.parseLong(parts[0]);
                } catch (NumberFormatException e) {
                    continue; // not named by this version: not ours to judge
                }
                if (parts.length == 2 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
                    Warehouse.deleteTree(p);
                }
            }
        } catch (IOException e) {
            // best effort: a leftover costs disk space, not correctness
        }
    }

    /**
     * The feature view's rows in customer order, with their labels: {@code where} keeps a subset (""
     * for all), and rows labelled 0 get weight {@code negativeWeight}, the others 1.
     */
    static TrainingSet labelledRows(Backend b, String view, List<String> features, String where, double negativeWeight) {
        Table t = b.query("SELECT " + String.join(", ", features) + ", churned FROM " + view + where
                + " ORDER BY customer_id NULLS LAST");
        double[][] x = new double[t.size()][];
        double[] y = new double[t.size()];
        double[] w = new double[t.size()];
        for (int i = 0; i < t.size(); i++) {
            x[i] = row(t, i, features);
            y[i] = t.getLong(i, "churned");
            w[i] = y[i] > 0.5 ? 1.0 : negativeWeight;
        }
        return new TrainingSet(features, x, y, w);
    }

    /** Row {@code i}'s values of {@code features}, NULL as {@code NaN} (the models' "missing"). */
    static double[] row(Table t, int i, List<String> features) {
        double[] r = new double[features.size()];
        for (int j = 0; j < r.length; j++) {
            Object v = t.rows().get(i).get(t.columnIndex(features.get(j)));
            r[j] = v == null ? Double.NaN : ((Number) v).doubleValue();
        }
        return r;
    }
}
