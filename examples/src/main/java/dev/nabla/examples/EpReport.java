package dev.nabla.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The equilibrium-propagation experiment's tables: Markdown (console, run folder, and the marked
 * section of examples/RESULTS.md, which is replaced and nothing else) and CSV.
 */
final class EpReport {
    static final String BEGIN = "<!-- ep-experiment:begin (written by ./nabla run EpExperiment) -->";
    static final String END = "<!-- ep-experiment:end -->";

    private final Map<EpRun.Setting, List<EpRun.Epoch>> runs;
    private final String sizes;
    private final String command;
    private final double minutes;

    EpReport(Map<EpRun.Setting, List<EpRun.Epoch>> runs, String sizes, String command, double minutes) {
        this.runs = runs;
        this.sizes = sizes;
        this.command = command;
        this.minutes = minutes;
    }

    /** Test accuracy and cos(EP, BP) after each epoch (0: at initialization), one row per setting. */
    List<String> table() {
        int epochs = runs.values().iterator().next().size();
        List<String> t = new ArrayList<>();
        StringBuilder head = new StringBuilder("| setting |"), rule = new StringBuilder("|---|");
        for (int e = 0; e < epochs; e++) {
            head.append(" acc ").append(e).append(" |");
            rule.append("---:|");
        }
        for (int e = 0; e < epochs; e++) {
            head.append(" cos ").append(e).append(" |");
            rule.append("---:|");
        }
        head.append(" angle(B, Wᵀ) | free phases at T1 |");
        rule.append("---:|---:|");
        t.add(head.toString());
        t.add(rule.toString());
        for (var entry : runs.entrySet()) {
            StringBuilder row = new StringBuilder("| ").append(entry.getKey().label()).append(" |");
            for (EpRun.Epoch e : entry.getValue()) row.append(String.format(Locale.ROOT, " %.2f |", 100 * e.testAccuracy()));
            for (EpRun.Epoch e : entry.getValue()) {
                row.append(Double.isNaN(e.cosine()) ? " – |" : String.format(Locale.ROOT, " %.3f |", e.cosine()));
            }
            EpRun.Epoch last = entry.getValue().getLast();
            row.append(String.format(Locale.ROOT, " %.1f° | %.0f%% |", last.feedbackAngle(), 100 * last.unconverged()));
            t.add(row.toString());
        }
        return t;
    }

    /** The section body: setup, command, time, the table, the plot. */
    List<String> section(String png) {
        List<String> s = new ArrayList<>();
        s.add("Command: `" + command + "` (" + String.format(Locale.ROOT, "%.0f", minutes) + " minutes in all).");
        s.add("");
        s.add("Setup: " + sizes + ".");
        s.add("");
        s.add("Scaled down so that the whole grid runs in about a quarter of an hour on 2 CPU cores: the paper trains on all 60,000"
                + " training images and tests on 10,000, for many more epochs (full size: `./nabla run EpExperiment --train 60000"
                + " --test 10000 --epochs 10`, hours on a CPU). Accuracies here are far below the paper's and the trends are over"
                + " few epochs of one seed.");
        s.add("");
        s.add("`acc e`: test accuracy (%) after epoch e (0: at initialization); `cos e`: cosine between the run's EP estimate"
                + " (its own N and β, without the homeostatic term) and the recurrent-backprop gradient, over the recurrent weights,"
                + " on 256 training images at the weights reached after epoch e; `angle(B, Wᵀ)`: between the feedback weights and the"
                + " forward transposes at the end; `free phases at T1`: the fraction of the last epoch's training"
                + " batches whose free phase stopped at the step limit without reaching the residual tolerance.");
        s.add("");
        s.addAll(table());
        s.add("");
        s.addAll(verdict());
        s.add("");
        s.add("![test accuracy and cos(EP, BP) per epoch](" + png + ")");
        return s;
    }

