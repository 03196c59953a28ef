package io.tiercube.engine.report;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

/**
 * Everything one monthly report shows, as plain values. The queries fill it; the HTML, Markdown and
 * JSON writers only read it. A section that is null has no data in the warehouse yet; {@link #absent}
 * says why (in words a user can act on), and the report prints that instead of an empty chart.
 */
record ReportData(
        YearMonth month,
        String dataThrough,
        Kpis kpis,
        List<MonthPoint> trend,
        List<Breakdown> breakdowns,
        Contributors contributors,
        TierSection tiers,
        LifecycleSection lifecycle,
        ChurnSection churn,
        LongTailSection longTail,
        DataQuality quality,
        Map<String, String> absent) {

    /** A headline figure with the previous month's value (null when that month has no data). */
    record Figure(Number value, Number previous) {
    }

    record Kpis(Figure revenue, Figure activeUsers, Figure arpu, Figure churned) {
    }

    /** Revenue and active users of one month (the trend strip). */
    record MonthPoint(YearMonth month, BigDecimal revenue, long activeUsers) {
    }

    /** One member of a breakdown: this month's and the previous month's revenue, and this month's users. */
    record Member(String name, BigDecimal revenue, BigDecimal previous, long users) {
    }

    /** Revenue split by one attribute. {@code id} is the section anchor and JSON key. */
    record Breakdown(String id, String title, String attribute, List<Member> members) {
        BigDecimal total() {
            return members.stream().map(m -> m.revenue() == null ? BigDecimal.ZERO : m.revenue()).reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        BigDecimal previousTotal() {
            return members.stream().map(m -> m.previous() == null ? BigDecimal.ZERO : m.previous()).reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }

    /** One member's contribution to the change of a measure between two months. */
    record Contributor(String level, String member, Number before, Number after, Number contribution, Double share) {
    }

    record Contributors(String measure, YearMonth from, YearMonth to, Number before, Number after, Number totalChange,
                        List<Contributor> rows) {
    }

    /** Counts from row labels (e.g. previous tier) to column labels (this month's tier). */
    record Matrix(List<String> rowLabels, List<String> columnLabels, List<List<Long>> counts) {
        long total() {
            return counts.stream().flatMap(List::stream).mapToLong(Long::longValue).sum();
        }
    }

    /** One tier of the pyramid; {@code target} is the policy's intended share, null when it has none. */
    record TierRow(String tier, long customers, double share, Double target, BigDecimal revenue, double revenueShare, Double arpu) {
    }

    record TierSection(String policy, List<TierRow> rows, Matrix movement, long upgrades, long downgrades, long held,
                       long entered) {
    }

    /** One lifecycle stage (A–E) this month and last. */
    record StageRow(String code, String name, long customers, double share, Long previous) {
    }

    record LifecycleSection(List<StageRow> stages, Matrix transitions) {
    }

    record ScoreBin(double from, double to, long customers) {
    }

    record BandRow(String band, long customers, double share) {
    }

    record CalibrationBin(int bin, long rows, double meanPredicted, double observedRate) {
    }

    /**
     * How good the churn model is. {@code kind} is {@code out of time} (trained a month earlier,
     * tested on a later month) or {@code cross-validated} when no out-of-time figures exist.
     */
    record ModelQuality(String kind, String description, YearMonth modelAsOf, int horizon, double rocAuc, double prAuc,
                        double topDecileLift, Double topDecilePrecision, double baseRate, long rowsTrain, long rowsTest,
                        List<CalibrationBin> calibration) {
    }

    /** A high-risk customer as an account manager sees them; identity fields arrive masked. */
    record RiskCustomer(String customerId, String msisdn, String name, String city, String tier, double probability,
                        String band, List<String> reasons) {
    }

    /**
     * Churn scores of the month. {@code distribution} covers [0, top) in equal bins; when
     * {@code maxScore} is above the last bin's end, that bin is open and holds every score up to it.
     */
    record ChurnSection(List<ScoreBin> distribution, double maxScore, List<BandRow> bands, Double highThreshold,
                        Double mediumThreshold, ModelQuality quality, List<RiskCustomer> top) {
    }

    /**
     * Concentration of revenue over customers or products: Lorenz points (x, y as fractions), Gini,
     * the top 20 %'s share, the head (smallest set holding 80 % of revenue) and the tail (the rest).
     */
    record Concentration(String of, long n, Double gini, Double top20Share, long headCount, double headShareOfRevenue,
                         long tailCount, double tailRevenueShare, Double tailArpu, List<double[]> lorenz,
                         Double giniPrevious, Double top20SharePrevious) {
    }

    record LongTailSection(Concentration customers, Concentration products) {
    }

    /** Rows read / accepted / rejected for the data behind the month, with the runs that loaded it. */
    record DatasetCounts(String dataset, String scope, long read, long accepted, long rejected, List<String> runIds) {
    }

    record ReasonCount(String dataset, String reason, long rows) {
    }

    /** The latest succeeded nightly run (null fields when none is on record). */
    record RunInfo(String runId, String command, String engine, String started, String finished,
                   Map<String, long[]> counts) {
    }

    record DataQuality(RunInfo latestNightly, List<DatasetCounts> datasets, List<ReasonCount> reasons) {
    }
}
