package io.tiercube.engine.cube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.warehouse.Warehouse;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainTest {

    static final YearMonth AUG = YearMonth.of(2026, 8);
    static final YearMonth SEP = YearMonth.of(2026, 9);
    static final YearMonth OCT = YearMonth.of(2026, 10);

    @TempDir
    static Path dir;
    static Backend duck;
    static Warehouse tiny;
    static Warehouse gen;
    static CubeModel model;

    @BeforeAll
    static void build() {
        duck = Engine.DUCKDB.open(Engine.Options.defaults());
        model = CubeFixtures.model();
        tiny = CubeFixtures.tiny(duck, dir.resolve("tiny"));
        gen = CubeFixtures.generated(duck, dir.resolve("gen"));
        for (YearMonth m : List.of(SEP, OCT)) {
            CubeBuild.build(duck, tiny, model, m);
        }
        for (YearMonth m : List.of(AUG, SEP, OCT)) {
            CubeBuild.build(duck, gen, model, m);
        }
    }

    @AfterAll
    static void close() {
        duck.close();
    }

    static List<Explain.Contributor> at(Explain.Result r, String level) {
        return r.contributors().stream().filter(c -> c.level().equals(level)).toList();
    }

    static BigDecimal sum(List<Explain.Contributor> cs) {
        return cs.stream().map(c -> (BigDecimal) c.contribution()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void revenueChangeIsSplitByProvinceThenByCityOfTheBiggestMover() {
        Explain.Result r = Explain.run(duck, tiny, model, new Explain.Request("revenue", SEP, OCT, List.of("region"), 2, null));
        assertEquals(0, new BigDecimal("-0.40").compareTo((BigDecimal) r.totalChange()));
        List<Explain.Contributor> provinces = at(r, "region.province");
        assertEquals("Sichuan", provinces.get(0).member(), "biggest mover first");
        assertEquals(0, new BigDecimal("-2.40").compareTo((BigDecimal) provinces.get(0).contribution()));
        assertEquals(0, new BigDecimal("-0.40").compareTo(sum(provinces)));
        assertEquals(6.0, provinces.get(0).share(), 1e-9, "-2.40 of a -0.40 change");
        List<Explain.Contributor> cities = at(r, "region.city");
        assertEquals(List.of("Mianyang", "Yibin", "Chengdu"), cities.stream().map(Explain.Contributor::member).toList());
        assertEquals("Sichuan", cities.get(0).parent());
        assertEquals(0, new BigDecimal("-2.40").compareTo(sum(cities)), "cities add up to their province's change");
    }

    @Test
    void contributionsOfEveryDimensionSumToTheTotalChange() {
        Explain.Result r = Explain.run(duck, gen, model, new Explain.Request("revenue", SEP, OCT, null, 3, null));
        BigDecimal total = (BigDecimal) r.totalChange();
        for (String first : List.of("region.province", "product.line", "channel.type", "segment.segment")) {
            assertEquals(0, total.compareTo(sum(at(r, first))), first);
        }
        double shares = at(r, "product.line").stream().mapToDouble(Explain.Contributor::share).sum();
        assertEquals(1.0, shares, 1e-9);
        Explain.Contributor topProvince = at(r, "region.province").get(0);
        assertEquals(0, ((BigDecimal) topProvince.contribution()).compareTo(sum(at(r, "region.city"))));
        Explain.Contributor topCity = at(r, "region.city").get(0);
        assertEquals(0, ((BigDecimal) topCity.contribution()).compareTo(sum(at(r, "region.district"))));
    }

    @Test
    void arpuChangeSplitsIntoMixAndRateThatAddUp() {
        Explain.Result r = Explain.run(duck, gen, model, new Explain.Request("arpu", AUG, OCT, null, 2, null));
        double total = (Double) r.totalChange();
        assertEquals((Double) r.after() - (Double) r.before(), total, 1e-12);
        for (String level : List.of("region.province", "product.line", "segment.segment")) {
            double s = at(r, level).stream().mapToDouble(c -> (Double) c.contribution()).sum();
            assertEquals(total, s, 1e-9, level);
            for (Explain.Contributor c : at(r, level)) {
                assertEquals((Double) c.contribution(), c.mix() + c.rate(), 1e-9);
            }
        }
    }

    @Test
    void arpuOnTheTinyFixtureHasHandComputedTotals() {
        Explain.Result r = Explain.run(duck, tiny, model, new Explain.Request("arpu", SEP, OCT, List.of("region"), 1, null));
        assertEquals(89.00 / 4, (Double) r.before(), 1e-9);
        assertEquals(88.60 / 4, (Double) r.after(), 1e-9);
        // (unknown) is new in October: 2.00 of revenue over the 4 October users, all of it mix.
        Explain.Contributor unknown = at(r, "region.province").stream().filter(c -> c.member().equals("(unknown)")).findFirst().orElseThrow();
        assertEquals(2.00 / 4, (Double) unknown.contribution(), 1e-9);
        assertEquals(0.0, unknown.rate(), 1e-12);
    }

    @Test
    void explainRefusesTheTimeDimensionAndUnknownNames() {
        assertThrows(UserError.class, () -> Explain.run(duck, tiny, model, new Explain.Request("revenue", SEP, OCT, List.of("time"), 2, null)));
        UserError e = assertThrows(UserError.class, () -> Explain.run(duck, tiny, model, new Explain.Request("revenu", SEP, OCT, null, 2, null)));
        assertFalse(e.getMessage().isEmpty());
        assertEquals(true, e.getMessage().contains("did you mean 'revenue'"), e.getMessage());
    }
}