    /**
     * The claim, checked on this run: for each (N, β), does the homeostatic loss (each λ) give a
     * higher cos(EP, BP) and a higher test accuracy than the same EP without it, after the last
     * epoch and on average over the training epochs (one probe batch makes single cosines noisy)?
     */
    List<String> verdict() {
        Map<String, List<EpRun.Epoch>> plain = new java.util.HashMap<>();
        for (var e : runs.entrySet()) if (!e.getKey().bp() && e.getKey().lambda() == 0) plain.put(key(e.getKey()), e.getValue());
        // λ -> {last cos raised, last acc raised, mean cos raised, mean acc raised, pairs}, and the summed changes
        java.util.TreeMap<Double, int[]> wins = new java.util.TreeMap<>();
        java.util.TreeMap<Double, double[]> sums = new java.util.TreeMap<>();
        for (var e : runs.entrySet()) {
            EpRun.Setting s = e.getKey();
            List<EpRun.Epoch> base = plain.get(key(s));
            if (s.bp() || s.lambda() == 0 || base == null) continue;
            List<EpRun.Epoch> with = e.getValue();
            double[] d = {with.getLast().cosine() - base.getLast().cosine(), 100 * (with.getLast().testAccuracy() - base.getLast().testAccuracy()),
                    mean(with, true) - mean(base, true), 100 * (mean(with, false) - mean(base, false))};
            int[] w = wins.computeIfAbsent(s.lambda(), k -> new int[5]);
            double[] sum = sums.computeIfAbsent(s.lambda(), k -> new double[4]);
            for (int i = 0; i < 4; i++) {
                if (d[i] > 0) w[i]++;
                sum[i] += d[i];
            }
            w[4]++;
        }
        List<String> v = new ArrayList<>();
        if (wins.isEmpty()) return v;
        v.add("Homeostasis against the same N and β without it (counts of settings where it is higher; mean change):");
        v.add("");
        v.add("| λ | cos, last epoch | accuracy, last epoch | cos, mean over epochs 1-" + (runs.values().iterator().next().size() - 1)
                + " | accuracy, mean over those epochs |");
        v.add("|---|---:|---:|---:|---:|");
        for (var e : wins.entrySet()) {
            int[] w = e.getValue();
            double[] sum = sums.get(e.getKey());
            v.add(String.format(Locale.ROOT, "| %s | %d of %d (%+.3f) | %d of %d (%+.2f points) | %d of %d (%+.3f) | %d of %d (%+.2f points) |",
                    e.getKey(), w[0], w[4], sum[0] / w[4], w[1], w[4], sum[1] / w[4], w[2], w[4], sum[2] / w[4], w[3], w[4], sum[3] / w[4]));
        }
        return v;
    }

    /** The mean cosine (or test accuracy) over the epochs after initialization. */
    private static double mean(List<EpRun.Epoch> es, boolean cosine) {
        return es.subList(1, es.size()).stream().mapToDouble(e -> cosine ? e.cosine() : e.testAccuracy()).average().orElse(Double.NaN);
    }

    private static String key(EpRun.Setting s) {
        return s.nudges() + "/" + s.beta();
    }

    void write(Path md, String png) {
        List<String> lines = new ArrayList<>();
        lines.add("# Equilibrium propagation without weight symmetry");
        lines.add("");
        lines.addAll(section(png));
        try {
            Files.write(md, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void csv(Path file) {
        List<String> lines = new ArrayList<>();
        lines.add("setting,bp,nudges,beta,lambda,epoch,test_accuracy,cosine,feedback_angle,train_loss,train_accuracy,homeostasis,free_steps,unconverged,seconds");
        for (var entry : runs.entrySet()) {
            EpRun.Setting s = entry.getKey();
            for (EpRun.Epoch e : entry.getValue()) {
                lines.add(String.format(Locale.ROOT, "\"%s\",%b,%d,%s,%s,%d,%.4f,%.5f,%.2f,%.5f,%.4f,%.6f,%.1f,%.3f,%.1f", s.label(), s.bp(),
                        s.nudges(), s.beta(), s.lambda(), e.epoch(), e.testAccuracy(), e.cosine(), e.feedbackAngle(), e.trainLoss(),
                        e.trainAccuracy(), e.homeostasis(), e.meanFreeSteps(), e.unconverged(), e.seconds()));
            }
        }
        try {
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces what lies between the markers in results (appending a section with them if absent); the rest is untouched. */
    void replaceSection(Path results, String png) {
        try {
            String text = Files.readString(results);
            String body = BEGIN + "\n## Equilibrium propagation without weight symmetry (issue 12)\n\n" + String.join("\n", section(png))
                    + "\n" + END;
            int b = text.indexOf(BEGIN), e = text.indexOf(END);
            String updated = b >= 0 && e > b ? text.substring(0, b) + body + text.substring(e + END.length())
                    : text + (text.endsWith("\n") ? "\n" : "\n\n") + body + "\n";
            Files.writeString(results, updated);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
