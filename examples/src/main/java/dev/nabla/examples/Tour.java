package dev.nabla.examples;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.DeviceStatus;
import dev.nabla.Generator;
import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autodiff.Autodiff;
import dev.nabla.data.Batch;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Losses;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.CosineAnnealingLR;
import dev.nabla.optim.Optimizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The main job, {@code ./nabla tour}: on the best device, trains an MLP 784-256-256-10 on
 * Fashion-MNIST with the training library (nn, optim, data), shows its progress, evaluates test
 * accuracy, then looks at the curvature of the trained loss with Hessian-vector products, the
 * Hessian spectrum at initialization and after training ({@link SpectrumDemo}), the
 * dynamical stability of GD and SGD ({@link StabilityDemo}), Sinkhorn against
 * Sinkhorn-Newton-Sparse ({@link OtDemo}), the empirical NTK from lazy to rich training
 * ({@link LazyToRich}) and equilibrium propagation without weight symmetry ({@link EpDemo}), and
 * saves a checkpoint (safetensors,
 * loadable by PyTorch), PNG plots and a Markdown report into a run folder it names at the end.
 *
 * <pre>{@code
 * ./nabla tour            # full Fashion-MNIST when installed (apt-get install dataset-fashion-mnist), 10 epochs
 * ./nabla tour --quick    # the shipped subset, 3 epochs: under a minute on 2 cores
 * }</pre>
 *
 * Options: --quick, --epochs N, --batch B, --lr X, --hidden H, --seed S, --data DIR, --subset,
 * --out DIR. Training runs on {@link Device#best()} unless {@code -Dnabla.device} or
 * {@code NABLA_DEVICE} names a device.
 */
public final class Tour {

    private boolean quick;
    private boolean subset;
    private Integer epochs;
    private int batch = 128;
    private double lr = 1e-3;
    private int hidden = 256;
    private long seed = 7;
    private Path data;
    private Path out = Path.of("runs");
    private final List<String> args = new ArrayList<>();

    private Tour() {}

    public static void main(String[] argv) {
        System.setProperty("java.awt.headless", "true");
        Tour tour = new Tour();
        if (!tour.parse(argv)) {
            System.err.println("usage: ./nabla tour [--quick] [--epochs N] [--batch B] [--lr X] [--hidden H] [--seed S]"
                    + " [--data DIR] [--subset] [--out DIR]");
            System.exit(2);
        }
        tour.run();
    }

    private boolean parse(String[] argv) {
        try {
            for (int i = 0; i < argv.length; i++) {
                args.add(argv[i]);
                String value = i + 1 < argv.length ? argv[i + 1] : null;
                boolean flag = true;
                switch (argv[i]) {
                    case "--quick" -> quick = true;
                    case "--subset" -> subset = true;
                    default -> flag = false;
                }
                if (flag) continue;
                if (value == null) return false;
                switch (argv[i]) {
                    case "--epochs" -> epochs = Integer.parseInt(value);
                    case "--batch" -> batch = Integer.parseInt(value);
                    case "--lr" -> lr = Double.parseDouble(value);
                    case "--hidden" -> hidden = Integer.parseInt(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--data" -> data = Path.of(value);
                    case "--out" -> out = Path.of(value);
                    default -> { return false; }
                }
                args.add(value);
                i++;
            }
        } catch (NumberFormatException e) {
            return false;
        }
        return (epochs == null || epochs > 0) && batch > 0 && hidden > 0 && lr > 0;
    }

    private void run() {
        long start = System.nanoTime();
        Device device = devices();
        int n = epochs != null ? epochs : quick ? 3 : 10;
        Path folder = runFolder();
        System.out.println("2. Data");
        try (FashionMnistSource source = FashionMnistSource.load(data, quick || subset)) {
            System.out.println("   " + source.description());
            System.out.println();
            Generator g = new Generator(seed);
            try (Sequential model = new Sequential(new Linear(784, hidden, g), new ReLU(), new Linear(hidden, hidden, g),
                    new ReLU(), new Linear(hidden, 10, g));
                 Optimizer opt = new Adam(model.parameterList(), lr)) {
                CosineAnnealingLR schedule = new CosineAnnealingLR(opt, n, 0);
                List<Tensor> initial = snapshot(model);   // for the spectrum at initialization (part 5)
                System.out.printf(Locale.ROOT, "3. Training an MLP 784-%d-%d-10 (%d parameters) on %s: Adam lr %s, cosine schedule,"
                        + " batch %d, %d epochs%n", hidden, hidden, model.parameterCount(), device, lr, batch, n);
                long t0 = System.nanoTime();
                Training.History h = Training.run(model, opt, schedule, source.train().dataset(), source.test().dataset(), n, batch, seed);
                double trainSeconds = (System.nanoTime() - t0) / 1e9;
                for (Training.Epoch e : h.epochs()) {
                    System.out.printf(Locale.ROOT, "   epoch %2d  train loss %.4f  train acc %5.2f%%  test loss %.4f  test acc %5.2f%%"
                                    + "  (%.1f s, %.0f img/s)%n", e.epoch(), e.trainLoss(), 100 * e.trainAccuracy(), e.testLoss(),
                            100 * e.testAccuracy(), e.seconds(), e.examplesPerSecond());
                }
                System.out.printf(Locale.ROOT, "   test accuracy %.2f%% on %d images after %.1f s of training%n%n",
                        100 * h.last().testAccuracy(), source.test().size(), trainSeconds);

                List<String> curvature = curvature(model, source, quick ? 5 : 20);
                List<Report.Section> research = new ArrayList<>();
                research.add(spectrum(model, initial, source, folder));
                research.add(stability(source));
                research.add(transport(device, folder));
                research.add(lazyToRich(folder));
                research.add(EpDemo.run(source, quick, seed));   // part 9, equilibrium propagation (issue 12)

                System.out.println("10. Saving the run");
                Path checkpoint = folder.resolve("model.safetensors");
                model.save(checkpoint);
                double reloaded = reloadedAccuracy(checkpoint, source);
                System.out.printf(Locale.ROOT, "   checkpoint %s (PyTorch names: 0.weight [%d, 784], ...); reloaded into a fresh model:"
                        + " test accuracy %.2f%%%n", checkpoint.getFileName(), hidden, 100 * reloaded);
                Path png = folder.resolve("training.png");
                Plot.write(png, h, "MLP on " + (source.train().size() >= 60_000 ? "Fashion-MNIST" : "the Fashion-MNIST subset"));
                System.out.println("   plot " + png.getFileName());
                Path md = folder.resolve("report.md");
                Report.write(md, new Report.Setup(device.toString(), source.description(), "784-" + hidden + "-" + hidden + "-10 ReLU MLP",
                                model.parameterCount(), "Adam (lr " + lr + ", betas 0.9/0.999, eps 1e-8), cosine annealing to 0 over "
                                + n + " epochs", n, batch, seed, "./nabla tour" + (args.isEmpty() ? "" : " " + String.join(" ", args))),
                        h, trainSeconds, curvature, research,
                        List.of("`model.safetensors`: the trained parameters (safetensors; `safetensors.torch.load_file` reads it)",
                                "`training.png`: loss by batch and epoch, accuracy by epoch",
                                "`hessian-spectrum.png`: the Hessian's spectral density at initialization and after training",
                                "`optimal-transport.png`: marginal error of Sinkhorn and SNS against iteration and time",
                                "`lazy-to-rich.png`: loss and NTK-label alignment of the lazy-to-rich runs",
                                "`report.md`: this report"));
                System.out.println("   report " + md.getFileName());
                System.out.println();
                System.out.printf(Locale.ROOT, "Run folder: %s (%.1f s in all)%n", folder.toAbsolutePath(), (System.nanoTime() - start) / 1e9);
            }
        }
    }

    /** Part 1: every device the backends probed, and the one the tour uses. */
    private static Device devices() {
        System.out.println("1. Devices (Device.probe())");
        for (DeviceStatus s : Device.probe()) {
            String what = s.available() ? s.description() : "unavailable: " + s.reason();
            System.out.printf("   %-9s %s%n", s.device(), what);
        }
        Device best = Device.best();
        boolean named = System.getProperty("nabla.device") != null || System.getenv("NABLA_DEVICE") != null;
        Device device = named ? Device.defaultDevice() : best;
        Device.setDefault(device);
        System.out.println("   using: " + device + (named ? " (named by nabla.device / NABLA_DEVICE)" : " (Device.best())"));
        System.out.println();
        return device;
    }

    private Path runFolder() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path folder = out.resolve("tour-" + stamp);
        for (int k = 2; Files.exists(folder); k++) folder = out.resolve("tour-" + stamp + "-" + k);
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run folder " + folder, e);
        }
    }

    /**
     * Part 4: second order at the trained weights, on 256 test images in float64: a Hessian-vector
     * product by forward-over-reverse and by reverse-over-reverse (they must agree), checked
     * against a central difference of gradients, and the top Hessian eigenvalue by power iteration.
     */
    private static List<String> curvature(Sequential model, FashionMnistSource source, int iterations) {
        System.out.println("4. Curvature of the trained loss (Hessian-vector products through autodiff, float64, 256 test images)");
        List<String> lines = new ArrayList<>();
        try (Scope scope = Scope.open();
             Batch b = source.test().dataset().get(java.util.stream.LongStream.range(0, 256).toArray())) {
            Tensor x = b.inputs().to(DType.F64);
            Tensor y = b.targets();
            List<Tensor> params = new ArrayList<>();
            try (NoGrad ng = NoGrad.open()) {
                for (Tensor p : model.parameterList()) params.add(p.to(DType.F64).detach());
            }
            Function<List<Tensor>, Tensor> f = p -> Losses.crossEntropy(model.functionalCall(p, x), y);
            List<Tensor> v = unit(Autodiff.grad(f, params));
            List<Tensor> fwd = Autodiff.hvp(f, params, v);
            List<Tensor> rev = Autodiff.hvp(f, params, v, Autodiff.HvpMode.REVERSE_OVER_REVERSE);
            double h = 1e-5;
            double fd = (dot(v, Autodiff.grad(f, axpy(params, h, v))) - dot(v, Autodiff.grad(f, axpy(params, -h, v)))) / (2 * h);
            lines.add(String.format(Locale.ROOT, "along the gradient: v'Hv = %.6f (forward-over-reverse), %.6f (reverse-over-reverse),"
                    + " %.6f (finite differences)", dot(v, fwd), dot(v, rev), fd));
            List<Tensor> u = v;
            double lambda = 0;
            for (int i = 0; i < iterations; i++) {
                // each iteration's temporaries freed at once; only the next vector is kept
                try (Scope it = Scope.open()) {
                    List<Tensor> hu = Autodiff.hvp(f, params, u);
                    lambda = dot(u, hu);
                    u = unit(hu);
                    u.forEach(it::keep);
                }
            }
            lines.add(String.format(Locale.ROOT, "top Hessian eigenvalue (%d power iterations): %.6f", iterations, lambda));
        }
        for (String l : lines) System.out.println("   " + l);
        System.out.println();
        return lines;
    }

    /** Part 5: the Hessian spectrum at initialization and after training (dev.nabla.algo.HessianSpectrum), with its density plot. */
    private Report.Section spectrum(Sequential model, List<Tensor> initial, FashionMnistSource source, Path folder) {
        SpectrumDemo.Setup s = SpectrumDemo.setup(quick);
        System.out.printf(Locale.ROOT, "5. Hessian spectrum at initialization and after training (HessianSpectrum: power iteration,"
                + " Hutchinson, stochastic Lanczos quadrature with %d runs of %d steps)%n", s.starts(), s.lanczosSteps());
        SpectrumDemo.Summary init = SpectrumDemo.analyse("at initialization", model, initial, source.train().dataset(), s, seed);
        initial.forEach(Tensor::close);
        SpectrumDemo.Summary trained = SpectrumDemo.analyse("after training", model, model.parameterList(), source.train().dataset(), s, seed);
        List<String> lines = SpectrumDemo.lines(init, trained, model.parameterCount(), s);
        Path png = folder.resolve("hessian-spectrum.png");
        DensityPlot.write(png, List.of(init, trained));
        lines.add("density plot: " + png.getFileName());
        for (String l : lines) System.out.println("   " + l);
        System.out.println();
        return new Report.Section("Hessian spectrum at initialization and after training", lines, "hessian-spectrum.png");
    }

    /** Part 6: the dynamical-stability check of GD and SGD against 2/η. */
    private Report.Section stability(FashionMnistSource source) {
        StabilityDemo.Setup s = StabilityDemo.setup(quick, seed);
        System.out.printf(Locale.ROOT, "6. Dynamical stability: a 49-%d-1 tanh MLP on %d images (two classes, pooled to 7x7), trained to"
                + " interpolation by GD and by SGD with batch 1; λ_max and tr(H) at the minimum against 2/η%n", s.hidden(), s.samples());
        long t0 = System.nanoTime();
        List<String> lines = StabilityDemo.table(StabilityDemo.run(source.train(), s));
        lines.add(String.format(Locale.ROOT, "(linear stability: GD needs λ_max ≤ 2/η, SGD tr(H) ≤ 2/η; %.1f s)", (System.nanoTime() - t0) / 1e9));
        for (String l : lines) System.out.println("   " + l);
        System.out.println();
        return new Report.Section("Dynamical stability: GD and SGD against 2/η", lines, null);
    }

    /** Part 7: Sinkhorn against Sinkhorn-Newton-Sparse on a random assignment problem (OtDemo). */
    private Report.Section transport(Device device, Path folder) {
        System.out.println("7. Optimal transport: log-domain Sinkhorn against Sinkhorn-Newton-Sparse (sparse Newton steps on CsrMatrix)");
        Report.Section s = OtDemo.tour(quick, device, folder);
        for (String l : s.lines()) System.out.println("   " + l);
        System.out.println();
        return s;
    }

    /**
     * Part 8: the empirical NTK watching training go from lazy to rich ({@link LazyToRich}, its short
     * version whatever the flags: {@code ./nabla run LazyToRich} runs the full one).
     */
    private static Report.Section lazyToRich(Path folder) {
        LazyToRich.Setup s = LazyToRich.setup(true);
        System.out.println("8. Empirical NTK, lazy to rich (EmpiricalNtk, KernelAlignment): " + LazyToRich.describe(s));
        long t0 = System.nanoTime();
        List<LazyToRich.Run> runs = LazyToRich.run(s, Device.defaultDevice());
        List<String> lines = new ArrayList<>(LazyToRich.table(runs));
        lines.addAll(LazyToRich.summary(runs));
        Path png = folder.resolve("lazy-to-rich.png");
        LazyToRichPlot.write(png, runs, s);
        lines.add(String.format(Locale.ROOT, "(larger α starts lazier: the test loss lags the train loss longer and the NTK moves less;"
                + " %.1f s; plot %s)", (System.nanoTime() - t0) / 1e9, png.getFileName()));
        for (String l : lines) System.out.println("   " + l);
        System.out.println();
        return new Report.Section("Empirical NTK: lazy to rich", lines, "lazy-to-rich.png");
    }

    /** Float64 copies of the model's parameters, detached. */
    private static List<Tensor> snapshot(Sequential model) {
        List<Tensor> out = new ArrayList<>();
        try (NoGrad ng = NoGrad.open()) {
            for (Tensor p : model.parameterList()) out.add(p.to(DType.F64).detach());
        }
        return out;
    }

    /** Loads the checkpoint into a freshly initialized model and evaluates it: the round trip works. */
    private double reloadedAccuracy(Path checkpoint, FashionMnistSource source) {
        Generator other = new Generator(seed + 1);
        try (Sequential fresh = new Sequential(new Linear(784, hidden, other), new ReLU(), new Linear(hidden, hidden, other),
                new ReLU(), new Linear(hidden, 10, other))) {
            fresh.load(checkpoint);
            return Training.evaluate(fresh, source.test().dataset(), 1000)[1];
        }
    }

    private static double dot(List<Tensor> a, List<Tensor> b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) s += a.get(i).mul(b.get(i)).sum().item();
        return s;
    }

    private static List<Tensor> unit(List<Tensor> v) {
        double n = Math.sqrt(dot(v, v));
        return v.stream().map(t -> t.div(n)).toList();
    }

    private static List<Tensor> axpy(List<Tensor> x, double a, List<Tensor> y) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) out.add(x.get(i).add(y.get(i).mul(a)));
        return out;
    }
}
