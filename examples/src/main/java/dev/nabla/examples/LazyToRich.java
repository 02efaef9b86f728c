package dev.nabla.examples;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.algo.EmpiricalNtk;
import dev.nabla.algo.KernelAlignment;
import dev.nabla.algo.SymmetricEigen;
import dev.nabla.autodiff.Autodiff;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Grokking as the transition from lazy to rich training (Kumar, Bordelon, Gershman and Pehlevan,
 * ICLR 2024), watched through the empirical NTK. A two-layer network
 * f(x) = (α/N) Σᵢ φ(wᵢ·x), φ(h) = h + (ε/2)h², learns the quadratic target y = ½(β·x)² from
 * P = 550 points x ~ N(0, I/D), D = 100, N = 500 hidden units, ε = 0.02, by full-batch gradient
 * descent on ½·mean (f − f₀ − y)² (the output centred on its initial value f₀, so every run starts
 * from the zero function). Only the first layer W [N, D] is trained; wᵢ ~ N(0, I), so hᵢ = wᵢ·x is
 * about N(0, 1) and the initial NTK is nearly the linear kernel x·x′, misaligned with the target.
 *
 * <p>The learning rate is η = 1.5 P / λ_max(Θ₀), with Θ₀ the empirical NTK on the training set at
 * initialization (computed by {@link EmpiricalNtk}, its top eigenvalue by {@link SymmetricEigen}):
 * the stiffest direction of the linearized dynamics relaxes at 1.5 per step, the same for every α,
 * and since Θ₀ ∝ α², η ∝ 1/α². α sets the laziness: the function moves at a rate independent of
 * α, the weights at a rate ∝ 1/α. Along the way the centred NTK–label alignment
 * ({@link KernelAlignment}) of Θ_t on the training set shows the kernel learning the task.
 *
 * <pre>
 * ./nabla run LazyToRich           # the two runs (a few minutes): examples/lazy-to-rich.png and the table in examples/RESULTS.md
 * ./nabla run LazyToRich --quick   # the tour's smaller version into runs/; --out DIR for another folder (nothing recorded)
 * ./nabla run LazyToRich --alpha 3,10 --steps 30000,60000   # other α (lazier: a longer lag, a kernel that moves less), into runs/
 * </pre>
 */
public final class LazyToRich {

    /** The problem (the sizes), the two α, steps per run and the NTK checkpoints per run. */
    record Setup(int d, int p, int n, double eps, int testPoints, double[] alphas, int[] steps, int checkpoints, double rate,
                 long seed) {}

    /** One evaluation: losses (½·mean squared error) and, at NTK checkpoints, the alignment (else NaN). */
    record Point(long step, double trainLoss, double testLoss, double alignment) {}

    /** One training run. */
    record Run(double alpha, double eta, double lambdaMax, List<Point> history, double seconds) {
        Point first() { return history.getFirst(); }
        Point last() { return history.getLast(); }

        /** The first evaluated step at which the loss (train or test) fell below fraction of its initial value, or -1. */
        long stepBelow(boolean train, double fraction) {
            double start = train ? first().trainLoss() : first().testLoss();
            for (Point q : history) if ((train ? q.trainLoss() : q.testLoss()) < fraction * start) return q.step();
            return -1;
        }

        List<Point> aligned() {
            return history.stream().filter(q -> !Double.isNaN(q.alignment())).toList();
        }
    }

