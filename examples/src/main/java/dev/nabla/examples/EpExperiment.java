package dev.nabla.examples;

import dev.nabla.Device;
import dev.nabla.Tensor;
import dev.nabla.algo.EquilibriumNetwork;
import dev.nabla.data.Batch;
import dev.nabla.data.Dataset;
import dev.nabla.data.Mnist;
import dev.nabla.data.TensorDataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * The experiment of issue 12, after Laborieux and Zenke (ICLR 2024): on Fashion-MNIST, an MLP
 * 784-256-256-10 (sigmoid, independent feedback weights) trained by equilibrium propagation with
 * N ∈ {1, 2, 4} nudges at β ∈ {0.05, 0.5}, each without and with the homeostatic loss
 * (λ = 0.1 and 1.0), and by recurrent backprop as the reference; per epoch, test accuracy and the
 * cosine between EP's estimate and the BP gradient. Writes a table (Markdown and CSV) and a plot
 * into a run folder, and the table into examples/RESULTS.md.
 *
 * <pre>{@code
 * ./nabla run EpExperiment            # the grid as recorded in examples/RESULTS.md (scaled down: 3,000 images, 3 epochs)
 * ./nabla run EpExperiment --train 60000 --test 10000 --epochs 10   # full size (hours on a CPU)
 * ./nabla run EpExperiment --quick    # two settings, a few hundred images: a smoke test
 * }</pre>
 *
 * Options: --epochs E, --train N (training images, the first N of the set), --test M, --batch B,
 * --optimizer sgd|adam, --lr X, --momentum M (SGD), --t1 T, --t2 T, --activation sigmoid|steep-sigmoid,
 * --step-size DT, --per-dimension true|false, --seed S, --lambdas a,b, --data DIR, --subset, --out DIR,
 * --only REGEX (the settings whose label matches, e.g. 'BP|N=4'), --results FILE (default
 * examples/RESULTS.md, created if absent; only this program's marked section is replaced; "none" to skip).
 */
public final class EpExperiment {

    private boolean quick;
    private boolean subset;
    // the default run is scaled down to finish the grid (19 runs) in about 15 minutes on 2 cores;
    // the paper's size: --train 60000 --test 10000 --epochs 10 (or more)
    private int epochs = 3;
    private int trainSize = 3000;
    private int testSize = 1000;
    private int batch = 50;
    private double lr = 1e-3;
    private boolean sgd = false;
    private double momentum = 0.9;
    private double stepSize = 1;
    private boolean perDimension = true;
    private int t1 = 150;
    private int t2 = 20;
    private long seed = 1;
    private double[] lambdas = {0.1, 1.0};
    private Path data;
    private Path out = Path.of("runs");
    // ./nabla run passes the repository root, so the default works from any directory
    private String results = Path.of(System.getProperty("nabla.root", ".")).resolve("examples/RESULTS.md").toString();
    private java.util.regex.Pattern only;
    private EquilibriumNetwork.Activation activation = EquilibriumNetwork.Activation.STEEP_SIGMOID;
    private final List<String> args = new ArrayList<>();

    public static void main(String[] argv) {
        System.setProperty("java.awt.headless", "true");
        EpExperiment x = new EpExperiment();
        if (!x.parse(argv)) {
            System.err.println("usage: ./nabla run EpExperiment [--quick] [--epochs E] [--train N] [--test M] [--batch B] [--optimizer sgd|adam] [--lr X] [--momentum M]"
                    + " [--t1 T] [--t2 T] [--seed S] [--lambdas a,b] [--only REGEX] [--activation sigmoid|steep-sigmoid] [--step-size DT] [--per-dimension true|false] [--data DIR] [--subset] [--out DIR] [--results FILE|none]");
            System.exit(2);
        }
        x.run();
    }

    private boolean parse(String[] argv) {
        try {
            for (int i = 0; i < argv.length; i++) {
                args.add(argv[i]);
                switch (argv[i]) {
                    case "--quick" -> { quick = true; continue; }
                    case "--subset" -> { subset = true; continue; }
                    default -> { }
                }
                if (i + 1 >= argv.length) return false;
                String v = argv[++i];
                args.add(v);
                switch (argv[i - 1]) {
                    case "--epochs" -> epochs = Integer.parseInt(v);
                    case "--train" -> trainSize = Integer.parseInt(v);
                    case "--test" -> testSize = Integer.parseInt(v);
                    case "--batch" -> batch = Integer.parseInt(v);
                    case "--lr" -> lr = Double.parseDouble(v);
                    case "--optimizer" -> {
                        if (!v.equals("sgd") && !v.equals("adam")) return false;
                        sgd = v.equals("sgd");
                    }
                    case "--momentum" -> momentum = Double.parseDouble(v);
                    case "--step-size" -> stepSize = Double.parseDouble(v);
                    case "--per-dimension" -> perDimension = Boolean.parseBoolean(v);
                    case "--t1" -> t1 = Integer.parseInt(v);
                    case "--t2" -> t2 = Integer.parseInt(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--lambdas" -> lambdas = java.util.Arrays.stream(v.split(",")).mapToDouble(Double::parseDouble).toArray();
                    case "--data" -> data = Path.of(v);
                    case "--out" -> out = Path.of(v);
                    case "--results" -> results = v;
                    case "--only" -> only = java.util.regex.Pattern.compile(v);
                    case "--activation" -> activation = EquilibriumNetwork.Activation.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_'));
                    default -> { return false; }
                }
            }
        } catch (IllegalArgumentException e) {   // a bad number or activation name
            return false;
        }
        return epochs > 0 && trainSize > 0 && testSize > 0 && batch > 0 && lr > 0 && t1 > 0 && t2 > 0;
    }

    private List<EpRun.Setting> grid() {
        List<EpRun.Setting> g = new ArrayList<>();
        g.add(EpRun.Setting.backprop());
        if (quick) {
            g.add(new EpRun.Setting(false, 2, 0.5, 0));
            g.add(new EpRun.Setting(false, 2, 0.5, 1.0));
            return g;
        }
        for (double beta : new double[] {0.05, 0.5}) {
            for (int n : new int[] {1, 2, 4}) {
                g.add(new EpRun.Setting(false, n, beta, 0));
                for (double l : lambdas) g.add(new EpRun.Setting(false, n, beta, l));
            }
        }
        if (only != null) g.removeIf(s -> !only.matcher(s.label()).find());
        return g;
    }

    private void run() {
        long start = System.nanoTime();
        if (quick) {
            epochs = Math.min(epochs, 2);
            trainSize = Math.min(trainSize, 500);
            testSize = Math.min(testSize, 500);
        }
        Device device = Device.defaultDevice();
        EpRun.Config config = new EpRun.Config(activation, stepSize, t1, t2, 1e-4, sgd, lr, momentum, batch, epochs, seed, 5, perDimension);
        Path folder = runFolder();
        try (FashionMnistSource source = FashionMnistSource.load(data, quick || subset)) {
            int nTrain = (int) Math.min(trainSize, source.train().size()), nTest = (int) Math.min(testSize, source.test().size());
            Dataset train = first(source.train(), nTrain), test = first(source.test(), nTest);
            List<EpRun.Setting> settings = grid();
            String sizes = String.format(Locale.ROOT, "Fashion-MNIST, the first %d training and %d test images (%s), MLP 784-256-256-10, %d epochs, %s, on %s",
                    nTrain, nTest, source.description(), epochs, config.describe(), device);
            System.out.println("Equilibrium propagation without weight symmetry: " + settings.size() + " runs");
            System.out.println("  " + sizes);
            Map<EpRun.Setting, List<EpRun.Epoch>> all = new LinkedHashMap<>();
            try (Batch probe = source.train().dataset().get(LongStream.range(0, 256).toArray())) {
                for (EpRun.Setting s : settings) {
                    long t0 = System.nanoTime();
                    all.put(s, EpRun.train(s, config, train, test, probe, device, new ConsoleProgress()));
                    System.out.printf(Locale.ROOT, "  %s: %.0f s%n", s.label(), (System.nanoTime() - t0) / 1e9);
                }
            }
            double minutes = (System.nanoTime() - start) / 60e9;
            EpReport report = new EpReport(all, sizes, "./nabla run EpExperiment" + (args.isEmpty() ? "" : " " + String.join(" ", args)), minutes);
            List<String> table = report.table();
            System.out.println();
            table.forEach(System.out::println);
            Path png = folder.resolve("ep-experiment.png");
            EpPlot.write(png, all);
            report.write(folder.resolve("ep-experiment.md"), "ep-experiment.png");
            report.csv(folder.resolve("ep-experiment.csv"));
            System.out.println("\nRun folder: " + folder.toAbsolutePath());
            if (!quick && !"none".equals(results)) {
                createIfAbsent(Path.of(results));
                Path copy = Path.of(results).resolveSibling("ep-experiment.png");
                copyFile(png, copy);
                report.replaceSection(Path.of(results), copy.getFileName().toString());
                System.out.println("Updated " + results + " and " + copy);
            }
        }
    }

    /** The first n examples of a split, as a dataset over views (no copy). */
    private static Dataset first(Mnist m, int n) {
        Tensor x = m.images().narrow(0, 0, n), y = m.labels().narrow(0, 0, n);
        return new TensorDataset(x, y);
    }

    private Path runFolder() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path folder = out.resolve("ep-" + stamp);
        for (int k = 2; Files.exists(folder); k++) folder = out.resolve("ep-" + stamp + "-" + k);
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run folder " + folder, e);
        }
    }

    /** A results file shared by the examples' programs, each writing its own marked section. */
    private static void createIfAbsent(Path results) {
        try {
            if (!Files.exists(results)) Files.writeString(results, "# nabla examples: results\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + results, e);
        }
    }

    private static void copyFile(Path from, Path to) {
        try {
            Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line per epoch and every few seconds within one. */
    private static final class ConsoleProgress implements EpRun.Progress {
        private long last = System.nanoTime();

        @Override
        public void batch(EpRun.Setting s, int epoch, int batch, long batches) {
            if (System.nanoTime() - last > 20e9) {
                System.out.printf(Locale.ROOT, "    %s epoch %d: batch %d/%d%n", s.label(), epoch, batch, batches);
                last = System.nanoTime();
            }
        }

        @Override
        public void epoch(EpRun.Setting s, EpRun.Epoch e) {
            System.out.printf(Locale.ROOT, "    %-28s epoch %d  test acc %5.2f%%  cos(EP, BP) %s  feedback angle %4.1f°%s%n", s.label(),
                    e.epoch(), 100 * e.testAccuracy(), Double.isNaN(e.cosine()) ? "  -   " : String.format(Locale.ROOT, "%6.3f", e.cosine()),
                    e.feedbackAngle(), e.epoch() == 0 ? "" : String.format(Locale.ROOT, "  train loss %.3f  free steps %.0f (%.0f%% at T1)  (%.0f s)",
                            e.trainLoss(), e.meanFreeSteps(), 100 * e.unconverged(), e.seconds()));
            last = System.nanoTime();
        }
    }
}
