package io.tiercube.engine.report;

import java.math.BigDecimal;
import java.util.List;

/** {@code report.md}: the same figures as the page, as Markdown tables for chat and email. */
final class MarkdownReport {

    private final StringBuilder m = new StringBuilder(16 * 1024);

    private MarkdownReport() {
    }

    static String render(ReportData r, List<String> summary) {
        return new MarkdownReport().doc(r, summary);
    }

    private String doc(ReportData r, List<String> summary) {
        String prev = r.month().minusMonths(1).toString();
        m.append("# tiercube monthly report ").append(r.month()).append("\n\n");
        m.append("Usage data through ").append(r.dataThrough()).append("; changes are against ").append(prev).append(".\n\n");
        for (String line : summary) {
            m.append("- ").append(cell(line)).append('\n');
        }
        m.append("\n## Headline\n\n| KPI | ").append(r.month()).append(" | ").append(prev).append(" | Change |\n|---|---:|---:|---:|\n");
        ReportData.Kpis k = r.kpis();
        kpi("Revenue", Fmt.money(k.revenue().value()), Fmt.money(k.revenue().previous()), k.revenue());
        kpi("Active users", Fmt.count(k.activeUsers().value()), Fmt.count(k.activeUsers().previous()), k.activeUsers());
        kpi("ARPU", Fmt.money(k.arpu().value()), Fmt.money(k.arpu().previous()), k.arpu());
        kpi("Churned customers", Fmt.count(k.churned().value()), Fmt.count(k.churned().previous()), k.churned());

        m.append("\n## Revenue by region, product line and channel\n\n| Month | Revenue | Active users |\n|---|---:|---:|\n");
        for (ReportData.MonthPoint p : r.trend()) {
            m.append("| ").append(p.month()).append(" | ").append(Fmt.money(p.revenue())).append(" | ").append(Fmt.count(p.activeUsers())).append(" |\n");
        }
        for (ReportData.Breakdown bd : r.breakdowns()) {
            m.append("\n### ").append(bd.title()).append("\n\n| ").append(bd.attribute()).append(" | Revenue | Share | ").append(prev)
                    .append(" | Change | Users |\n|---|---:|---:|---:|---:|---:|\n");
            BigDecimal total = bd.total();
            for (ReportData.Member x : bd.members()) {
                m.append("| ").append(cell(x.name())).append(" | ").append(Fmt.money(x.revenue())).append(" | ")
                        .append(Fmt.pct(total.signum() == 0 || x.revenue() == null ? null : x.revenue().doubleValue() / total.doubleValue()))
                        .append(" | ").append(Fmt.money(x.previous())).append(" | ").append(Fmt.change(x.revenue(), x.previous()))
                        .append(" | ").append(Fmt.count(x.users())).append(" |\n");
            }
            m.append("| **Total** | **").append(Fmt.money(total)).append("** | 100.0% | ").append(Fmt.money(bd.previousTotal()))
                    .append(" | ").append(Fmt.change(total, bd.previousTotal())).append(" | |\n");
        }

        m.append("\n## What changed: top contributors\n\n");
        ReportData.Contributors c = r.contributors();
        if (c == null) {
            absent(r, "contributors");
        } else {
            m.append(c.measure()).append(": ").append(Fmt.money(c.before())).append(" (").append(c.from()).append(") to ")
                    .append(Fmt.money(c.after())).append(" (").append(c.to()).append("), change ").append(HtmlReport.signedMoney(c.totalChange()))
                    .append(".\n\n| Level | Member | Before | After | Contribution | Share |\n|---|---|---:|---:|---:|---:|\n");
            c.rows().stream().limit(15).forEach(x -> m.append("| ").append(cell(x.level())).append(" | ").append(cell(x.member())).append(" | ")
                    .append(Fmt.money(x.before())).append(" | ").append(Fmt.money(x.after())).append(" | ")
                    .append(HtmlReport.signedMoney(x.contribution())).append(" | ").append(Fmt.pct(x.share())).append(" |\n"));
        }

        m.append("\n## VIP tiers\n\n");
        ReportData.TierSection t = r.tiers();
        if (t == null) {
            absent(r, "tiers");
        } else {
            m.append("Policy `").append(t.policy()).append("`.\n\n| Tier | Customers | Share | Target | Revenue share | ARPU |\n|---|---:|---:|---:|---:|---:|\n");
            for (ReportData.TierRow x : t.rows()) {
                m.append("| ").append(cell(x.tier())).append(" | ").append(Fmt.count(x.customers())).append(" | ").append(Fmt.pct(x.share()))
                        .append(" | ").append(Fmt.pct(x.target())).append(" | ").append(Fmt.pct(x.revenueShare())).append(" | ")
                        .append(Fmt.money(x.arpu())).append(" |\n");
            }
            m.append("\nMovement since ").append(prev).append(": ").append(Fmt.count(t.upgrades())).append(" upgraded, ")
                    .append(Fmt.count(t.downgrades())).append(" downgraded, ").append(Fmt.count(t.held())).append(" held.\n");
            matrix(t.movement());
        }

        m.append("\n## Lifecycle stages A\u2013E\n\n");
        ReportData.LifecycleSection l = r.lifecycle();
        if (l == null) {
            absent(r, "lifecycle");
        } else {
            m.append("| Stage | Customers | Share | ").append(prev).append(" |\n|---|---:|---:|---:|\n");
            for (ReportData.StageRow s : l.stages()) {
                m.append("| ").append(s.code()).append(" ").append(cell(s.name())).append(" | ").append(Fmt.count(s.customers())).append(" | ")
                        .append(Fmt.pct(s.share())).append(" | ").append(Fmt.count(s.previous())).append(" |\n");
            }
            matrix(l.transitions());
        }

        m.append("\n## Churn risk\n\n");
        ReportData.ChurnSection ch = r.churn();
        if (ch == null) {
            absent(r, "churn");
        } else {
            m.append("| Band | Customers | Share |\n|---|---:|---:|\n");
            for (ReportData.BandRow b : ch.bands()) {
                m.append("| ").append(b.band()).append(" | ").append(Fmt.count(b.customers())).append(" | ").append(Fmt.pct(b.share())).append(" |\n");
            }
            if (ch.quality() != null) {
                ReportData.ModelQuality q = ch.quality();
                m.append("\nModel quality (").append(q.kind()).append(", ").append(q.description()).append("): ROC AUC ")
                        .append(Fmt.decimal(q.rocAuc(), 3)).append(", PR AUC ").append(Fmt.decimal(q.prAuc(), 3)).append(", top-decile lift ")
                        .append(Fmt.decimal(q.topDecileLift(), 1)).append("\u00d7, base rate ").append(Fmt.pct(q.baseRate())).append(".\n");
            }
            if (!ch.top().isEmpty()) {
                m.append("\n| Customer | Phone | Name | City | Risk | Why |\n|---|---|---|---|---:|---|\n");
                for (ReportData.RiskCustomer x : ch.top()) {
                    m.append("| ").append(cell(x.customerId())).append(" | ").append(cell(x.msisdn())).append(" | ").append(cell(x.name()))
                            .append(" | ").append(cell(x.city())).append(" | ").append(Fmt.pct(x.probability())).append(" | ")
                            .append(cell(String.join("; ", x.reasons()))).append(" |\n");
                }
            }
        }

        m.append("\n## Long tail and concentration\n\n");
        ReportData.LongTailSection lt = r.longTail();
        if (lt == null) {
            absent(r, "longtail");
        } else {
            m.append("| | Members | Gini | Top-20 % share | Head (80 %) | Tail | Tail revenue share | Tail ARPU |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (ReportData.Concentration x : new ReportData.Concentration[] {lt.customers(), lt.products()}) {
                if (x != null) {
                    m.append("| ").append(x.of()).append(" | ").append(Fmt.count(x.n())).append(" | ").append(Fmt.decimal(x.gini(), 3))
                            .append(" | ").append(Fmt.pct(x.top20Share())).append(" | ").append(Fmt.count(x.headCount())).append(" | ")
                            .append(Fmt.count(x.tailCount())).append(" | ").append(Fmt.pct(x.tailRevenueShare())).append(" | ")
                            .append(Fmt.money(x.tailArpu())).append(" |\n");
                }
            }
        }

        m.append("\n## Data quality\n\n");
        ReportData.DataQuality q = r.quality();
        if (q.latestNightly() != null) {
            m.append("Latest nightly run `").append(q.latestNightly().runId()).append("` (").append(q.latestNightly().command()).append(").\n\n");
        } else {
            m.append("No succeeded nightly run on record.\n\n");
        }
        m.append("| Dataset | Scope | Read | Accepted | Rejected |\n|---|---|---:|---:|---:|\n");
        for (ReportData.DatasetCounts x : q.datasets()) {
            m.append("| ").append(x.dataset()).append(" | ").append(cell(x.scope())).append(" | ").append(Fmt.count(x.read())).append(" | ")
                    .append(Fmt.count(x.accepted())).append(" | ").append(Fmt.count(x.rejected())).append(" |\n");
        }
        if (!q.reasons().isEmpty()) {
            m.append("\n| Dataset | Reject reason | Rows |\n|---|---|---:|\n");
            for (ReportData.ReasonCount x : q.reasons()) {
                m.append("| ").append(x.dataset()).append(" | ").append(cell(x.reason())).append(" | ").append(Fmt.count(x.rows())).append(" |\n");
            }
        }
        return m.toString();
    }

    private void kpi(String name, String now, String before, ReportData.Figure f) {
        m.append("| ").append(name).append(" | ").append(now).append(" | ").append(before).append(" | ")
                .append(Fmt.change(f.value(), f.previous())).append(" |\n");
    }

    private void absent(ReportData r, String id) {
        m.append("_").append(cell(r.absent().getOrDefault(id, "No data for this month yet."))).append("_\n");
    }

    private void matrix(ReportData.Matrix x) {
        if (x == null) {
            return;
        }
        m.append("\n| from \\ to |");
        x.columnLabels().forEach(c -> m.append(' ').append(cell(c)).append(" |"));
        m.append("\n|---|").append("---:|".repeat(x.columnLabels().size())).append('\n');
        for (int i = 0; i < x.rowLabels().size(); i++) {
            m.append("| ").append(cell(x.rowLabels().get(i))).append(" |");
            for (Long v : x.counts().get(i)) {
                m.append(' ').append(Fmt.count(v)).append(" |");
            }
            m.append('\n');
        }
    }

    /** Text safe inside a Markdown table cell. */
    private static String cell(String s) {
        return s == null ? Fmt.NONE : s.replace("|", "\\|").replace("\n", " ");
    }
}