    /**
     * The sizes, or for the tour's quick pass the same problem at half the dimension,
     * points and width (D = 50, P = 275, N = 250: the same P/D and N/D, so the same phases, each
     * step four times cheaper) and fewer steps and kernels.
     */
    static Setup setup(boolean quick) {
        return quick ? new Setup(50, 275, 250, 0.02, 1000, new double[] {0.1, 1}, new int[] {200, 1000}, 3, 1.5, 11)
                : new Setup(100, 550, 500, 0.02, 2000, new double[] {0.1, 1}, new int[] {1500, 10000}, 12, 1.5, 11);
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        List<String> argList = List.of(args);
        boolean quick = argList.contains("--quick");
        int at = argList.indexOf("--out");
        // the full run with no --out is the recorded one: plot and table into examples/ (the launcher
        // passes the repository root, so it works from any directory); --alpha or --steps runs are not recorded
        Setup base = setup(quick), s = withOverrides(base, argList);
        boolean record = !quick && at < 0 && s == base;
        Path root = Path.of(System.getProperty("nabla.root", "."));
        Path folder = at >= 0 && at + 1 < args.length ? Path.of(args[at + 1]) : record ? root.resolve("examples") : Path.of("runs");
        Device device = Device.defaultDevice();
        System.out.println("Lazy to rich: " + describe(s));
        long t0 = System.nanoTime();
        List<Run> runs = run(s, device);
        for (String line : table(runs)) System.out.println("  " + line);
        try {
            java.nio.file.Files.createDirectories(folder);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + folder, e);
        }
        Path png = folder.resolve("lazy-to-rich.png");
        LazyToRichPlot.write(png, runs, s);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "  plot %s (%.1f s in all)%n", png.toAbsolutePath(), seconds);
        for (String line : summary(runs)) System.out.println("  " + line);
        if (record) {
            Path results = root.resolve("examples").resolve("RESULTS.md");
            writeSection(results, section(s, runs, device, seconds));
            System.out.println("  table in " + results.toAbsolutePath());
        }
    }

    /** --alpha A,B and --steps S1,S2 replace the two α and their step counts (such runs are not recorded). */
    static Setup withOverrides(Setup s, List<String> args) {
        int a = args.indexOf("--alpha"), n = args.indexOf("--steps");
        if (a < 0 && n < 0) return s;
        double[] alphas = a < 0 ? s.alphas() : java.util.Arrays.stream(args.get(a + 1).split(",")).mapToDouble(Double::parseDouble).toArray();
        int[] steps = n < 0 ? s.steps() : java.util.Arrays.stream(args.get(n + 1).split(",")).mapToInt(Integer::parseInt).toArray();
        if (alphas.length != steps.length) throw new IllegalArgumentException("LazyToRich: --alpha and --steps need as many values");
        return new Setup(s.d(), s.p(), s.n(), s.eps(), s.testPoints(), alphas, steps, s.checkpoints(), s.rate(), s.seed());
    }

    static final String BEGIN = "<!-- lazy-to-rich:begin -->", END = "<!-- lazy-to-rich:end -->";

    /** This demo's section of examples/RESULTS.md, between its markers. */
    static String section(Setup s, List<Run> runs, Device device, double seconds) {
        StringBuilder md = new StringBuilder(BEGIN).append('\n');
        md.append("## Lazy to rich: the empirical NTK during grokking (issue 11)\n\n");
        md.append(String.format(Locale.ROOT, "`./nabla run LazyToRich`, %s, %s, %d cores, device %s, %.0f s in all. ",
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
                "JDK " + Runtime.version(), Runtime.getRuntime().availableProcessors(), device, seconds));
        md.append(describe(s)).append(" (Kumar et al., ICLR 2024). Loss is ½·mean squared error of the centred output ")
          .append("f − f₀ on the ").append(s.p()).append(" training and ").append(s.testPoints()).append(" test points; ")
          .append("the alignment is the centred kernel–label alignment of the empirical NTK Θ_t on the training set.\n\n");
        md.append("| α | η | train < 10% at step | test < 10% at step | lag | final train loss | final test loss | NTK–label alignment, first → last |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Run r : runs) {
            long train = r.stepBelow(true, 0.1), test = r.stepBelow(false, 0.1);
            List<Point> a = r.aligned();
            md.append(String.format(Locale.ROOT, "| %s | %.3g | %s | %s | %s | %.2e | %.2e | %.4f → %.4f (%+.0f%%) |%n", trim(r.alpha()), r.eta(),
                    train < 0 ? "-" : Long.toString(train), test < 0 ? "-" : Long.toString(test),
                    train > 0 && test > 0 ? String.format(Locale.ROOT, "%.1f×", (double) test / train) : "-",
                    r.last().trainLoss(), r.last().testLoss(), a.getFirst().alignment(), a.getLast().alignment(),
                    100 * (a.getLast().alignment() / a.getFirst().alignment() - 1)));
        }
        md.append("\n![train and test loss and NTK–label alignment against the step, per α](lazy-to-rich.png)\n\n");
        for (String line : summary(runs)) md.append(line).append('\n');
        md.append(END).append('\n');
        return md.toString();
    }

    /**
     * What the runs show, in words from their numbers: for the lazier run (the largest α) when the
     * train and the test loss fell below 10% of their start, and the alignment at those steps.
     */
    static List<String> summary(List<Run> runs) {
        Run lazy = runs.getFirst(), rich = runs.getFirst();
        for (Run r : runs) {
            if (r.alpha() > lazy.alpha()) lazy = r;
            if (r.alpha() < rich.alpha()) rich = r;
        }
        long train = lazy.stepBelow(true, 0.1), test = lazy.stepBelow(false, 0.1);
        List<String> out = new ArrayList<>();
        if (train < 0 || test < 0) {
            out.add(String.format(Locale.ROOT, "In the lazier run (α = %s) the %s loss never fell below 10%% of its start in %d steps.",
                    trim(lazy.alpha()), train < 0 ? "train" : "test", lazy.last().step()));
            return out;
        }
        out.add(String.format(Locale.ROOT, "In the lazier run (α = %s) the train loss is below 10%% of its start by step %d, the test loss"
                        + " only by step %d (%.1f× later; α = %s: %.1f×); meanwhile the NTK–label alignment rises from %.4f (step %d)"
                        + " to %.4f (step %d) and %.4f at the end, against %.4f → %.4f in the richer run, whose kernel moves more.",
                trim(lazy.alpha()), train, test, (double) test / train, trim(rich.alpha()),
                rich.stepBelow(false, 0.1) > 0 && rich.stepBelow(true, 0.1) > 0
                        ? (double) rich.stepBelow(false, 0.1) / rich.stepBelow(true, 0.1) : Double.NaN,
                alignmentAt(lazy, train, false).alignment(), alignmentAt(lazy, train, false).step(),
                alignmentAt(lazy, test, true).alignment(), alignmentAt(lazy, test, true).step(), lazy.aligned().getLast().alignment(),
                rich.aligned().getFirst().alignment(), rich.aligned().getLast().alignment()));
        return out;
    }

    /** The last NTK checkpoint at or before step, or (after) the first at or after it. */
    private static Point alignmentAt(Run r, long step, boolean after) {
        List<Point> a = r.aligned();
        if (after) return a.stream().filter(q -> q.step() >= step).findFirst().orElse(a.getLast());
        Point at = a.getFirst();
        for (Point q : a) if (q.step() <= step) at = q;
        return at;
    }

    /** Replaces this demo's marked section of file (or appends it; a missing file gets a header). */
    static void writeSection(Path file, String section) {
        try {
            String text = java.nio.file.Files.exists(file) ? java.nio.file.Files.readString(file) : "# nabla examples: results\n";
            int b = text.indexOf(BEGIN), e = text.indexOf(END);
            if (b >= 0 && e > b) {
                int after = text.indexOf('\n', e);
                text = text.substring(0, b) + section + (after < 0 ? "" : text.substring(after + 1));
            } else {
                text = text + (text.endsWith("\n\n") ? "" : "\n") + section;
            }
            java.nio.file.Files.writeString(file, text);
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException("cannot write " + file, ex);
        }
    }

    static String describe(Setup s) {
        return String.format(Locale.ROOT, "f(x) = (α/N) Σ φ(w·x), φ(h) = h + (ε/2)h², D = %d, P = %d, N = %d, ε = %s, target ½(β·x)²,"
                + " GD with η = %.1f P/λ_max(Θ₀), α in %s", s.d(), s.p(), s.n(), s.eps(), s.rate(), java.util.Arrays.toString(s.alphas()));
    }

    /** Both runs from the same data and the same initial weights, float32 on the device. */
    static List<Run> run(Setup s, Device device) {
        try (Scope scope = Scope.open(); NoGrad ng = NoGrad.open()) {
            Generator g = new Generator(s.seed());
            Tensor beta = Tensor.randn(DType.F32, device, g, s.d());
            beta = beta.mul(Math.sqrt(s.d()) / beta.norm().item());                    // β·x ~ N(0, 1)
            Tensor x = Tensor.randn(DType.F32, device, g, s.p(), s.d()).div(Math.sqrt(s.d()));
            Tensor xTest = Tensor.randn(DType.F32, device, g, s.testPoints(), s.d()).div(Math.sqrt(s.d()));
            Tensor y = target(x, beta), yTest = target(xTest, beta);
            Tensor w0 = Tensor.randn(DType.F32, device, g, s.n(), s.d());
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < s.alphas().length; i++) runs.add(train(s, s.alphas()[i], s.steps()[i], w0, x, y, xTest, yTest));
            return runs;
        }
    }

    private static Tensor target(Tensor x, Tensor beta) {
        return x.matmul(beta).square().mul(0.5);
    }

    /** f(params = [W], x) = (α/N) Σᵢ φ(wᵢ·x) as [B, 1]. */
    static BiFunction<List<Tensor>, Tensor, Tensor> model(double alpha, double eps) {
        return (p, x) -> {
            Tensor h = x.matmul(p.getFirst().mT());                                 // [B, N]
            Tensor phi = h.add(h.square().mul(eps / 2));
            return phi.mean(new int[] {1}, true).mul(alpha);
        };
    }

    private static Run train(Setup s, double alpha, int steps, Tensor w0, Tensor x, Tensor y, Tensor xTest, Tensor yTest) {
        long t0 = System.nanoTime();
        BiFunction<List<Tensor>, Tensor, Tensor> f = model(alpha, s.eps());
        Tensor f0 = f.apply(List.of(w0), x).reshape(-1), f0Test = f.apply(List.of(w0), xTest).reshape(-1);
        Tensor theta0 = EmpiricalNtk.kernel(f, List.of(w0), x, null, true, EmpiricalNtk.Method.AUTO);
        double[] values = SymmetricEigen.of(theta0).values().toDoubleArray();
        double lambdaMax = values[values.length - 1];
        double eta = s.rate() * s.p() / lambdaMax;                                  // the loss is a mean over P
        TreeSet<Long> evals = logSpaced(steps, 40), checkpoints = logSpaced(steps, s.checkpoints());
        List<Point> history = new ArrayList<>();
        Tensor w = w0;
        for (long step = 0; step <= steps; step++) {
            if (evals.contains(step) || checkpoints.contains(step)) {
                try (Scope e = Scope.open()) {
                    double train = loss(f, w, x, f0, y), test = loss(f, w, xTest, f0Test, yTest);
                    double a = Double.NaN;
                    if (step == 0) a = KernelAlignment.of(theta0, y);
                    else if (checkpoints.contains(step)) {
                        a = KernelAlignment.of(EmpiricalNtk.kernel(f, List.of(w), x, null, true, EmpiricalNtk.Method.AUTO), y);
                    }
                    history.add(new Point(step, train, test, a));
                }
            }
            if (step == steps) break;
            try (Scope it = Scope.open()) {
                Tensor current = w;
                Tensor grad = Autodiff.grad(ws -> f.apply(ws, x).reshape(-1).sub(f0).sub(y).square().mean().mul(0.5),
                        List.of(current)).getFirst();
                Tensor next = it.keep(current.sub(grad.mul(eta)));
                if (current != w0) current.close();
                w = next;
            }
        }
        return new Run(alpha, eta, lambdaMax, history, (System.nanoTime() - t0) / 1e9);
    }

    private static double loss(BiFunction<List<Tensor>, Tensor, Tensor> f, Tensor w, Tensor x, Tensor f0, Tensor y) {
        return f.apply(List.of(w), x).reshape(-1).sub(f0).sub(y).square().mean().item() * 0.5;
    }

    /** 0 and count steps up to steps, evenly spaced in log(step) (steps^(1/count), ..., steps). */
    static TreeSet<Long> logSpaced(long steps, int count) {
        TreeSet<Long> out = new TreeSet<>();
        out.add(0L);
        for (int i = 1; i <= count; i++) out.add(Math.round(Math.pow(steps, (double) i / count)));
        return out;
    }

    /**
     * The table: per α, the first evaluated step at which the train loss and the test loss fell
     * below 10% of their starting values and the ratio of the two (how long generalization lags
     * memorization), the final losses, and the NTK–label alignment at the first and last checkpoint.
     */
    static List<String> table(List<Run> runs) {
        List<String> lines = new ArrayList<>();
        lines.add("   α         η  train<10%  test<10%   lag   final train  final test  NTK-label alignment       seconds");
        for (Run r : runs) {
            long train = r.stepBelow(true, 0.1), test = r.stepBelow(false, 0.1);
            String lag = train > 0 && test > 0 ? String.format(Locale.ROOT, "%5.1fx", (double) test / train) : "    -";
            List<Point> a = r.aligned();
            lines.add(String.format(Locale.ROOT, "%4s  %8.3g  %9s %9s  %s   %9.2e   %9.2e  %.4f -> %.4f (%+4.0f%%)  %6.1f",
                    trim(r.alpha()), r.eta(), train < 0 ? "-" : Long.toString(train), test < 0 ? "-" : Long.toString(test), lag,
                    r.last().trainLoss(), r.last().testLoss(), a.getFirst().alignment(), a.getLast().alignment(),
                    100 * (a.getLast().alignment() / a.getFirst().alignment() - 1), r.seconds()));
        }
        return lines;
    }

    static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
