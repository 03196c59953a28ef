package io.tiercube.engine.churn;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.warehouse.MonthSummary;
import io.tiercube.engine.warehouse.Warehouse;
import java.time.YearMonth;

/**
 * The distinct numbers each customer called or texted in a month ({@code customer_contacts/month=YYYY-MM/}:
 * customer_id, other_party), stored when the month is scored. The contacts feature counts distinct
 * numbers over three months: three months of these pairs are a fraction of three months of facts
 * (at 200 k customers the facts' scan and DISTINCT were 7 % of a whole nightly). Every number is kept,
 * on-net or not: which ones are customers is decided against the snapshot the features read, so the
 * stored pairs and the facts give the same features.
 */
final class ContactMonths {

    static final MonthSummary STORE = new MonthSummary("customer_contacts", 1);

    private ContactMonths() {
    }

    /** Stores the month's pairs unless they are current. The caller holds the writer lock. */
    static void store(Backend b, Warehouse wh, YearMonth month) {
        if (!STORE.current(wh, month)) {
            STORE.save(b, wh, month, "SELECT DISTINCT customer_id, other_party FROM " + MonthSummary.usageOf(b, wh, month)
                    + " WHERE other_party IS NOT NULL AND event_date >= DATE '" + month.atDay(1) + "' AND event_date <= DATE '"
                    + month.atEndOfMonth() + "'");
        }
    }
}
