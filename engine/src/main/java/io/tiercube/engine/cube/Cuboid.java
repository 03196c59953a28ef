package io.tiercube.engine.cube;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One materialized grouping of a cube: the levels it groups by (the month is implicit: every cuboid
 * is per month). Its id sets bit {@code i} for the {@code i}-th non-month level of the model, so
 * the id is computed by our own SQL and is the same on every engine.
 */
public record Cuboid(long id, List<CubeModel.Level> levels) {

    public Cuboid {
        levels = List.copyOf(levels);
    }

    static Cuboid of(List<CubeModel.Level> chosen, List<CubeModel.Level> order) {
        long id = 0;
        List<CubeModel.Level> sorted = new ArrayList<>(chosen);
        sorted.sort(Comparator.comparingInt(order::indexOf));
        for (CubeModel.Level l : sorted) {
            id |= 1L << order.indexOf(l);
        }
        return new Cuboid(id, sorted);
    }

    /** Whether this cuboid holds every one of these levels. */
    public boolean covers(java.util.Collection<CubeModel.Level> wanted) {
        return levels.containsAll(wanted);
    }

    /** {@code region.province,region.city}, or {@code (all)} for the apex. */
    public String label() {
        return levels.isEmpty() ? "(all)" : levels.stream().map(CubeModel.Level::qualified).collect(Collectors.joining(","));
    }
}
