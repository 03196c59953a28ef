package io.tiercube.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Each chart on a tiny input: well-formed SVG, its labels present, its geometry computed by hand. */
class ChartsTest {

    @Test
    void niceScaleEndsOnARoundStepAboveTheData() {
        assertEquals(new Charts.Scale(0, 100, 25), Charts.Scale.nice(0, 100));
        assertEquals(new Charts.Scale(0, 150, 50), Charts.Scale.nice(0, 120));
        assertEquals(new Charts.Scale(-10, 30, 10), Charts.Scale.nice(-10, 30));
        assertEquals(new Charts.Scale(0, 1, 0.25), Charts.Scale.nice(0, 0));
        assertEquals(List.of(0.0, 0.1, 0.2, 0.3, 0.4), Charts.Scale.nice(0, 0.4).ticks());
    }

    @Test
    void barsWithChangeDrawValueBarReferenceTickAndChange() {
        String svg = Charts.barsWithChange("By city", Charts.Unit.MONEY, "Revenue (\u00a5)", "2026-09",
                List.of(new Charts.Bar("Chengdu", 100, 80.0), new Charts.Bar("Mianyang", 50, 50.0)));
        Document d = Xml.parse(svg);
        assertEquals("120", d.getDocumentElement().getAttribute("height"), "28 + 2 rows x 26 + 40");
        List<Element> bars = bars(d, "bar");
        assertRect(bars.get(0), 140, 33, 360, 16);
        assertRect(bars.get(1), 140, 59, 180, 16);
        assertRect(bars(d, "ref").get(0), 426.5, 30, 3, 22); // 140 + 360 * 80 / 100 - 1.5
        List<String> texts = Xml.texts(d);
        assertTrue(texts.containsAll(List.of("Chengdu", "Mianyang", "\u00a5100.00", "\u00a550.00", "+25.0%", "\u00b10.0%",
                "\u00a50", "\u00a525", "\u00a550", "\u00a575", "\u00a5100", "Revenue (\u00a5)", "this month", "2026-09")), texts.toString());
    }

    @Test
    void horizontalBarsDivergeAroundZero() {
        String svg = Charts.horizontalBars("Contributions", Charts.Unit.MONEY, "Change (\u00a5)",
                List.of(new Charts.Bar("up", 30), new Charts.Bar("down", -10)));
        Document d = Xml.parse(svg);
        List<Element> bars = bars(d, "bar");
        assertRect(bars.get(0), 230, 33, 270, 16); // zero at 140 + 360 * 10 / 40
        assertRect(bars.get(1), 140, 59, 90, 16);
        assertEquals(Charts.GREEN, bars.get(0).getAttribute("fill"));
        assertEquals(Charts.RED, bars.get(1).getAttribute("fill"));
        assertTrue(Xml.texts(d).containsAll(List.of("-\u00a510", "\u00a530", "-\u00a510.00", "\u00a530.00")));
    }

    @Test
    void columnsStandOnTheAxisWithTheirValueAbove() {
        String svg = Charts.columns("Trend", Charts.Unit.MONEY, "Revenue (\u00a5)",
                List.of(new Charts.Bar("2026-09", 50), new Charts.Bar("2026-10", 100)));
        Document d = Xml.parse(svg);
        List<Element> bars = bars(d, "bar");
        assertRect(bars.get(0), 120, 113, 168, 85); // slot 280: x = 64 + 0.2 * 280; top = 198 - 170 * 50 / 100
        assertRect(bars.get(1), 400, 28, 168, 170);
        assertTrue(Xml.texts(d).containsAll(List.of("2026-09", "2026-10", "\u00a550.00", "\u00a5100.00")));
    }

    @Test
    void pyramidLayersAreCentredWithWidthProportionalToValue() {
        String svg = Charts.pyramid("Tiers", List.of(new Charts.Layer("gold", 10, "10 customers", null),
                new Charts.Layer("ordinary", 40, "40 customers", null), new Charts.Layer("empty", 0, "0", null)));
        Document d = Xml.parse(svg);
        List<Element> layers = bars(d, "layer");
        assertRect(layers.get(0), 260, 8, 80, 34);
        assertRect(layers.get(1), 140, 52, 320, 34);
        assertRect(layers.get(2), 298, 96, 4, 34); // minimum width keeps an empty tier visible
        assertTrue(Xml.texts(d).containsAll(List.of("gold", "ordinary", "10 customers", "40 customers")));
    }

