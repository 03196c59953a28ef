package io.tiercube.engine.segment;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.warehouse.MonthSummary;
import io.tiercube.engine.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/**
 * Spend per customer and month (total, per service, per voice call type), events and the last
 * event's day, kept per month under {@code customer_months/month=YYYY-MM/} with the fingerprint of
 * the usage files it was summed from. The segment views and the churn features read an earlier
 * month from here while its usage is unchanged, so they scan only their own month's facts, not the
 * six months their windows cover: the nightly's cost follows the month it processes, not the length
 * of the history. Churn scoring writes the month it scores, and profiles ({@code segment profiles}
 * and the nightly) the months they summed from the facts.
 */
public final class CustomerMonths {

    /** The stored partitions; raise the version when the columns or their meaning change. */
    static final MonthSummary STORE = new MonthSummary("customer_months", 3);
    static final String MANIFEST = MonthSummary.MANIFEST;

    /** The voice call types with a spend column of their own ({@code spend_voice_<type>}). */
    public static final List<String> CALL_TYPES = List.of("local", "long_distance", "international", "roaming");

    /**
     * The columns, in order: customer_id, mi (year * 12 + month), spend (DECIMAL(18,2)), spend_&lt;service&gt;
     * for voice, sms, data, vas, subscription, spend_voice_&lt;call type&gt; ({@link #CALL_TYPES}), events
     * (usage rows other than subscription fees), last_event (the day of the last of them, NULL when none)
     * and active_days (the days with one of them). A customer appears in a month when it has usage rows in it.
     */
    public static final List<String> COLUMNS = columns();

    private static List<String> columns() {
        List<String> c = new java.util.ArrayList<>(List.of("customer_id", "mi", "spend"));
        SegmentViews.SERVICES.forEach(s -> c.add("spend_" + s));
        CALL_TYPES.forEach(t -> c.add("spend_voice_" + t));
        c.add("events");
        c.add("last_event");
        c.add("active_days");
        return List.copyOf(c);
    }

    /**
     * The SELECT of {@link #COLUMNS} that sums {@code month} from its usage partition: one aggregate
     * keyed by the customer alone, so the month index is a constant instead of two date parts per fact
     * row, and the date range lets the scan skip other months.
     */
    static String sumFromFacts(Backend b, Warehouse wh, YearMonth month) {
        String facts = MonthSummary.usageOf(b, wh, month);
        StringBuilder svc = new StringBuilder();
        for (String s : SegmentViews.SERVICES) {
            svc.append(", CAST(sum(CASE WHEN service = '").append(s).append("' THEN charge ELSE 0 END) AS DECIMAL(18,2)) AS spend_").append(s);
        }
        for (String t : CALL_TYPES) {
            svc.append(", CAST(sum(CASE WHEN service = 'voice' AND call_type = '").append(t)
                    .append("' THEN charge ELSE 0 END) AS DECIMAL(18,2)) AS spend_voice_").append(t);
        }
        // Active days as a bit per day of the month: a count of distinct days costs a second hash table.
        return "SELECT customer_id, CAST(" + SegmentViews.mi(month) + " AS BIGINT) AS mi, CAST(sum(charge) AS DECIMAL(18,2)) AS spend" + svc
                + ", CAST(sum(CASE WHEN service = 'subscription' THEN 0 ELSE 1 END) AS BIGINT) AS events"
                + ", max(CASE WHEN service <> 'subscription' THEN event_date END) AS last_event"
                + ", CAST(bit_count(bit_or(CASE WHEN service <> 'subscription' THEN CAST(power(2, day(event_date) - 1) AS BIGINT)"
                + " ELSE CAST(0 AS BIGINT) END)) AS BIGINT) AS active_days"
                + " FROM " + facts + " WHERE event_date >= DATE '" + month.atDay(1) + "' AND event_date <= DATE '" + month.atEndOfMonth()
                + "' GROUP BY customer_id";
    }

    private CustomerMonths() {
    }

    /** Whether the month's stored sums exist and were summed from the month's current usage files. */
    public static boolean current(Warehouse wh, YearMonth month) {
        return STORE.current(wh, month);
    }

    /**
     * When the month's stored sums are current, registers them as the view
     * {@code <viewPrefix>YYYY_MM} and returns a SELECT of {@link #COLUMNS} from it; otherwise
     * empty, and the caller sums the month from the facts.
     */
    public static Optional<String> select(Backend b, Warehouse wh, YearMonth month, String viewPrefix) {
        return STORE.view(b, wh, month, viewPrefix).map(view -> "SELECT " + String.join(", ", COLUMNS) + " FROM " + view);
    }

    /** The month's partition directory (Parquet files of {@link #COLUMNS}); read it only when {@link #current}. */
    static Path partition(Warehouse wh, YearMonth month) {
        return STORE.partition(wh, month);
    }

    /**
     * Stores the given months of {@code seg_usage_m} (each replacing its partition atomically). The
     * caller holds the writer lock, so the usage files cannot change between the sum and its record.
     */
    static void save(Backend b, Warehouse wh, List<YearMonth> months) {
        for (YearMonth m : months) {
            STORE.save(b, wh, m, "SELECT * FROM seg_usage_m WHERE mi = " + SegmentViews.mi(m));
        }
    }

    /**
     * Sums {@code month} from the facts and stores it, unless its stored sums are current: the churn
     * scores of a month then read its sums instead of scanning its facts, and the profiles after them
     * read the same sums. The caller holds the writer lock; the backend has the warehouse views.
     */
    public static void store(Backend b, Warehouse wh, YearMonth month) {
        if (!current(wh, month)) {
            STORE.save(b, wh, month, sumFromFacts(b, wh, month));
        }
    }
}
