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
        s.add("`acc e`: test accuracy (%) after epoch e (0: at initialization); `cos e`: cosine between the run's EP estimate"
                + " (its own N and β, without the homeostatic term) and the recurrent-backprop gradient, over the recurrent weights,"
                + " on 256 training images at the weights reached after epoch e; `angle(B, Wᵀ)`: between the feedback weights and the"
                + " forward transposes at the end.");
        s.add("");
        s.addAll(table());
        s.add("");
        s.add("![test accuracy and cos(EP, BP) per epoch](" + png + ")");
        return s;
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
            String body = BEGIN + "\n" + String.join("\n", section(png)) + "\n" + END;
            int b = text.indexOf(BEGIN), e = text.indexOf(END);
            String updated = b >= 0 && e > b ? text.substring(0, b) + body + text.substring(e + END.length())
                    : text + (text.endsWith("\n") ? "\n" : "\n\n") + "## Equilibrium propagation without weight symmetry (issue 12)\n\n" + body + "\n";
            Files.writeString(results, updated);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
