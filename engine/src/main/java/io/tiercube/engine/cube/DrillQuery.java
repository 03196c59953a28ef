package io.tiercube.engine.cube;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.Warehouse;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A drill query: measures by some levels, filtered, over a month or a range of months, optionally
 * compared with an earlier period. It is answered from the smallest materialized cuboid covering
 * its levels and filters, or from the facts when no cuboid can give the exact answer; the returned
 * {@link Plan} says which, and why.
 *
 * <p>Semantics, the same on both paths (the golden rule: a routed answer equals the facts' answer):
 * a level in {@code by} brings its coarser levels along (by {@code region.city} groups by province
 * and city); additive measures add up; a distinct count over one month is exact at the group's
 * grain, and over several months (without {@code time.month} in {@code by}) it is the distinct
 * count over the whole range, which only the facts know; a ratio over several months divides by
 * the sum of the monthly values (ARPU = revenue / user-months). Members present only in the
 * comparison period are listed with zero current values.
 */
public final class DrillQuery {

    /** What to compare the period with. */
    public enum Compare {
        NONE, PREV, YOY;

        public static Compare parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserError(UserError.Kind.BAD_QUERY, "unknown --compare '" + s + "': expected prev, yoy or none");
            }
        }
    }

    /** The question. Null fields take the model's defaults. */
    public static final class Request {
        List<String> by;
        List<String> measures;
        String where;
        Where parsedWhere;
        YearMonth from;
        YearMonth to;
        Compare compare;
        YearMonth compareFrom;
        YearMonth compareTo;
        Integer top;
        String sort;
        boolean share;
        boolean strict;
        boolean routing = true;

        public Request by(List<String> levels) {
            this.by = levels == null ? null : List.copyOf(levels);
            return this;
        }

        public Request measures(List<String> names) {
            this.measures = names == null ? null : List.copyOf(names);
            return this;
        }

        public Request where(String filter) {
            this.where = filter;
            return this;
        }

        /** An already parsed filter (used by {@link Explain} to pin members). */
        Request where(Where w) {
            this.parsedWhere = w;
            return this;
        }

        public Request month(YearMonth m) {
            this.from = m;
            this.to = m;
            return this;
        }

        public Request range(YearMonth from, YearMonth to) {
            this.from = from;
            this.to = to;
            return this;
        }

        public Request compare(Compare c) {
            this.compare = c;
            return this;
        }

        /** Compare with an explicit period instead of {@code prev}/{@code yoy}. */
        public Request compareWith(YearMonth from, YearMonth to) {
            this.compareFrom = from;
            this.compareTo = to;
            return this;
        }

        public Request top(Integer n) {
            this.top = n;
            return this;
        }

        /** An output column; descending unless suffixed {@code :asc}. Default: the first measure, descending. */
        public Request sort(String s) {
            this.sort = s;
            return this;
        }

        public Request share(boolean on) {
            this.share = on;
            return this;
        }

        /** Refuse (BAD_QUERY) instead of falling back to the facts. */
        public Request strict(boolean on) {
            this.strict = on;
            return this;
        }

        /** False answers from the facts whatever cuboids exist (the golden rule's reference). */
        public Request routing(boolean on) {
            this.routing = on;
            return this;
        }
    }

    /** How a query was answered. */
    public record Plan(boolean fromCuboid, String cuboid, long cuboidId, List<YearMonth> months,
            List<YearMonth> compareMonths, String reason) {
        public String describe() {
            String period = range(months) + (compareMonths.isEmpty() ? "" : ", compared with " + range(compareMonths));
            if (fromCuboid) {
                return "answered from cuboid [" + cuboid + "] (id " + cuboidId + ") for " + period;
            }
            return "answered from the facts (usage joined to customers) for " + period + ": " + reason;
        }

        private static String range(List<YearMonth> ms) {
            if (ms.isEmpty()) {
                return "-";
            }
            return ms.size() == 1 ? ms.get(0).toString() : ms.get(0) + ".." + ms.get(ms.size() - 1);
        }
    }

    /** The answer: a table whose level columns are named {@code dim.level}, and the plan. */
    public record Result(Table table, Plan plan) {
    }

    private DrillQuery() {
    }

    /** Answers a drill query. Registers its own views; reads {@code usage}, {@code customers} and the cube. */
    public static Result run(Backend b, Warehouse wh, CubeModel model, Request req) {
        return new Run(b, wh, model, req).execute();
    }

    /** The latest month with a built cube or usage data, or a NOT_FOUND error. */
    public static YearMonth latestMonth(Warehouse wh, CubeModel model) {
        TreeSet<YearMonth> all = new TreeSet<>(CubeBuild.sourceMonths(wh));
        all.addAll(CubeBuild.builtMonths(wh, model.name()));
        if (all.isEmpty()) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no usage data in the warehouse " + wh.root()
                    + ": ingest some first (tiercube ingest usage ...)");
        }
        return all.last();
    }

    static List<YearMonth> months(YearMonth from, YearMonth to) {
        List<YearMonth> out = new ArrayList<>();
        for (YearMonth m = from; !m.isAfter(to); m = m.plusMonths(1)) {
            out.add(m);
        }
        return out;
    }

    /** One query's state while it is planned and run. */
    private static final class Run {
        final Backend b;
        final Warehouse wh;
        final CubeModel model;
        final Request req;
        final List<CubeModel.Measure> measures = new ArrayList<>();
        final List<CubeModel.Level> group = new ArrayList<>();
        final Where where;
        final List<YearMonth> cur;
        final List<YearMonth> cmp;
        final boolean comparing;

        Run(Backend b, Warehouse wh, CubeModel model, Request req) {
            this.b = b;
            this.wh = wh;
            this.model = model;
            this.req = req;
            for (String m : req.measures != null ? req.measures : model.defaults().measures()) {
                CubeModel.Measure x = model.measure(m.trim());
                if (!measures.contains(x)) {
                    measures.add(x);
                }
            }
            if (measures.isEmpty()) {
                throw new UserError(UserError.Kind.BAD_QUERY, "no measure asked for (valid: " + String.join(", ", model.measures().keySet()) + ")");
            }
            Set<CubeModel.Level> g = new LinkedHashSet<>();
            for (String l : req.by != null ? req.by : model.defaults().by()) {
                g.addAll(model.withAncestors(model.level(l.trim())));
            }
            model.levels().values().stream().filter(g::contains).forEach(group::add);
            this.where = req.parsedWhere != null ? req.parsedWhere : Where.parse(req.where, model);
            YearMonth from = req.from;
            YearMonth to = req.to;
            if (from == null && to == null) {
                from = to = latestMonth(wh, model);
            } else if (from == null || to == null) {
                from = to = from == null ? to : from;
            }
            if (from.isAfter(to)) {
                throw new UserError(UserError.Kind.BAD_QUERY, "--from " + from + " is after --to " + to);
            }
            cur = months(from, to);
            Compare c = req.compare != null ? req.compare : Compare.parse(model.defaults().compare());
            if (req.compare == null && group.stream().anyMatch(l -> l.isMonth() || l.column().equals("day"))) {
                // Rows by month or day do not line up with an earlier period's rows: no default comparison.
                c = Compare.NONE;
            }
            if (req.compareFrom != null) {
                cmp = months(req.compareFrom, req.compareTo);
            } else if (c == Compare.PREV) {
                cmp = months(from.minusMonths(cur.size()), to.minusMonths(cur.size()));
            } else if (c == Compare.YOY) {
                cmp = months(from.minusMonths(12), to.minusMonths(12));
            } else {
                cmp = List.of();
            }
            comparing = !cmp.isEmpty();
            Set<YearMonth> overlap = new LinkedHashSet<>(cur);
            overlap.retainAll(cmp);
            if (!overlap.isEmpty()) {
                throw new UserError(UserError.Kind.BAD_QUERY, "the comparison period overlaps the period asked (" + overlap + ")");
            }
        }

        boolean groupsByMonth() {
            return group.stream().anyMatch(CubeModel.Level::isMonth);
        }

        List<String> groupCols() {
            return group.stream().map(l -> l.isMonth() ? "month" : l.alias()).toList();
        }

        /** Base measures the asked measures need. */
        List<CubeModel.Measure> bases() {
            Set<CubeModel.Measure> s = new LinkedHashSet<>();
            measures.forEach(m -> s.addAll(model.baseMeasures(m)));
            return new ArrayList<>(s);
        }

        boolean needsDistinct() {
            return bases().stream().anyMatch(m -> m.agg() == CubeModel.Agg.COUNT_DISTINCT);
        }

        /** Distinct counts asked for directly over a range of months: only the facts know them. */
        List<CubeModel.Measure> rangeDistincts() {
            if (groupsByMonth() || (cur.size() <= 1 && cmp.size() <= 1)) {
                return List.of();
            }
            return measures.stream().filter(m -> m.agg() == CubeModel.Agg.COUNT_DISTINCT).toList();
        }

        Result execute() {
            List<YearMonth> all = new ArrayList<>(cmp);
            all.addAll(cur);
            List<YearMonth> present = all.stream()
                    .filter(m -> FactSql.hasUsage(wh, m) || CubeBuild.manifest(wh, model.name(), m).isPresent()).toList();
            if (cur.stream().noneMatch(present::contains)) {
                throw new UserError(UserError.Kind.NOT_FOUND, "no usage data for " + Plan.range(cur) + " in " + wh.root()
                        + " (months with data: " + CubeBuild.sourceMonths(wh) + ")");
            }
            String reason;
            Cuboid cuboid = null;
            if (!req.routing) {
                reason = "routing disabled";
            } else {
                Object r = route(present);
                if (r instanceof Cuboid c) {
                    cuboid = c;
                    reason = null;
                } else {
                    reason = (String) r;
                }
            }
            if (cuboid != null && needsDistinct() && !new LinkedHashSet<>(cuboid.levels()).equals(nonMonth(group))) {
                SqlParts r = cubeRelation(cuboid);
                Table t = b.query("SELECT max(n_cells) AS c FROM (" + r.sql + ") r", r.params.toArray());
                long cells = t.scalarLong();
                if (cells > 1) {
                    List<String> extra = cuboid.levels().stream().filter(l -> !group.contains(l)).map(CubeModel.Level::qualified).toList();
                    reason = "a distinct count would add up to " + cells + " cells of cuboid [" + cuboid.label()
                            + "] per group and month (levels filtered but not in --by: " + String.join(", ", extra)
                            + "); distinct counts are not additive";
                    cuboid = null;
                }
            }
            if (cuboid == null && req.strict) {
                throw new UserError(UserError.Kind.BAD_QUERY, "--strict: this query would fall back to the facts: " + reason);
            }
            List<YearMonth> presentCur = cur.stream().filter(present::contains).toList();
            List<YearMonth> presentCmp = cmp.stream().filter(present::contains).toList();
            Plan plan = new Plan(cuboid != null, cuboid == null ? null : cuboid.label(), cuboid == null ? -1 : cuboid.id(),
                    cur, cmp, reason);
            SqlParts rel;
            SqlParts dist = null;
            List<CubeModel.Measure> rangeDistincts = List.of();
            if (cuboid != null) {
                rel = cubeRelation(cuboid);
            } else {
                List<YearMonth> ms = new ArrayList<>(presentCmp);
                ms.addAll(presentCur);
                FactSql.registerSources(b, wh, model, ms);
                Set<CubeModel.Level> lv = new LinkedHashSet<>(group);
                where.levels().forEach(f -> lv.add(f.level()));
                String facts = FactSql.facts(b, model, ms, lv);
                rel = factsRelation(facts);
                rangeDistincts = rangeDistincts();
                if (!rangeDistincts.isEmpty()) {
                    dist = distinctRelation(facts, rangeDistincts);
                }
            }
            return new Result(finalQuery(rel, dist, rangeDistincts), plan);
        }

        Set<CubeModel.Level> nonMonth(Collection<CubeModel.Level> ls) {
            return ls.stream().filter(l -> !l.isMonth()).collect(Collectors.toCollection(LinkedHashSet::new));
        }

        /** The smallest built cuboid that covers the query in every month, or the reason there is none. */
        Object route(List<YearMonth> present) {
            Set<CubeModel.Level> need = nonMonth(group);
            for (Where.LevelFilter f : where.levels()) {
                need.addAll(nonMonth(model.withAncestors(f.level())));
            }
            List<String> rangeD = rangeDistincts().stream().map(CubeModel.Measure::name).toList();
            if (!rangeD.isEmpty()) {
                return String.join(", ", rangeD) + " over several months is a distinct count over the whole range;"
                        + " cuboids hold it per month (add --by time.month for monthly values)";
            }
            Map<Long, Long> rows = new LinkedHashMap<>();
            for (Cuboid c : model.cuboids()) {
                if (c.covers(need)) {
                    rows.put(c.id(), 0L);
                }
            }
            if (rows.isEmpty()) {
                return "no cuboid of the model covers " + need.stream().map(CubeModel.Level::qualified).toList()
                        + "; add a group with these levels to 'aggregates' in " + model.file();
            }
            for (YearMonth m : present) {
                Optional<CubeManifest> man = CubeBuild.manifest(wh, model.name(), m);
                if (man.isEmpty()) {
                    return "month " + m + " of cube " + model.name() + " is not built (tiercube cube build --month " + m + ")";
                }
                if (!model.fingerprint().equals(man.get().modelFingerprint())) {
                    return "month " + m + " of cube " + model.name() + " was built from another version of the model (rebuild it)";
                }
                if (FactSql.hasUsage(wh, m) && !CubeBuild.sourceFingerprint(wh, m).equals(man.get().sourceFingerprint())) {
                    return "month " + m + " of cube " + model.name() + " is stale: its usage changed since it was built (rebuild it)";
                }
                Map<Long, Long> found = new LinkedHashMap<>();
                man.get().cuboids().forEach(e -> found.put(e.id(), e.rows()));
                for (Map.Entry<Long, Long> e : rows.entrySet()) {
                    e.setValue(found.containsKey(e.getKey()) && e.getValue() >= 0 ? e.getValue() + found.get(e.getKey()) : -1L);
                }
            }
            Cuboid best = null;
            long bestRows = Long.MAX_VALUE;
            for (Cuboid c : model.cuboids()) {
                Long n = rows.get(c.id());
                if (n != null && n >= 0 && (n < bestRows || n == bestRows && c.levels().size() < best.levels().size())) {
                    best = c;
                    bestRows = n;
                }
            }
            if (best == null) {
                return "the built months lack a cuboid covering " + need.stream().map(CubeModel.Level::qualified).toList()
                        + " (rebuild them with the current model)";
            }
            // Only the months asked for: a view over the whole cube's history lists and plans every month's files.
            b.registerParquet(cellsView(), present.stream().map(m -> CubeBuild.monthDir(wh, model.name(), m)).toList());
            return best;
        }

        String cellsView() {
            return "cube_cells_" + model.name();
        }

        /** SQL text with its bound parameters, in order. */
        record SqlParts(String sql, List<Object> params) {
        }

        SqlParts filterClause() {
            List<String> terms = new ArrayList<>();
            List<Object> params = new ArrayList<>();
            for (Where.LevelFilter f : where.levels()) {
                String col = f.level().isMonth() ? "month" : f.level().alias();
                terms.add(col + (f.negated() ? " NOT IN (" : " IN (")
                        + f.values().stream().map(v -> "?").collect(Collectors.joining(", ")) + ")");
                params.addAll(f.values());
            }
            return new SqlParts(terms.isEmpty() ? "" : String.join(" AND ", terms), params);
        }

        String monthsIn(Collection<YearMonth> ms) {
            return "month IN (" + ms.stream().map(m -> "'" + m + "'").collect(Collectors.joining(", ")) + ")";
        }

        List<YearMonth> allMonths() {
            List<YearMonth> ms = new ArrayList<>(cmp);
            ms.addAll(cur);
            return ms;
        }

        String groupSelect() {
            List<String> cols = new ArrayList<>(List.of("month"));
            groupCols().stream().filter(c -> !c.equals("month")).forEach(cols::add);
            return String.join(", ", cols);
        }

        /** Per month and group, from the cuboid's cells; {@code n_cells} counts the cells added. */
        SqlParts cubeRelation(Cuboid c) {
            SqlParts f = filterClause();
            StringBuilder s = new StringBuilder("SELECT " + groupSelect());
            for (CubeModel.Measure m : bases()) {
                s.append(", ").append(FactSql.reaggregate(m, m.alias())).append(" AS ").append(m.alias());
            }
            s.append(", CAST(count(*) AS BIGINT) AS n_cells FROM ").append(cellsView())
                    .append(" WHERE cuboid_id = ").append(c.id()).append(" AND ").append(monthsIn(allMonths()));
            if (!f.sql().isEmpty()) {
                s.append(" AND ").append(f.sql());
            }
            s.append(" GROUP BY ").append(groupSelect());
            return new SqlParts(s.toString(), f.params());
        }

        /** Per month and group, from the facts. */
        SqlParts factsRelation(String facts) {
            SqlParts f = filterClause();
            StringBuilder s = new StringBuilder("SELECT " + groupSelect());
            for (CubeModel.Measure m : bases()) {
                s.append(", ").append(FactSql.aggregateFacts(m, "in_" + m.name())).append(" AS ").append(m.alias());
            }
            s.append(", CAST(1 AS BIGINT) AS n_cells FROM (").append(facts).append(") f");
            if (!f.sql().isEmpty()) {
                s.append(" WHERE ").append(f.sql());
            }
            s.append(" GROUP BY ").append(groupSelect());
            return new SqlParts(s.toString(), f.params());
        }

        /** Distinct counts over each whole period, per group, from the facts. */
        SqlParts distinctRelation(String facts, List<CubeModel.Measure> ds) {
            SqlParts f = filterClause();
            List<String> cols = new ArrayList<>(groupCols());
            for (CubeModel.Measure m : ds) {
                cols.add("CAST(count(DISTINCT CASE WHEN " + monthsIn(cur) + " THEN in_" + m.name() + " END) AS BIGINT) AS d_" + m.name() + "__c");
                if (comparing) {
                    cols.add("CAST(count(DISTINCT CASE WHEN " + monthsIn(cmp) + " THEN in_" + m.name() + " END) AS BIGINT) AS d_" + m.name() + "__p");
                }
            }
            String s = "SELECT " + String.join(", ", cols) + " FROM (" + facts + ") f"
                    + (f.sql().isEmpty() ? "" : " WHERE " + f.sql())
                    + (group.isEmpty() ? "" : " GROUP BY " + String.join(", ", groupCols()));
            return new SqlParts(s, f.params());
        }

        /** The value of a measure in one period ({@code p}: c or p), over the aggregated groups {@code g}. */
        String value(CubeModel.Measure m, String p, boolean inRatio, List<CubeModel.Measure> rangeDistincts) {
            if (m.isRatio()) {
                return "CAST(" + value(model.measure(m.numerator()), p, true, rangeDistincts) + " AS DOUBLE) / NULLIF(CAST("
                        + value(model.measure(m.denominator()), p, true, rangeDistincts) + " AS DOUBLE), 0)";
            }
            if (!inRatio && rangeDistincts.contains(m)) {
                return "COALESCE(d.d_" + m.name() + "__" + p + ", 0)";
            }
            String col = "g." + m.name() + "__" + p;
            return m.agg() == CubeModel.Agg.MIN || m.agg() == CubeModel.Agg.MAX ? col : "COALESCE(" + col + ", 0)";
        }

        Table finalQuery(SqlParts rel, SqlParts dist, List<CubeModel.Measure> rangeDistincts) {
            List<Object> params = new ArrayList<>(rel.params());
            StringBuilder g = new StringBuilder("SELECT ");
            List<String> gcols = new ArrayList<>(groupCols());
            for (CubeModel.Measure m : bases()) {
                gcols.add(FactSql.reaggregate(m, "CASE WHEN " + monthsIn(cur) + " THEN " + m.alias() + " END") + " AS " + m.name() + "__c");
                if (comparing) {
                    gcols.add(FactSql.reaggregate(m, "CASE WHEN " + monthsIn(cmp) + " THEN " + m.alias() + " END") + " AS " + m.name() + "__p");
                }
            }
            g.append(String.join(", ", gcols)).append(" FROM r");
            if (!group.isEmpty()) {
                g.append(" GROUP BY ").append(String.join(", ", groupCols()));
            }
            StringBuilder sql = new StringBuilder("WITH r AS (" + rel.sql() + "), g AS (" + g + ")");
            if (dist != null) {
                sql.append(", d AS (").append(dist.sql()).append(")");
                params.addAll(dist.params());
            }
            // h: one row per group with each measure's value per period.
            List<String> hcols = new ArrayList<>();
            for (int i = 0; i < group.size(); i++) {
                hcols.add("g." + groupCols().get(i) + " AS k" + i);
            }
            for (CubeModel.Measure m : measures) {
                hcols.add(value(m, "c", false, rangeDistincts) + " AS " + m.name());
                if (comparing) {
                    hcols.add(value(m, "p", false, rangeDistincts) + " AS " + m.name() + "_prev");
                }
            }
            sql.append(", h AS (SELECT ").append(String.join(", ", hcols)).append(" FROM g");
            if (dist != null) {
                if (group.isEmpty()) {
                    sql.append(" CROSS JOIN d");
                } else {
                    sql.append(" JOIN d ON ").append(groupCols().stream().map(c -> "g." + c + " = d." + c)
                            .collect(Collectors.joining(" AND ")));
                }
            }
            sql.append(")");
            // Final: change, percent change and share, filters on measures, order, limit.
            List<String> out = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < group.size(); i++) {
                out.add("k" + i);
                labels.add(group.get(i).qualified());
            }
            for (CubeModel.Measure m : measures) {
                out.add(m.name());
                labels.add(m.name());
                if (comparing) {
                    out.add(m.name() + "_prev");
                    labels.add(m.name() + "_prev");
                    out.add(m.name() + " - " + m.name() + "_prev AS " + m.name() + "_change");
                    labels.add(m.name() + "_change");
                    out.add("CAST(" + m.name() + " - " + m.name() + "_prev AS DOUBLE) * 100 / NULLIF(CAST(" + m.name()
                            + "_prev AS DOUBLE), 0) AS " + m.name() + "_change_pct");
                    labels.add(m.name() + "_change_pct");
                }
                if (req.share && m.additive()) {
                    out.add("CAST(" + m.name() + " AS DOUBLE) * 100 / NULLIF(CAST(sum(" + m.name() + ") OVER () AS DOUBLE), 0) AS "
                            + m.name() + "_share_pct");
                    labels.add(m.name() + "_share_pct");
                }
            }
            sql.append(" SELECT ").append(String.join(", ", out)).append(" FROM h");
            if (!where.measures().isEmpty()) {
                List<String> conds = new ArrayList<>();
                for (Where.MeasureFilter f : where.measures()) {
                    if (!measures.contains(f.measure())) {
                        throw new UserError(UserError.Kind.BAD_QUERY, "filter on measure " + f.measure().name()
                                + ": add it to --measures (it filters the values shown)");
                    }
                    conds.add(f.measure().name() + " " + (f.op().equals("!=") ? "<>" : f.op()) + " ?");
                    params.add(f.measure().isRatio() ? (Object) f.value().doubleValue() : f.value());
                }
                sql.append(" WHERE ").append(String.join(" AND ", conds));
            }
            sql.append(" ORDER BY ").append(orderBy(labels, out));
            if (req.top != null) {
                if (req.top <= 0) {
                    throw new UserError(UserError.Kind.BAD_QUERY, "--top must be a positive number, got " + req.top);
                }
                sql.append(" LIMIT ").append(req.top);
            }
            Table t = b.query(sql.toString(), params.toArray());
            return new Table(labels, t.rows());
        }

        String orderBy(List<String> labels, List<String> exprs) {
            List<String> keys = new ArrayList<>();
            String sort = req.sort;
            if (sort == null || sort.isBlank()) {
                keys.add(measures.get(0).name() + " DESC NULLS LAST");
            } else {
                String s = sort.trim();
                boolean asc = false;
                if (s.endsWith(":asc") || s.endsWith(":desc")) {
                    asc = s.endsWith(":asc");
                    s = s.substring(0, s.lastIndexOf(':'));
                }
                int i = labels.indexOf(s);
                if (i < 0) {
                    throw new UserError(UserError.Kind.BAD_QUERY, "cannot sort by '" + s + "': not an output column"
                            + Names.hint(s, labels));
                }
                String e = exprs.get(i);
                String col = e.contains(" AS ") ? e.substring(e.lastIndexOf(" AS ") + 4) : e;
                keys.add(col + (asc ? " ASC" : " DESC") + " NULLS LAST");
            }
            for (int i = 0; i < group.size(); i++) {
                keys.add("k" + i + " ASC NULLS LAST");
            }
            return String.join(", ", keys);
        }
    }
}
