package io.tiercube.engine.cube;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Table;
import io.tiercube.engine.warehouse.Warehouse;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * "Why did it change?": ranks the members whose change moved a measure most between two months,
 * per dimension, and drills {@code depth} levels down along the biggest mover (revenue fell, which
 * province, which city in it, which district in that city).
 *
 * <p>For an additive measure a member's contribution is its own change, so the contributions of
 * one level add up to the total change (or, below the first level, to the parent's contribution).
 * For a ratio N/D (ARPU = revenue / users) the total is written as the sum over members of
 * {@code w_i * r_i} with weight {@code w_i = D_i / D} and member ratio {@code r_i = N_i / D_i};
 * a member contributes {@code N1_i/D1 - N0_i/D0}, which again adds up to the total change, split
 * into a <em>rate</em> effect (its ratio moved: {@code (r1 - r0) * (w0 + w1) / 2}) and a
 * <em>mix</em> effect (its weight moved: the rest, {@code (w1 - w0) * (r0 + r1) / 2}).
 * For a distinct count (users) each member's change is exact, but the changes need not add up: a
 * customer can count in several members.
 */
public final class Explain {

    /** The question: {@code measure} from month {@code from} (before) to month {@code to} (after). */
    public record Request(String measure, YearMonth from, YearMonth to, List<String> dims, int depth, String where) {
    }

    /**
     * One member's part of the change. {@code before}/{@code after} are the member's own values (its
     * own ratio for a ratio measure); {@code share} is contribution / total change (null when the total
     * did not change); {@code mix} and {@code rate} are set for ratio measures only.
     */
    public record Contributor(String level, String parent, String member, Object before, Object after,
            Object contribution, Double share, Double mix, Double rate) {
    }

    /** The answer; {@code additive} is false for distinct counts (contributions need not sum). */
    public record Result(String measure, YearMonth from, YearMonth to, Object before, Object after, Object totalChange,
            boolean ratio, boolean additive, List<Contributor> contributors, List<String> plans) {
    }

    private Explain() {
    }

    public static Result run(Backend b, Warehouse wh, CubeModel model, Request req) {
        CubeModel.Measure m = model.measure(req.measure());
        if (m.agg() == CubeModel.Agg.MIN || m.agg() == CubeModel.Agg.MAX) {
            throw new UserError(UserError.Kind.BAD_QUERY, "explain needs a sum, count, distinct count or ratio; "
                    + m.name() + " is a " + m.agg().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (m.isRatio() && (model.measure(m.numerator()).isRatio() || model.measure(m.denominator()).isRatio())) {
            throw new UserError(UserError.Kind.BAD_QUERY, "explain splits a ratio of two base measures; " + m.name()
                    + " is a ratio of ratios");
        }
        if (req.depth() < 1) {
            throw new UserError(UserError.Kind.BAD_QUERY, "--depth must be at least 1, got " + req.depth());
        }
        if (req.from().equals(req.to())) {
            throw new UserError(UserError.Kind.BAD_QUERY, "--from and --to are the same month (" + req.from() + ")");
        }
        List<CubeModel.Dimension> dims = new ArrayList<>();
        if (req.dims() == null || req.dims().isEmpty()) {
            model.dimensions().values().stream().filter(d -> !d.levels().get(0).isMonth()
                    && !d.levels().get(0).column().equals("day")).forEach(dims::add);
        } else {
            for (String d : req.dims()) {
                CubeModel.Dimension dim = model.dimensions().get(d.trim());
                if (dim == null) {
                    throw new UserError(UserError.Kind.BAD_QUERY, "unknown dimension '" + d + "' in cube " + model.name()
                            + Names.hint(d.trim(), model.dimensions().keySet()));
                }
                if (dim.levels().get(0).isMonth()) {
                    throw new UserError(UserError.Kind.BAD_QUERY, "dimension " + d + " is the time axis of the comparison; "
                            + "choose among " + model.dimensions().keySet());
                }
                dims.add(dim);
            }
        }
        List<String> parts = m.isRatio() ? List.of(m.numerator(), m.denominator()) : List.of(m.name());
        Where base = Where.parse(req.where(), model);
        List<String> plans = new ArrayList<>();

        Table total = drill(b, wh, model, req, parts, List.of(), base, plans);
        Values tot = values(total, 0, parts);
        Object before;
        Object after;
        Object change;
        if (m.isRatio()) {
            before = ratio(tot.n0, tot.d0);
            after = ratio(tot.n1, tot.d1);
            change = before == null || after == null ? null : (Double) after - (Double) before;
        } else {
            before = tot.n0;
            after = tot.n1;
            change = tot.n1.subtract(tot.n0);
        }

        List<Contributor> out = new ArrayList<>();
        for (CubeModel.Dimension dim : dims) {
            Where pins = base;
            String parent = null;
            for (int depth = 0; depth < req.depth() && depth < dim.levels().size(); depth++) {
                CubeModel.Level level = dim.levels().get(depth);
                Table t = drill(b, wh, model, req, parts, List.of(level.qualified()), pins, plans);
                List<Contributor> here = new ArrayList<>();
                List<List<Object>> keys = new ArrayList<>();
                for (int i = 0; i < t.size(); i++) {
                    Values v = values(t, i, parts);
                    String member = String.valueOf(t.rows().get(i).get(depth));
                    Contributor c = m.isRatio() ? ratioContributor(level, parent, member, v, tot, change)
                            : additiveContributor(level, parent, member, v, change);
                    here.add(c);
                    keys.add(t.rows().get(i).subList(0, depth + 1));
                }
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < here.size(); i++) {
                    order.add(i);
                }
                order.sort(Comparator.comparingDouble((Integer i) -> -Math.abs(number(here.get(i).contribution())))
                        .thenComparing(i -> here.get(i).member()));
                for (int i : order) {
                    out.add(here.get(i));
                }
                if (order.isEmpty()) {
                    break;
                }
                int top = order.get(0);
                List<CubeModel.Level> path = model.withAncestors(level);
                for (int k = 0; k < path.size(); k++) {
                    if (!pinned(pins, path.get(k))) {
                        pins = pins.and(path.get(k), String.valueOf(keys.get(top).get(k)));
                    }
                }
                parent = here.get(top).member();
            }
        }
        return new Result(m.name(), req.from(), req.to(), before, after, change, m.isRatio(),
                m.additive() || m.isRatio(), out, plans);
    }

    /** Whether the filter already holds the level to one member. */
    private static boolean pinned(Where w, CubeModel.Level l) {
        return w.levels().stream().anyMatch(f -> f.level().equals(l) && !f.negated() && f.values().size() == 1);
    }

    private static Table drill(Backend b, Warehouse wh, CubeModel model, Request req, List<String> parts,
            List<String> by, Where where, List<String> plans) {
        DrillQuery.Result r = DrillQuery.run(b, wh, model, new DrillQuery.Request()
                .by(by).measures(parts).where(where).month(req.to()).compareWith(req.from(), req.from()));
        plans.add((by.isEmpty() ? "(total)" : by.get(0)) + ": " + r.plan().describe());
        return r.table();
    }

    /** Numerator (or the measure) and denominator, before (0) and after (1). */
    private record Values(BigDecimal n0, BigDecimal n1, BigDecimal d0, BigDecimal d1) {
    }

    private static Values values(Table t, int row, List<String> parts) {
        BigDecimal n1 = dec(t.get(row, parts.get(0)));
        BigDecimal n0 = dec(t.get(row, parts.get(0) + "_prev"));
        if (parts.size() == 1) {
            return new Values(n0, n1, null, null);
        }
        return new Values(n0, n1, dec(t.get(row, parts.get(1) + "_prev")), dec(t.get(row, parts.get(1))));
    }

    private static BigDecimal dec(Object v) {
        if (v == null) {
            return BigDecimal.ZERO;
        }
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        return BigDecimal.valueOf(((Number) v).doubleValue());
    }

    private static Double ratio(BigDecimal n, BigDecimal d) {
        return d.signum() == 0 ? null : n.doubleValue() / d.doubleValue();
    }

    private static double number(Object v) {
        return v == null ? 0 : ((Number) v).doubleValue();
    }

    private static Contributor additiveContributor(CubeModel.Level level, String parent, String member, Values v, Object total) {
        BigDecimal c = v.n1.subtract(v.n0);
        BigDecimal t = (BigDecimal) total;
        Double share = t.signum() == 0 ? null : c.doubleValue() / t.doubleValue();
        return new Contributor(level.qualified(), parent, member, v.n0, v.n1, c, share, null, null);
    }

    private static Contributor ratioContributor(CubeModel.Level level, String parent, String member, Values v, Values tot,
            Object total) {
        double d0 = tot.d0.doubleValue();
        double d1 = tot.d1.doubleValue();
        double w0 = d0 == 0 ? 0 : v.d0.doubleValue() / d0;
        double w1 = d1 == 0 ? 0 : v.d1.doubleValue() / d1;
        Double r0 = ratio(v.n0, v.d0);
        Double r1 = ratio(v.n1, v.d1);
        double a0 = r0 != null ? r0 : r1 != null ? r1 : 0;
        double a1 = r1 != null ? r1 : a0;
        double contribution = (d1 == 0 ? 0 : v.n1.doubleValue() / d1) - (d0 == 0 ? 0 : v.n0.doubleValue() / d0);
        double rate = (a1 - a0) * (w0 + w1) / 2;
        double mix = contribution - rate;
        Double share = total == null || (Double) total == 0 ? null : contribution / (Double) total;
        return new Contributor(level.qualified(), parent, member, r0, r1, contribution, share, mix, rate);
    }
}
