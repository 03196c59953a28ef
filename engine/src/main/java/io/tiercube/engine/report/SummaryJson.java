package io.tiercube.engine.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code summary.json}: every headline number for automation. Key order is fixed by this class
 * (month, kpis, then one object per section in page order), money is exact decimal, shares are
 * fractions 0–1, and nothing depends on when the report ran, so a rerun over the same warehouse
 * gives the same bytes. A section with no data yet is {@code {"available": false, "note": …}}.
 */
final class SummaryJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private SummaryJson() {
    }

    static String render(ReportData r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("month", r.month().toString());
        root.put("previous_month", r.month().minusMonths(1).toString());
        root.put("data_through", r.dataThrough());
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("revenue", figure(r.kpis().revenue()));
        k.put("active_users", figure(r.kpis().activeUsers()));
        k.put("arpu", figure(r.kpis().arpu()));
        k.put("churned", figure(r.kpis().churned()));
        root.put("kpis", k);
        List<Object> trend = new ArrayList<>();
        for (ReportData.MonthPoint p : r.trend()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("month", p.month().toString());
            m.put("revenue", p.revenue());
            m.put("active_users", p.activeUsers());
            trend.add(m);
        }
        root.put("trend", trend);
        for (ReportData.Breakdown bd : r.breakdowns()) {
            root.put("revenue_by_" + bd.id(), breakdown(bd));
        }
        root.put("contributors", r.contributors() == null ? absent(r, "contributors") : contributors(r.contributors()));
        root.put("tiers", r.tiers() == null ? absent(r, "tiers") : tiers(r.tiers()));
        root.put("lifecycle", r.lifecycle() == null ? absent(r, "lifecycle") : lifecycle(r.lifecycle()));
        root.put("churn", r.churn() == null ? absent(r, "churn") : churn(r.churn()));
        root.put("longtail", r.longTail() == null ? absent(r, "longtail") : longTail(r.longTail()));
        root.put("data_quality", quality(r.quality()));
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> absent(ReportData r, String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("available", false);
        m.put("note", r.absent().getOrDefault(id, "no data"));
        return m;
    }

    private static Map<String, Object> figure(ReportData.Figure f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", f.value());
        m.put("previous", f.previous());
        return m;
    }

    private static Map<String, Object> breakdown(ReportData.Breakdown bd) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attribute", bd.attribute());
        m.put("total", bd.total());
        m.put("previous_total", bd.previousTotal());
        List<Object> rows = new ArrayList<>();
        for (ReportData.Member x : bd.members()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("member", x.name());
            row.put("revenue", x.revenue() == null ? BigDecimal.ZERO.setScale(2) : x.revenue());
            row.put("previous", x.previous());
            row.put("users", x.users());
            rows.add(row);
        }
        m.put("members", rows);
        return m;
    }

    private static Map<String, Object> contributors(ReportData.Contributors c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("measure", c.measure());
        m.put("from", c.from().toString());
        m.put("to", c.to().toString());
        m.put("before", c.before());
        m.put("after", c.after());
        m.put("total_change", c.totalChange());
        List<Object> rows = new ArrayList<>();
        for (ReportData.Contributor x : c.rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("level", x.level());
            row.put("member", x.member());
            row.put("before", x.before());
            row.put("after", x.after());
            row.put("contribution", x.contribution());
            row.put("share", x.share());
            rows.add(row);
        }
        m.put("contributors", rows);
        return m;
    }

    private static Map<String, Object> matrix(ReportData.Matrix x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", x.rowLabels());
        m.put("to", x.columnLabels());
        m.put("counts", x.counts());
        return m;
    }

    private static Map<String, Object> tiers(ReportData.TierSection t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", t.policy());
        List<Object> rows = new ArrayList<>();
        for (ReportData.TierRow x : t.rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("tier", x.tier());
            row.put("customers", x.customers());
            row.put("share", x.share());
            row.put("target_share", x.target());
            row.put("revenue", x.revenue());
            row.put("revenue_share", x.revenueShare());
            row.put("arpu", x.arpu());
            rows.add(row);
        }
        m.put("tiers", rows);
        Map<String, Object> mv = new LinkedHashMap<>();
        mv.put("upgrades", t.upgrades());
        mv.put("downgrades", t.downgrades());
        mv.put("held", t.held());
        mv.put("entered", t.entered());
        m.put("movement", mv);
        m.put("movement_matrix", t.movement() == null ? null : matrix(t.movement()));
        return m;
    }

    private static Map<String, Object> lifecycle(ReportData.LifecycleSection l) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> rows = new ArrayList<>();
        for (ReportData.StageRow x : l.stages()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("stage", x.code());
            row.put("name", x.name());
            row.put("customers", x.customers());
            row.put("share", x.share());
            row.put("previous", x.previous());
            rows.add(row);
        }
        m.put("stages", rows);
        m.put("transitions", l.transitions() == null ? null : matrix(l.transitions()));
        return m;
    }

    private static Map<String, Object> churn(ReportData.ChurnSection c) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> bands = new ArrayList<>();
        for (ReportData.BandRow x : c.bands()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("band", x.band());
            row.put("customers", x.customers());
            row.put("share", x.share());
            bands.add(row);
        }
        m.put("bands", bands);
        m.put("high_threshold", c.highThreshold());
        m.put("medium_threshold", c.mediumThreshold());
        List<Object> dist = new ArrayList<>();
        for (ReportData.ScoreBin x : c.distribution()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("from", x.from());
            row.put("to", x.to());
            row.put("customers", x.customers());
            dist.add(row);
        }
        m.put("distribution", dist);
        m.put("max_score", c.maxScore());
        if (c.quality() != null) {
            ReportData.ModelQuality q = c.quality();
            Map<String, Object> mq = new LinkedHashMap<>();
            mq.put("kind", q.kind());
            mq.put("description", q.description());
            mq.put("model_as_of", q.modelAsOf() == null ? null : q.modelAsOf().toString());
            mq.put("horizon", q.horizon());
            mq.put("roc_auc", q.rocAuc());
            mq.put("pr_auc", q.prAuc());
            mq.put("top_decile_lift", q.topDecileLift());
            mq.put("top_decile_precision", q.topDecilePrecision());
            mq.put("base_rate", q.baseRate());
            mq.put("rows_train", q.rowsTrain());
            mq.put("rows_test", q.rowsTest());
            List<Object> cal = new ArrayList<>();
            for (ReportData.CalibrationBin x : q.calibration()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("bin", x.bin());
                row.put("rows", x.rows());
                row.put("mean_predicted", x.meanPredicted());
                row.put("observed_rate", x.observedRate());
                cal.add(row);
            }
            mq.put("calibration", cal);
            m.put("model_quality", mq);
        } else {
            m.put("model_quality", null);
        }
        List<Object> top = new ArrayList<>();
        for (ReportData.RiskCustomer x : c.top()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("customer_id", x.customerId());
            row.put("msisdn", x.msisdn());
            row.put("name", x.name());
            row.put("city", x.city());
            row.put("tier", x.tier());
            row.put("probability", x.probability());
            row.put("band", x.band());
            row.put("reasons", x.reasons());
            top.add(row);
        }
        m.put("top_high_risk", top);
        return m;
    }

    private static Map<String, Object> concentration(ReportData.Concentration c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", c.n());
        m.put("gini", c.gini());
        m.put("gini_previous", c.giniPrevious());
        m.put("top20_share", c.top20Share());
        m.put("top20_share_previous", c.top20SharePrevious());
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("n", c.headCount());
        head.put("revenue_share", c.headShareOfRevenue());
        m.put("head", head);
        Map<String, Object> tail = new LinkedHashMap<>();
        tail.put("n", c.tailCount());
        tail.put("revenue_share", c.tailRevenueShare());
        tail.put("arpu", c.tailArpu());
        m.put("tail", tail);
        return m;
    }

    private static Map<String, Object> longTail(ReportData.LongTailSection l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("customers", l.customers() == null ? null : concentration(l.customers()));
        m.put("products", l.products() == null ? null : concentration(l.products()));
        return m;
    }

    private static Map<String, Object> quality(ReportData.DataQuality q) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (q.latestNightly() != null) {
            ReportData.RunInfo ri = q.latestNightly();
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("run_id", ri.runId());
            run.put("command", ri.command());
            run.put("engine", ri.engine());
            run.put("started", ri.started());
            Map<String, Object> counts = new LinkedHashMap<>();
            ri.counts().forEach((k, v) -> {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("read", v[0]);
                c.put("accepted", v[1]);
                c.put("rejected", v[2]);
                counts.put(k, c);
            });
            run.put("datasets", counts);
            m.put("latest_nightly", run);
        } else {
            m.put("latest_nightly", null);
        }
        List<Object> ds = new ArrayList<>();
        for (ReportData.DatasetCounts c : q.datasets()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("dataset", c.dataset());
            row.put("scope", c.scope());
            row.put("read", c.read());
            row.put("accepted", c.accepted());
            row.put("rejected", c.rejected());
            row.put("run_ids", c.runIds());
            ds.add(row);
        }
        m.put("datasets", ds);
        List<Object> rs = new ArrayList<>();
        for (ReportData.ReasonCount c : q.reasons()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("dataset", c.dataset());
            row.put("reason", c.reason());
            row.put("rows", c.rows());
            rs.add(row);
        }
        m.put("reject_reasons", rs);
        return m;
    }
}
