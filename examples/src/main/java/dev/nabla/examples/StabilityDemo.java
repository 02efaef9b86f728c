package dev.nabla.examples;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.algo.HessianSpectrum;
import dev.nabla.data.Mnist;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Tanh;
import dev.nabla.optim.SGD;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The dynamical-stability check of Wu and Su, "The Implicit Regularization of Dynamical Stability
 * in Stochastic Gradient Descent" (ICML 2023): a small network trained to interpolation with
 * full-batch gradient descent and with SGD of batch size 1, at several learning rates η, then the
 * top Hessian eigenvalue λ_max and the trace tr(H) at the minimum reached, against 2/η. A minimum
 * linearly stable for GD has λ_max ≤ 2/η; one linearly stable for SGD has tr(H) ≤ 2/η, a far
 * stronger constraint: where GD settles with tr(H) above 2/η, SGD at the same η cannot stay.
 *
 * <p>The network: n Fashion-MNIST training images of two classes (T-shirt/top as −1, trouser as
 * +1), average-pooled 4×4 to 7×7 and standardized, into a 49-h-1 tanh MLP; the loss
 * (1/2n) Σ (f(x_i) − y_i)², whose Hessian at an interpolating minimum is (1/n) Σ ∇f_i ∇f_iᵀ.
 * Float64 throughout, both runs from the same initialization.
 */
final class StabilityDemo {
    private StabilityDemo() {}

    /** One training run's end: whether it interpolated, its loss, steps, and the curvature there. */
    record Run(String method, double lr, boolean interpolated, boolean diverged, double loss, long steps, double lambdaMax,
               HessianSpectrum.Trace trace) {
        String verdict() {
            if (diverged) return "diverged";
            if (!interpolated) return "not interpolated";
            return "";
        }
    }

    record Setup(int samples, int hidden, double[] learningRates, long maxSteps, double targetLoss, long seed) {}

    static Setup setup(boolean quick, long seed) {
        return quick ? new Setup(16, 24, new double[] {0.05, 0.1, 0.2}, 6000, 1e-6, seed)
                : new Setup(32, 32, new double[] {0.02, 0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.4}, 30000, 1e-7, seed);
    }

    static List<Run> run(Mnist train, Setup s) {
        try (Scope scope = Scope.open()) {
            Tensor[] data = data(train, s.samples());
            Tensor x = data[0], y = data[1];
            List<Run> runs = new ArrayList<>();
            for (double lr : s.learningRates()) {
                runs.add(train(x, y, s, lr, false));
                runs.add(train(x, y, s, lr, true));
            }
            return runs;
        }
    }

    /** n images, half T-shirt/top (label 0, target −1) and half trouser (label 1, target +1), pooled and standardized. */
    static Tensor[] data(Mnist train, int n) {
        long[] labels = train.labels().toLongArray();
        long[] pick = new long[n];
        double[] target = new double[n];
        int zeros = 0, ones = 0, k = 0;
        for (int i = 0; i < labels.length && k < n; i++) {
            if (labels[i] == 0 && zeros < n / 2) { pick[k] = i; target[k++] = -1; zeros++; }
            else if (labels[i] == 1 && ones < n - n / 2) { pick[k] = i; target[k++] = 1; ones++; }
        }
        try (Scope s = Scope.open(); NoGrad ng = NoGrad.open()) {
            Tensor index = Tensor.of(DType.I64, train.images().device(), pick, n);
            Tensor images = train.images().indexSelect(0, index).to(DType.F64).reshape(n, 1, 28, 28);
            Tensor pooled = new dev.nabla.nn.AvgPool2d(4).forward(images).reshape(n, 49);
            Tensor centred = pooled.sub(pooled.mean(new int[] {0}, true));
            Tensor x = centred.div(centred.std(new int[] {0}, true).add(1e-3));
            Tensor y = Tensor.of(DType.F64, x.device(), target, n, 1);
            return new Tensor[] {s.keep(x), s.keep(y)};
        }
    }

    private static Sequential network(Setup s) {
        Generator g = new Generator(s.seed());
        Sequential m = new Sequential(new Linear(49, s.hidden(), g), new Tanh(), new Linear(s.hidden(), 1, g));
        m.to(DType.F64);
        return m;
    }

    /** ½ mean of squared residuals over the whole set, with the model's parameters replaced by p. */
    private static Function<List<Tensor>, Tensor> loss(Sequential model, Tensor x, Tensor y) {
        return p -> model.functionalCall(p, x).sub(y).square().mean().mul(0.5);
    }

    private static Run train(Tensor x, Tensor y, Setup s, double lr, boolean stochastic) {
        int n = (int) x.size(0);
        try (Sequential model = network(s)) {
            SGD opt = new SGD(model.parameterList(), lr);
            Function<List<Tensor>, Tensor> full = loss(model, x, y);
            java.util.Random order = new java.util.Random(s.seed());
            double l = Double.NaN;
            long step = 0;
            boolean done = false, diverged = false;
            while (step < s.maxSteps() && !done && !diverged) {
                // an epoch of SGD (n single-example steps in a seeded random order), or n GD steps; then the full loss
                int[] perm = permutation(n, order);
                for (int i = 0; i < n; i++, step++) {
                    try (Scope st = Scope.open()) {
                        Tensor xi = stochastic ? x.narrow(0, perm[i], 1) : x, yi = stochastic ? y.narrow(0, perm[i], 1) : y;
                        model.forward(xi).sub(yi).square().mean().mul(0.5).backward();
                        opt.step();
                        opt.zeroGrad();
                    }
                }
                try (Scope st = Scope.open(); NoGrad ng = NoGrad.open()) {
                    l = full.apply(model.parameterList()).item();
                }
                done = l < s.targetLoss();
                diverged = !(l < 1e3);
            }
            if (!done) return new Run(stochastic ? "SGD" : "GD", lr, false, diverged, l, step, Double.NaN, null);
            HessianSpectrum h = new HessianSpectrum(full, model.parameterList(), s.seed());
            double top = h.topEigenvalues(1, 1e-6, 500).values()[0];
            HessianSpectrum.Trace t = h.trace(0.01, 2000);
            return new Run(stochastic ? "SGD" : "GD", lr, true, false, l, step, top, t);
        }
    }

    private static int[] permutation(int n, java.util.Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The table, one line per run. */
    static List<String> table(List<Run> runs) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-6s %-4s %8s %8s %10s %22s  %s", "η", "", "2/η", "λ_max", "λ_max≤2/η", "tr(H) ± s.e.", "tr≤2/η"));
        for (Run r : runs) {
            double bound = 2 / r.lr();
            if (!r.interpolated()) {
                lines.add(String.format(Locale.ROOT, "%-6s %-4s %8.2f %8s %10s %22s  %s (loss %.3g after %d steps)", r.lr(), r.method(), bound,
                        "-", "-", "-", r.verdict(), r.loss(), r.steps()));
                continue;
            }
            lines.add(String.format(Locale.ROOT, "%-6s %-4s %8.2f %8.3f %10s %13.3f ± %6.3f  %-5s (%d steps)", r.lr(), r.method(), bound,
                    r.lambdaMax(), r.lambdaMax() <= bound ? "yes" : "NO", r.trace().estimate(), r.trace().stdError(),
                    r.trace().estimate() <= bound ? "yes" : "no", r.steps()));
        }
        return lines;
    }
}
