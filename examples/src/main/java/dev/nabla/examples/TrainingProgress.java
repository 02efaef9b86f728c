package dev.nabla.examples;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.Console;
import java.util.Locale;

/**
 * One progress bar per epoch (me.tongfei:progressbar): examples done of the epoch, examples per
 * second, and the batch and running loss as its message. On a terminal it redraws in place; when
 * the output is a log (CI, a pipe) it prints a plain line every few seconds instead of carriage
 * returns.
 */
final class TrainingProgress implements AutoCloseable {
    private final ProgressBar bar;
    private final long batches;

    TrainingProgress(int epoch, int epochs, long examples, long batches) {
        this.batches = batches;
        Console c = System.console();
        boolean terminal = c != null && c.isTerminal();
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(String.format(Locale.ROOT, "   epoch %d/%d", epoch, epochs))
                .setInitialMax(examples)
                .setUnit(" img", 1)
                .showSpeed()
                .setMaxRenderedLength(120)
                .setStyle(ProgressBarStyle.ASCII);
        if (terminal) {
            b.setUpdateIntervalMillis(200);
        } else {
            // a log gets one plain line every few seconds, and never the same line twice (the final
            // state is rendered both by the last step and by close())
            String[] last = {null};
            b.setUpdateIntervalMillis(5_000).setConsumer(new DelegatingProgressBarConsumer(line -> {
                if (!line.equals(last[0])) System.out.println(line);
                last[0] = line;
            }, 120));
        }
        bar = b.build();
    }

    /** A batch of n examples is done; the loss shown is the epoch's running mean. */
    void step(long batch, long n, double runningLoss) {
        bar.setExtraMessage(String.format(Locale.ROOT, " batch %d/%d loss %.4f", batch, batches, runningLoss));
        bar.stepBy(n);
    }

    @Override
    public void close() {
        bar.close();
    }
}
