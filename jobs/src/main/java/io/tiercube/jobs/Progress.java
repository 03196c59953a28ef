package io.tiercube.jobs;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long step: a live bar on a terminal; on cron / Airflow logs (no console) a plain
 * line per update, so logs stay readable.
 */
final class Progress implements AutoCloseable {

    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    static Progress start(String task, long total, PrintStream err) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).continuousUpdate();
        if (System.console() != null && System.getenv("NO_COLOR") == null) {
            b.setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setConsumer(new ConsoleProgressBarConsumer(err));
        } else {
            b.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(5000)
                    .setConsumer(new DelegatingProgressBarConsumer(line -> err.println(line.strip())));
        }
        return new Progress(b.build());
    }

    synchronized void step() {
        bar.step();
    }

    @Override
    public void close() {
        bar.close();
    }
}
