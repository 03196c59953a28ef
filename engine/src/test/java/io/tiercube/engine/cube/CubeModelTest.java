package io.tiercube.engine.cube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.UserError;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CubeModelTest {

    static final Path FILE = Path.of("cubes/usage.yaml");

    static UserError bad(String yaml) {
        UserError e = assertThrows(UserError.class, () -> CubeModel.parse(yaml, FILE));
        assertEquals(UserError.Kind.BAD_CONFIG, e.kind());
        assertTrue(e.getMessage().startsWith(FILE.toString()), "names the file: " + e.getMessage());
        return e;
    }

    static String model(String dims, String measures, String aggregates) {
        return "name: usage\ndimensions:\n" + dims + "measures:\n" + measures + "aggregates:\n" + aggregates;
    }

    static final String DIMS = "  region: [province, city]\n  product: [line: service, product]\n";
    static final String MEASURES = "  revenue: {agg: sum, expr: charge}\n  users: {agg: count_distinct, expr: customer_id}\n"
            + "  arpu: {ratio: [revenue, users]}\n";
    static final String AGG = "  - [region, product]\n";

    @Test
    void sampleShapedModelPlansEveryPrefixCombinationOfAGroup() {
        CubeModel m = CubeModel.parse(model(DIMS, MEASURES, AGG), FILE);
        assertEquals(9, m.cuboids().size(), "3 region prefixes x 3 product prefixes");
        assertEquals(0, m.cuboids().get(0).id(), "apex first");
        assertEquals("service", m.level("product.line").column());
        assertEquals(List.of("region.province"), m.defaults().by(), "without defaults: the first level of the first dimension");
    }

    @Test
    void unknownLevelColumnIsNamedWithTheClosestColumn() {
        UserError e = bad(model("  region: [province, citty]\n", MEASURES, AGG));
        assertTrue(e.getMessage().contains("dimensions.region.citty"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown column 'citty'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'city'"), e.getMessage());
    }

    @Test
    void unknownColumnInAMeasureExpressionIsNamed() {
        UserError e = bad(model(DIMS, "  revenue: {agg: sum, expr: chrage * 2}\n", AGG));
        assertTrue(e.getMessage().contains("measures.revenue.expr"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'charge'"), e.getMessage());
    }

    @Test
    void levelNamedTwiceIsRefused() {
        UserError e = bad(model("  region: [province, city, city]\n", MEASURES, AGG));
        assertTrue(e.getMessage().contains("dimensions.region.city: level named twice"), e.getMessage());
    }

    @Test
    void ratioOfAnUnknownMeasureIsRefused() {
        UserError e = bad(model(DIMS, "  revenue: {agg: sum, expr: charge}\n  arpu: {ratio: [revenue, usres]}\n", AGG));
        assertTrue(e.getMessage().contains("measures.arpu.ratio"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown measure 'usres'"), e.getMessage());
    }

    @Test
    void cycleOfRatiosIsRefused() {
        UserError e = bad(model(DIMS, "  revenue: {agg: sum, expr: charge}\n  a: {ratio: [revenue, b]}\n  b: {ratio: [a, revenue]}\n", AGG));
        assertTrue(e.getMessage().contains("cycle: a -> b -> a"), e.getMessage());
    }

    @Test
    void unknownDimensionInAnAggregateGroupIsNamed() {
        UserError e = bad(model(DIMS, MEASURES, "  - [regoin, product]\n"));
        assertTrue(e.getMessage().contains("aggregates[0]"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'region'"), e.getMessage());
    }

    @Test
    void aCustomerAttributeMustComeFromTheCustomerRecord() {
        UserError e = bad(model(DIMS, MEASURES, AGG) + "customer_attributes: [region, product]\n");
        assertTrue(e.getMessage().contains("customer_attributes: dimension product reads service"), e.getMessage());
    }

    @Test
    void unknownTopLevelKeyAndUnknownAggregateAreNamed() {
        assertTrue(bad(model(DIMS, MEASURES, AGG) + "agregates: []\n").getMessage().contains("did you mean 'aggregates'"));
        assertTrue(bad(model(DIMS, "  revenue: {agg: summ, expr: charge}\n", AGG)).getMessage().contains("did you mean 'sum'"));
    }

    @Test
    void sqlInAMeasureExpressionIsRefused() {
        assertTrue(bad(model(DIMS, "  revenue: {agg: sum, expr: \"charge) FROM x; --\"}\n", AGG)).getMessage().contains("measures.revenue.expr"));
        assertTrue(bad(model(DIMS, "  revenue: {agg: sum, expr: \"read_csv('x')\"}\n", AGG)).getMessage().contains("not allowed"));
    }

    @Test
    void duplicateMeasureKeyIsRefusedWithItsLine() {
        UserError e = bad(model(DIMS, "  revenue: {agg: sum, expr: charge}\n  revenue: {agg: count}\n", AGG));
        assertTrue(e.getMessage().contains("named twice"), e.getMessage());
    }

    @Test
    void drillNamesTheClosestLevelAndMeasure() {
        CubeModel m = CubeModel.parse(model(DIMS, MEASURES, AGG), FILE);
        UserError e = assertThrows(UserError.class, () -> m.level("region.cty"));
        assertEquals(UserError.Kind.BAD_QUERY, e.kind());
        assertTrue(e.getMessage().contains("did you mean 'region.city'"), e.getMessage());
        assertTrue(assertThrows(UserError.class, () -> m.measure("arpuu")).getMessage().contains("did you mean 'arpu'"));
        assertTrue(assertThrows(UserError.class, () -> Where.parse("region.ctiy=Chengdu", m)).getMessage()
                .contains("did you mean 'region.city'"));
    }

    @Test
    void whereGrammarReadsLevelsMeasuresAndQuotedValues() {
        CubeModel m = CubeModel.parse(model(DIMS, MEASURES, AGG), FILE);
        Where w = Where.parse("region.city=Chengdu,'Xi an' product.line!=sms revenue>=100.5", m);
        assertEquals(2, w.levels().size());
        assertEquals(List.of("Chengdu", "Xi an"), w.levels().get(0).values());
        assertTrue(w.levels().get(1).negated());
        assertEquals(">=", w.measures().get(0).op());
        assertThrows(UserError.class, () -> Where.parse("region.city=", m));
        assertThrows(UserError.class, () -> Where.parse("region.city>Chengdu", m));
        assertThrows(UserError.class, () -> Where.parse("revenue>=abc", m));
    }
}
