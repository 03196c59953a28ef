package io.tiercube.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the report in headless Chromium (Debian package {@code chromium}): no console errors, every
 * section and chart in the rendered DOM, and a screenshot kept under {@code target/} for people to
 * look at ({@code report.png}: every section filled; {@code report-fixture.png}: the small warehouse).
 *
 * <p>Skipped, saying so, only on a developer machine without {@code /usr/bin/chromium}; when the
 * environment variable {@code CI} is set a missing browser fails the test.
 */
class ReportBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path TARGET = Path.of("target").toAbsolutePath();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void needsChromium() {
        boolean present = Files.isExecutable(CHROMIUM);
        if (!present && System.getenv("CI") == null) {
            Assumptions.abort("skipped: " + CHROMIUM + " is not installed (apt-get install -y chromium); in CI (CI set) this test fails instead");
        }
        assertTrue(present, CHROMIUM + " is missing: CI must install the Debian package 'chromium' (see .ci/run)");
    }

    @Test
    void fullReportRendersEverySectionWithoutConsoleErrors() throws Exception {
        Path dir = TARGET.resolve("report-browser/full");
        Files.createDirectories(dir);
        ReportData data = ReportSamples.full();
        Path html = dir.resolve("index.html");
        Files.writeString(html, HtmlReport.render(data, Report.summaryLines(data)), StandardCharsets.UTF_8);
        String dom = dumpDom(html);
        for (String id : HtmlReport.SECTION_IDS) {
            assertTrue(dom.contains("<section id=\"" + id + "\">"), "section " + id + " in the rendered DOM");
        }
        // trend + 3 breakdowns + contributors + pyramid + target + funnel + histogram + calibration + lorenz + reject reasons
        assertEquals(12, count(dom, "<svg class=\"chart"), "every chart rendered");
        assertFalse(dom.contains("class=\"absent\""), "no section left without data");
        screenshot(html, TARGET.resolve("report.png"));
    }

    @Test
    void reportFromAWarehouseRendersAndIsScreenshotted() throws Exception {
        Warehouse wh = ReportFixture.build(tmp.resolve("wh"));
        ReportResult r;
        try (Backend duck = Engine.DUCKDB.open(Engine.Options.defaults())) {
            ReportFixture.profiles(duck, wh);
            ReportFixture.cube(duck, wh);
            ReportFixture.churn(wh);
            r = Report.write(duck, wh, YearMonth.of(2026, 10), TARGET.resolve("report-browser/fixture"));
        }
        String dom = dumpDom(r.html());
        for (String id : HtmlReport.SECTION_IDS) {
            assertTrue(dom.contains("<section id=\"" + id + "\">"), "section " + id);
        }
        assertTrue(dom.contains("Chengdu"));
        assertEquals(12, count(dom, "<svg class=\"chart"), "every chart rendered");
        assertFalse(dom.contains("class=\"absent\""), "no section left without data");
        screenshot(r.html(), TARGET.resolve("report-fixture.png"));
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /** The DOM after rendering; fails on any console error the page logs. */
    private static String dumpDom(Path html) throws Exception {
        Run run = chromium(html, "--dump-dom", "--enable-logging=stderr", "--v=0");
        List<String> errors = new ArrayList<>();
        for (String line : run.err().split("\n")) {
            if (line.contains("Uncaught") || line.contains("ERROR:CONSOLE")) {
                errors.add(line);
            }
        }
        assertEquals(List.of(), errors, "console errors");
        assertTrue(run.out().contains("</html>"), "chromium printed the DOM; stderr: " + tail(run.err()));
        return run.out();
    }

    private static void screenshot(Path html, Path png) throws Exception {
        Files.deleteIfExists(png);
        Run run = chromium(html, "--screenshot=" + png, "--window-size=1200,2000");
        assertTrue(Files.size(png) > 10_000, "screenshot written to " + png + "; stderr: " + tail(run.err()));
    }

    record Run(String out, String err) {
    }

    private static Run chromium(Path html, String... extra) throws Exception {
        Path profile = Files.createTempDirectory(tmp, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--no-first-run", "--hide-scrollbars", "--user-data-dir=" + profile));
        cmd.addAll(List.of(extra));
        cmd.add(html.toUri().toString());
        Path out = tmp.resolve("chromium-" + System.nanoTime() + ".out");
        Path err = tmp.resolve("chromium-" + System.nanoTime() + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s: " + String.join(" ", cmd));
        }
        return new Run(Files.readString(out), Files.readString(err));
    }

    private static String tail(String s) {
        return s.length() <= 2000 ? s : s.substring(s.length() - 2000);
    }
}
