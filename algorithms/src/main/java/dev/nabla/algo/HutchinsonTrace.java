package dev.nabla.algo;

import dev.nabla.Generator;
import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;

/**
 * Hutchinson's estimator of the trace: for z with independent ±1 entries, E[zᵀHz] = tr(H), with
 * variance 2 Σ_{i≠j} H_ij² (the smallest of the common choices of z; exact for a diagonal H).
 * Samples are drawn until the standard error of their mean is at most tol relative to the mean,
 * after at least {@value #MIN_SAMPLES} samples (a standard error from fewer is itself too noisy
 * to stop on), or maxSamples.
 */
final class HutchinsonTrace {
    private HutchinsonTrace() {}

    static final int MIN_SAMPLES = 10;

    static HessianSpectrum.Trace estimate(FlatOperator op, Generator g, double tol, int maxSamples) {
        double mean = 0, m2 = 0;   // Welford's running mean and sum of squared deviations
        int n = 0;
        double stdError = Double.NaN;
        try (NoGrad ng = NoGrad.open()) {
            while (n < maxSamples) {
                double x;
                try (Scope s = Scope.open()) {
                    Tensor z = op.layout().rademacher(g);
                    x = z.dot(op.apply(z)).item();
                }
                if (!Double.isFinite(x)) throw new ArithmeticException("trace: the operator's product is not finite (sample " + (n + 1) + ")");
                n++;
                double delta = x - mean;
                mean += delta / n;
                m2 += delta * (x - mean);
                if (n >= 2) stdError = Math.sqrt(m2 / (n - 1) / n);
                if (n >= Math.min(MIN_SAMPLES, maxSamples) && stdError <= tol * Math.abs(mean)) break;
            }
        }
        return new HessianSpectrum.Trace(mean, stdError, n);
    }
}