    @Test
    void funnelJoinsConsecutiveStages() {
        String svg = Charts.funnel("Lifecycle", List.of(new Charts.Layer("A", 40, "40", null), new Charts.Layer("B", 20, "20", null)));
        Document d = Xml.parse(svg);
        Element joint = Xml.all(d, "polygon").get(0);
        assertEquals("140,42 460,42 380,52 220,52", joint.getAttribute("points"));
    }

    @Test
    void lorenzMapsSharesOntoTheSquareWithTheDiagonal() {
        String svg = Charts.lorenz("Lorenz", "Share of customers", "Share of revenue", List.of(new Charts.Series("customers (Gini 0.375)",
                List.of(new double[] {0, 0}, new double[] {0.5, 0.25}, new double[] {1, 1}), Charts.BLUE)));
        Document d = Xml.parse(svg);
        assertEquals("64,356 234,271 404,16", Xml.all(d, "polyline").get(0).getAttribute("points"));
        Element diagonal = Xml.all(d, "line").stream().filter(e -> e.getAttribute("class").equals("diagonal")).findFirst().orElseThrow();
        assertEquals(List.of(64.0, 356.0, 404.0, 16.0), List.of(Xml.attr(diagonal, "x1"), Xml.attr(diagonal, "y1"),
                Xml.attr(diagonal, "x2"), Xml.attr(diagonal, "y2")));
        assertTrue(Xml.texts(d).containsAll(List.of("0%", "25%", "50%", "75%", "100%", "Share of customers", "Share of revenue",
                "customers (Gini 0.375)", "line of equality")));
    }

    @Test
    void calibrationScalesBothAxesToTheLargestValue() {
        String svg = Charts.calibration("Calibration", List.of(new double[] {0.1, 0.05}, new double[] {0.3, 0.4}));
        Document d = Xml.parse(svg);
        List<Element> pts = Xml.all(d, "circle");
        assertEquals(149.0, Xml.attr(pts.get(0), "cx"), 1e-9); // 64 + 340 * 0.1 / 0.4
        assertEquals(313.5, Xml.attr(pts.get(0), "cy"), 1e-9); // 356 - 340 * 0.05 / 0.4
        assertEquals(319.0, Xml.attr(pts.get(1), "cx"), 1e-9);
        assertEquals(16.0, Xml.attr(pts.get(1), "cy"), 1e-9);
        assertTrue(Xml.texts(d).containsAll(List.of("40%", "10%", "perfect calibration", "Observed churn rate")));
    }

    @Test
    void histogramBinsAreContiguousBarsWithMarkers() {
        String svg = Charts.histogram("Risk", "Predicted churn probability", Charts.Unit.FRACTION,
                List.of(new Charts.Bin(0, 0.25, 30), new Charts.Bin(0.25, 0.5, 10), new Charts.Bin(0.5, 0.75, 0), new Charts.Bin(0.75, 1, 5)),
                List.of(new Charts.Marker(0.5, "high")));
        Document d = Xml.parse(svg);
        List<Element> bars = bars(d, "bar");
        assertRect(bars.get(0), 65, 20, 138, 180);
        assertRect(bars.get(1), 205, 140, 138, 60);
        Element marker = Xml.all(d, "line").stream().filter(e -> e.getAttribute("class").equals("marker")).findFirst().orElseThrow();
        assertEquals(344.0, Xml.attr(marker, "x1"), 1e-9);
        assertTrue(Xml.texts(d).containsAll(List.of("30", "10", "5", "high", "0%", "25%", "100%", "Predicted churn probability", "Customers")));
    }

    @Test
    void labelsAreEscapedAndNoWebAddressAppears() {
        String svg = Charts.horizontalBars("R&D <test>", Charts.Unit.COUNT, "rows", List.of(new Charts.Bar("a \"q\" & <odd>", 3)));
        Document d = Xml.parse(svg);
        assertTrue(Xml.texts(d).contains("a \"q\" & <odd>"));
        assertEquals("R&D <test>", d.getElementsByTagName("title").item(0).getTextContent());
        assertFalse(svg.contains("http"));
    }

    private static List<Element> bars(Document d, String cls) {
        return Xml.all(d, "rect").stream().filter(e -> e.getAttribute("class").equals(cls)).toList();
    }

    private static void assertRect(Element r, double x, double y, double w, double h) {
        assertEquals(List.of(x, y, w, h), List.of(Xml.attr(r, "x"), Xml.attr(r, "y"), Xml.attr(r, "width"), Xml.attr(r, "height")),
                r.getAttribute("data-label"));
    }
}
