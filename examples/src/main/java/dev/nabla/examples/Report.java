package dev.nabla.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The run's short Markdown report: what was trained on what, how it went, and the files beside it. */
final class Report {
    private Report() {}

    record Setup(String device, String data, String model, long parameters, String optimizer, int epochs, int batchSize,
                 long seed, String command) {}

    /** A titled block of the console's lines (kept as preformatted text), with an optional image beside the report. */
    record Section(String title, List<String> lines, String image) {}

    static void write(Path md, Setup s, Training.History h, double trainSeconds, List<String> curvature, List<Section> sections,
                      List<String> files) {
        StringBuilder r = new StringBuilder();
        Training.Epoch last = h.last();
        r.append("# nabla tour: Fashion-MNIST MLP\n\n");
        r.append(String.format(Locale.ROOT, "**Test accuracy %.2f%%** (test loss %.4f) after %d epochs, %.1f s of training on %s.%n%n",
                100 * last.testAccuracy(), last.testLoss(), s.epochs(), trainSeconds, s.device()));
        r.append("| | |\n|---|---|\n");
        row(r, "command", "`" + s.command() + "`");
        row(r, "data", s.data());
        row(r, "model", "`" + s.model() + "` (" + s.parameters() + " parameters, PyTorch's default initialization)");
        row(r, "loss", "cross-entropy from logits");
        row(r, "optimizer", s.optimizer());
        row(r, "batches", s.batchSize() + " examples, shuffled with seed " + s.seed());
        row(r, "device", s.device());
        r.append("\n## Epochs\n\n");
        r.append("| epoch | learning rate | train loss | train accuracy | test loss | test accuracy | seconds | examples/s |\n");
        r.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Training.Epoch e : h.epochs()) {
            r.append(String.format(Locale.ROOT, "| %d | %.2e | %.4f | %.2f%% | %.4f | %.2f%% | %.1f | %.0f |%n", e.epoch(),
                    e.learningRate(), e.trainLoss(), 100 * e.trainAccuracy(), e.testLoss(), 100 * e.testAccuracy(), e.seconds(),
                    e.examplesPerSecond()));
        }
        if (!curvature.isEmpty()) {
            r.append("\n## Curvature at the trained weights\n\n");
            for (String c : curvature) r.append("- ").append(c).append('\n');
        }
        for (Section section : sections) {
            r.append("\n## ").append(section.title()).append("\n\n```text\n");
            for (String l : section.lines()) r.append(l).append('\n');
            r.append("```\n");
            if (section.image() != null) r.append("\n![").append(section.title()).append("](").append(section.image()).append(")\n");
        }
        r.append("\n## Files\n\n");
        for (String f : files) r.append("- ").append(f).append('\n');
        r.append("\n![loss and accuracy](training.png)\n");
        try {
            Files.writeString(md, r.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void row(StringBuilder r, String k, String v) {
        r.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n");
    }
}
