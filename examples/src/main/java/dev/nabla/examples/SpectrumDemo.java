package dev.nabla.examples;

import dev.nabla.DType;
import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.algo.HessianSpectrum;
import dev.nabla.data.Batch;
import dev.nabla.data.Dataset;
import dev.nabla.nn.Losses;
import dev.nabla.nn.Sequential;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.LongStream;

/**
 * The Hessian spectrum of the tour's MLP loss, at initialization and after training, with
 * {@link HessianSpectrum}: the top eigenvalues (power iteration with deflation), the trace
 * (Hutchinson) and the spectral density (stochastic Lanczos quadrature). Sagun et al.,
 * "Empirical Analysis of the Hessian of Over-Parametrized Neural Networks", describe what to
 * expect: a bulk of eigenvalues near zero, and a few outliers (about as many as classes) that
 * grow with training.
 */
final class SpectrumDemo {
    private SpectrumDemo() {}

    /** How much work: images in the loss, eigenpairs, Lanczos steps and runs, trace samples. */
    record Setup(int images, int topK, int maxIter, int lanczosSteps, int starts, int traceSamples) {}

    static Setup setup(boolean quick) {
        return quick ? new Setup(128, 3, 20, 24, 2, 20) : new Setup(512, 5, 100, 64, 3, 100);
    }

    /** One point's figures. */
    record Summary(String label, double loss, HessianSpectrum.Eigen top, HessianSpectrum.Trace trace, HessianSpectrum.Density density,
                   double seconds) {
        double lambdaMax() { return top.values()[0]; }
    }

    /**
     * The spectrum of the mean cross-entropy over the first images of data, with the model's
     * parameters replaced by params (converted to float64, as the model's structure is reused).
     */
    static Summary analyse(String label, Sequential model, List<Tensor> params, Dataset data, Setup s, long seed) {
        long start = System.nanoTime();
        try (Scope scope = Scope.open(); Batch b = data.get(LongStream.range(0, s.images()).toArray())) {
            Tensor x = b.inputs().to(DType.F64);
            Tensor y = b.targets();
            List<Tensor> p = new ArrayList<>();
            try (NoGrad ng = NoGrad.open()) {
                for (Tensor t : params) p.add(t.to(DType.F64).detach());
            }
            Function<List<Tensor>, Tensor> loss = q -> Losses.crossEntropy(model.functionalCall(q, x), y);
            double value;
            try (NoGrad ng = NoGrad.open()) {
                value = loss.apply(p).item();
            }
            HessianSpectrum h = new HessianSpectrum(loss, p, seed);
            HessianSpectrum.Eigen top = h.topEigenvalues(s.topK(), 1e-3, s.maxIter());
            top.vectors().forEach(v -> v.forEach(Tensor::close));       // only the values are shown
            HessianSpectrum.Trace trace = h.trace(1e-2, s.traceSamples());
            // σ 2% of the top eigenvalue, as PyHessian scales its smoothing to the spectrum's width
            HessianSpectrum.Density density = h.density(s.lanczosSteps(), s.starts(), 0.02 * Math.abs(top.values()[0]), 2000);
            return new Summary(label, value, top, trace, density, (System.nanoTime() - start) / 1e9);
        }
    }

    /** The console and report lines comparing the two points. */
    static List<String> lines(Summary init, Summary trained, long parameters, Setup s) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "%-34s %17s %17s", "", init.label(), trained.label()));
        out.add(row("loss", init.loss(), trained.loss(), "%17.4f"));
        boolean capped = false;
        for (int k = 0; k < s.topK(); k++) {
            capped |= init.top().iterations()[k] >= s.maxIter() || trained.top().iterations()[k] >= s.maxIter();
            out.add(String.format(Locale.ROOT, "%-34s %17s %17s", "λ" + (k + 1) + " (power iteration)", eigen(init, k, s), eigen(trained, k, s)));
        }
        out.add(String.format(Locale.ROOT, "%-34s %17s %17s", "tr(H) (Hutchinson)", pm(init.trace()), pm(trained.trace())));
        out.add(row("λ1 / tr(H)", init.lambdaMax() / init.trace().estimate(), trained.lambdaMax() / trained.trace().estimate(), "%17.3f"));
        out.add(row("SLQ: share within ±5% λ1 of 0", bulk(init), bulk(trained), "%17.3f"));
        // the quadrature weights are fractions of the n eigenvalues: mass × n estimates how many lie there
        out.add(row("SLQ: eigenvalues above 10% λ1", outliers(init) * parameters, outliers(trained) * parameters, "%17.1f"));
        out.add(String.format(Locale.ROOT, "%-34s %17s %17s", "top Ritz values (first SLQ run)", ritz(init), ritz(trained)));
        if (capped) {
            out.add(String.format(Locale.ROOT, "(* stopped at %d iterations before the relative change reached 1e-3: eigenvalues of"
                    + " nearly equal magnitude, e.g. ±λ at initialization, converge slowly; Lanczos resolves them)", s.maxIter()));
        }
        out.add(String.format(Locale.ROOT, "(%d parameters, cross-entropy over %d training images, float64; %.1f s and %.1f s)", parameters,
                s.images(), init.seconds(), trained.seconds()));
        return out;
    }

    private static String row(String name, double a, double b, String fmt) {
        return String.format(Locale.ROOT, "%-34s " + fmt + " " + fmt, name, a, b);
    }

    private static String eigen(Summary s, int k, Setup setup) {
        int it = s.top().iterations()[k];
        return String.format(Locale.ROOT, "%.4f%s", s.top().values()[k], it >= setup.maxIter() ? "*" : " (" + it + " it)");
    }

    private static String pm(HessianSpectrum.Trace t) {
        return String.format(Locale.ROOT, "%.2f ± %.2f", t.estimate(), t.stdError());
    }

    /** The density's mass near zero: the bulk. */
    private static double bulk(Summary s) {
        double w = 0.05 * Math.abs(s.lambdaMax());
        return s.density().mass(-w, w);
    }

    /** The density's mass well away from the bulk: the outliers' share of the eigenvalues. */
    private static double outliers(Summary s) {
        return s.density().mass(0.1 * s.lambdaMax(), Double.POSITIVE_INFINITY);
    }

    private static String ritz(Summary s) {
        double[] v = s.density().runs().getFirst().values();
        return Arrays.stream(v, 0, Math.min(3, v.length)).mapToObj(d -> String.format(Locale.ROOT, "%.1f", d))
                .reduce((a, b) -> a + " " + b).orElse("");
    }
}
