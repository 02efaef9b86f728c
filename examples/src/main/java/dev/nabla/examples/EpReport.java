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
        head.append(" angle(B, Wᵀ) |");
        rule.append("---:|");
        t.add(head.toString());
        t.add(rule.toString());
        for (var entry : runs.entrySet()) {
            StringBuilder row = new StringBuilder("| ").append(entry.getKey().label()).append(" |");
            for (EpRun.Epoch e : entry.getValue()) row.append(String.format(Locale.ROOT, " %.2f |", 100 * e.testAccuracy()));
            for (EpRun.Epoch e : entry.getValue()) {
                row.append(Double.isNaN(e.cosine()) ? " – |" : String.format(Locale.ROOT, " %.3f |", e.cosine()));
            }
            row.append(String.format(Locale.ROOT, " %.1f° |", entry.getValue().getLast().feedbackAngle()));
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
                + " forward transposes at the end.");
        s.add("");
        s.addAll(table());
        s.add("");
        s.addAll(verdict());
        s.add("");
        s.add("![test accuracy and cos(EP, BP) per epoch](" + png + ")");
        return s;
    }

    /**
     * The claim, checked on this run: for each (N, β), does the homeostatic loss (each λ) end with a
     * higher cos(EP, BP) and a higher test accuracy than the same EP without it?
     */
    List<String> verdict() {
        Map<String, List<EpRun.Epoch>> plain = new java.util.HashMap<>();
        java.util.TreeMap<Double, int[]> wins = new java.util.TreeMap<>();   // λ -> {cos raised, acc raised, pairs}
        java.util.TreeMap<Double, double[]> sums = new java.util.TreeMap<>(); // λ -> {Σ Δcos, Σ Δacc}
        for (var e : runs.entrySet()) if (!e.getKey().bp() && e.getKey().lambda() == 0) plain.put(key(e.getKey()), e.getValue());
        for (var e : runs.entrySet()) {
            EpRun.Setting s = e.getKey();
            List<EpRun.Epoch> base = plain.get(key(s));
            if (s.bp() || s.lambda() == 0 || base == null) continue;
            EpRun.Epoch with = e.getValue().getLast(), without = base.getLast();
            int[] w = wins.computeIfAbsent(s.lambda(), k -> new int[3]);
            double[] d = sums.computeIfAbsent(s.lambda(), k -> new double[2]);
            if (with.cosine() > without.cosine()) w[0]++;
            if (with.testAccuracy() > without.testAccuracy()) w[1]++;
            w[2]++;
            d[0] += with.cosine() - without.cosine();
            d[1] += 100 * (with.testAccuracy() - without.testAccuracy());
        }
        List<String> v = new ArrayList<>();
        if (wins.isEmpty()) return v;
        StringBuilder sb = new StringBuilder("Homeostasis against the same N and β without it, after the last epoch:");
        for (var e : wins.entrySet()) {
            int[] w = e.getValue();
            double[] d = sums.get(e.getKey());
            sb.append(String.format(Locale.ROOT, " λ = %s raised cos(EP, BP) in %d of %d settings (mean change %+.3f) and test accuracy in"
                    + " %d of %d (mean change %+.2f points);", e.getKey(), w[0], w[2], d[0] / w[2], w[1], w[2], d[1] / w[2]));
        }
        sb.setCharAt(sb.length() - 1, '.');
        v.add(sb.toString());
        return v;
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
