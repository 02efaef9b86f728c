package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.algo.EmpiricalNtk.Method;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The analytic NTK of a one-hidden-layer ReLU network against its closed forms, and the empirical
 * NTK of random networks of growing width converging to it at the rate 1/√width.
 */
class InfiniteWidthTest {

    private static final Device CPU = Device.cpu();
    private static final double SIGMA_W = 1.4, SIGMA_B = 0.5;

    @Test
    void orthogonalUnitVectorsGiveOneOverFourPi() {
        Tensor x = Tensor.of(new double[] {1, 0}, 1, 2), y = Tensor.of(new double[] {0, 1}, 1, 2);
        Tensor k = EmpiricalNtk.analyticReluNtk(x, y, 1, 0);
        assertEquals(List.of(1L, 1L), List.of(k.shape()[0], k.shape()[1]));
        assertEquals(1 / (4 * Math.PI), k.item(), 1e-15);
    }

    @Test
    void equalAndOppositeInputsGiveTheirClosedForms() {
        double[] x = {0.3, -1.2, 2.0};
        Tensor a = Tensor.of(x, 1, 3);
        // x = x': θ = 0, S = Σ/2, Ṡ = 1/2, so Θ = σ_w² Σ + σ_b² with Σ = σ_w² |x|²/d + σ_b²
        double sigma = SIGMA_W * SIGMA_W * (0.09 + 1.44 + 4.0) / 3 + SIGMA_B * SIGMA_B;
        assertEquals(SIGMA_W * SIGMA_W * sigma + SIGMA_B * SIGMA_B, EmpiricalNtk.analyticReluNtk(a, a, SIGMA_W, SIGMA_B).item(), 1e-13);
        // x' = -x without biases: θ = π, both arc-cosine terms vanish (up to arccos's conditioning near -1:
        // a cosine rounded by 1e-16 is an angle off by 1.5e-8, so about 1e-8 of Σ is left)
        assertEquals(0, EmpiricalNtk.analyticReluNtk(a, a.neg(), SIGMA_W, 0).item(), 1e-8 * sigma);
        // F32 in, F32 out
        Tensor f = EmpiricalNtk.analyticReluNtk(a.to(DType.F32), a.to(DType.F32), SIGMA_W, SIGMA_B);
        assertEquals(DType.F32, f.dtype());
    }

    /** f(x) = σ_w/√n · relu(σ_w/√d · x W + σ_b b₁) v + σ_b b₂, every weight N(0, 1): NTK parameterization. */
    private static BiFunction<List<Tensor>, Tensor, Tensor> network(int d, int n) {
        return (p, x) -> x.matmul(p.get(0)).mul(SIGMA_W / Math.sqrt(d)).add(p.get(1).mul(SIGMA_B)).relu()
                .matmul(p.get(2)).mul(SIGMA_W / Math.sqrt(n)).add(p.get(3).mul(SIGMA_B));
    }

    /**
     * Widths 10², 10^2.5, …, 10⁴, 24 networks each, kernels over 4 inputs (10 distinct entries):
     * the root-mean-square error against the analytic kernel. Each entry of the empirical kernel is
     * a mean over the n hidden units of i.i.d. terms whose expectation is the analytic value, so the
     * error's standard deviation is exactly ∝ 1/√n; with 240 errors per width the RMS is known to
     * about 5% (log error ±0.05), which over two decades of width pins the slope to about ±0.03,
     * well inside the ±0.15 asked. The draws are seeded, so the test is deterministic. About 1 s.
     */
    @Test
    void empiricalKernelsConvergeToTheAnalyticOneAsOneOverSquareRootOfWidth() {
        int d = 3, seeds = 24;
        Tensor x = Tensor.randn(DType.F64, CPU, new Generator(5), 4, d);
        double[] limit = EmpiricalNtk.analyticReluNtk(x, x, SIGMA_W, SIGMA_B).toDoubleArray();
        int[] widths = {100, 316, 1000, 3162, 10000};
        double[] logWidth = new double[widths.length], logError = new double[widths.length];
        for (int w = 0; w < widths.length; w++) {
            int n = widths[w];
            double squares = 0;
            int count = 0;
            for (int s = 0; s < seeds; s++) {
                try (Scope scope = Scope.open()) {
                    Generator g = new Generator(1000L * n + s);
                    List<Tensor> params = List.of(Tensor.randn(DType.F64, CPU, g, d, n), Tensor.randn(DType.F64, CPU, g, n),
                            Tensor.randn(DType.F64, CPU, g, n, 1), Tensor.randn(DType.F64, CPU, g, 1));
                    double[] k = EmpiricalNtk.kernel(network(d, n), params, x, null, true, Method.AUTO).toDoubleArray();
                    for (int i = 0; i < 4; i++) {
                        for (int j = i; j < 4; j++) {
                            double e = k[i * 4 + j] - limit[i * 4 + j];
                            squares += e * e;
                            count++;
                        }
                    }
                }
            }
            logWidth[w] = Math.log(n);
            logError[w] = 0.5 * Math.log(squares / count);
        }
        double slope = slope(logWidth, logError);
        assertTrue(Math.abs(slope + 0.5) <= 0.15, "log-log slope of the error against width: " + slope);
        // and at width 10⁴ the kernel is within a few percent of the limit
        double rms = Math.exp(logError[widths.length - 1]), scale = Math.abs(limit[0]);
        assertTrue(rms < 0.05 * scale, "RMS error at width 10^4: " + rms + " against Θ(x0, x0) = " + scale);
    }

    /** Least-squares slope of y against x. */
    private static double slope(double[] x, double[] y) {
        double mx = 0, my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / y.length;
        }
        double sxy = 0, sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }
}
