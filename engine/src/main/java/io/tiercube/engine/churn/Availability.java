package io.tiercube.engine.churn;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.SqlFailure;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the warehouse holds for the churn jobs (usage months, the last usage day, how far closures
 * are known) and the refusals, worded for the user, when a job asks for more than that.
 */
final class Availability {

    private Availability() {
    }

    static List<YearMonth> usageMonths(Warehouse wh) {
        return wh.usageMonths();
    }

    /** The last day with a usage partition in a month (the month's last day when the layout has no day partitions). */
    static LocalDate usageEnd(Warehouse wh, YearMonth month) {
        LocalDate last = null;
        for (Path p : Warehouse.partitions(wh.monthPartition("usage", month))) {
            String name = p.getFileName().toString();
            if (name.startsWith("day=")) {
                try {
                    LocalDate d = LocalDate.parse(name.substring(4));
                    last = last == null || d.isAfter(last) ? d : last;
                } catch (DateTimeParseException e) {
                    // not a day partition
                }
            }
        }
        return last == null || !YearMonth.from(last).equals(month) ? month.atEndOfMonth() : last;
    }

    static YearMonth labelsKnownThrough(Backend b) {
        Object v = b.query("SELECT max(snapshot_date) AS d FROM customers").scalar();
        if (!(v instanceof LocalDate d)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "the customers snapshot has no snapshot_date: ingest customers first");
        }
        YearMonth m = YearMonth.from(d);
        return d.equals(m.atEndOfMonth()) ? m : m.minusMonths(1);
    }

    static YearMonth latestTrainableMonth(Backend b, Warehouse wh, int horizon) {
        wh.registerViews(b);
        requireCustomers(b, wh);
        List<YearMonth> months = requireUsage(wh);
        YearMonth byLabels = labelsKnownThrough(b).minusMonths(horizon);
        YearMonth byUsage = months.get(months.size() - 1).minusMonths(horizon);
        return byLabels.isBefore(byUsage) ? byLabels : byUsage;
    }

    static void checkHorizon(int horizon) {
        if (horizon < 1 || horizon > 12) {
            throw new UserError(UserError.Kind.BAD_QUERY, "horizon must be 1 to 12 months, got " + horizon);
        }
    }

    static List<YearMonth> requireUsage(Warehouse wh) {
        List<YearMonth> months = usageMonths(wh);
        if (months.isEmpty()) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no usage in the warehouse " + wh.root() + ": ingest usage first");
        }
        return months;
    }

    static void requireCustomers(Backend b, Warehouse wh) {
        if (!hasView(b, "customers")) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no customers snapshot in the warehouse " + wh.root() + ": ingest customers first");
        }
    }

    /** Refuses to train as of {@code asOf} before the closures its labels count are known. */
    static void requireLabels(Backend b, Warehouse wh, YearMonth asOf, int horizon) {
        requireClosures(b, wh, asOf.plusMonths(horizon), "labels for as-of " + asOf + " with a " + horizon + "-month horizon",
                horizon);
    }

    /**
     * Refuses unless the customers snapshot covers closures through {@code through}; {@code what}
     * needs them, and an as-of month {@code asOfLag} months before the last known one would do.
     */
    static void requireClosures(Backend b, Warehouse wh, YearMonth through, String what, int asOfLag) {
        requireCustomers(b, wh);
        YearMonth known = labelsKnownThrough(b);
        if (through.isAfter(known)) {
            throw new UserError(UserError.Kind.NOT_FOUND, what + " need closures through " + through
                    + ", but the customers snapshot only covers " + known + ": use an as-of month of "
                    + known.minusMonths(asOfLag) + " or earlier");
        }
    }

    static boolean hasView(Backend b, String view) {
        try {
            b.query("SELECT 1 AS one FROM " + view + " WHERE 1 = 0");
            return true;
        } catch (SqlFailure e) {
            return false;
        }
    }
}
