package io.tiercube.engine.report;

import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;

/**
 * What {@link Report#write} produced.
 *
 * @param month the month reported
 * @param dir the directory holding the three files
 * @param html {@code index.html}, the self-contained page
 * @param markdown {@code report.md}
 * @param summaryJson {@code summary.json}
 * @param summary three lines of plain text for a console or a chat message: revenue and users;
 *        churn and the biggest mover; data quality and the run
 */
public record ReportResult(YearMonth month, Path dir, Path html, Path markdown, Path summaryJson, List<String> summary) {

    public ReportResult {
        summary = List.copyOf(summary);
    }
}
