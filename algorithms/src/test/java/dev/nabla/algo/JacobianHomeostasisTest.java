package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.DTypeMismatchException;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;
import dev.nabla.autodiff.Autodiff;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The homeostatic loss against closed forms: E[‖Jε‖² − εᵀJ²ε] = ‖J‖²_F − tr(J²) = ½‖J − Jᵀ‖²_F,
 * zero for every probe when J is symmetric, Monte Carlo error within its standard deviation
 * √(2‖S‖²_F / n) (S the symmetric part of JᵀJ − J²), per-row Jacobians kept apart, and its
 * gradient against finite differences with the same probes.
 */
class JacobianHomeostasisTest {

    private static Tensor matrix(double[][] a) {
        return Problems.tensor(a, Device.cpu());
    }

    /** The linear field u ↦ u Jᵀ, row by row: its Jacobian is J at every row. */
    private static Function<Tensor, Tensor> linear(Tensor j) {
        return u -> u.matmul(j.mT());
    }

    private static Tensor rows(int batch, int dim, long seed) {
        return Tensor.randn(DType.F64, Device.cpu(), new Generator(seed), batch, dim);
    }

    /** ½‖J − Jᵀ‖²_F and the Monte Carlo standard deviation of one probe, √(2‖S‖²_F), S = sym(JᵀJ − J²). */
    private static double[] expectationAndSpread(double[][] j) {
        int n = j.length;
        double half = 0, s2 = 0;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) half += 0.5 * (j[a][b] - j[b][a]) * (j[a][b] - j[b][a]);
        }
        double[][] m = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                for (int k = 0; k < n; k++) m[a][b] += j[k][a] * j[k][b] - j[a][k] * j[k][b];
            }
        }
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double s = 0.5 * (m[a][b] + m[b][a]);
                s2 += s * s;
            }
        }
        return new double[] {half, Math.sqrt(2 * s2)};
    }

    @Test
    void nilpotentJacobianHasExpectationOne() {
        double[][] j = {{0, 1}, {0, 0}};
        double[] exact = expectationAndSpread(j);
        assertEquals(1.0, exact[0], 0, "‖J‖²_F − tr(J²) of [[0, 1], [0, 0]]");
        // per probe the value is ε₂² (J² = 0): mean 1, standard deviation √2
        assertEquals(Math.sqrt(2), exact[1], 1e-15);
        int batch = 500, samples = 20;
        double est = JacobianHomeostasis.loss(linear(matrix(j)), rows(batch, 2, 1), samples, new Generator(2)).item();
        double sigma = exact[1] / Math.sqrt(batch * samples);
        assertEquals(1.0, est, 4 * sigma, "Monte Carlo estimate of 1 over " + batch * samples + " probes");
    }

    @Test
    void symmetricJacobianGivesZeroForEveryProbe() {
        // a gradient field, tanh(u A) Aᵀ: its Jacobian A diag(1 − tanh²) Aᵀ is symmetric and differs from row to row
        Tensor a = matrix(new double[][] {{0.7, -1.2, 0.3}, {0.4, 0.9, -0.8}, {-1.1, 0.2, 0.5}, {0.3, 0.6, 1.4}});
        Function<Tensor, Tensor> gradientField = u -> u.matmul(a).tanh().matmul(a.mT());
        Tensor u = rows(7, 4, 3);
        double one = JacobianHomeostasis.loss(gradientField, u, 1, new Generator(4)).item();
        assertEquals(0, one, 1e-13, "a single probe already gives 0");
        double[][] sym = {{2, -1, 0.5}, {-1, 3, 0.25}, {0.5, 0.25, -1}};
        assertEquals(0, JacobianHomeostasis.loss(linear(matrix(sym)), rows(5, 3, 5), 3, new Generator(6)).item(), 1e-13);
    }

    @Test
    void monteCarloEstimateConvergesToHalfTheAsymmetry() {
        Random r = new Random(11);
        double[][] j = new double[5][5];
        for (double[] row : j) for (int k = 0; k < row.length; k++) row[k] = r.nextGaussian();
        double[] exact = expectationAndSpread(j);
        Tensor jt = matrix(j);
        double previous = Double.POSITIVE_INFINITY;
        for (int samples : new int[] {1, 16, 256}) {
            int batch = 64;
            double est = JacobianHomeostasis.loss(linear(jt), rows(batch, 5, samples), samples, new Generator(samples)).item();
            double sigma = exact[1] / Math.sqrt((double) batch * samples);
            assertEquals(exact[0], est, 4 * sigma, samples + " probes per row");
            assertTrue(4 * sigma < previous, "the error bound shrinks as 1/√n");
            previous = 4 * sigma;
        }
    }

    @Test
    void eachRowUsesItsOwnJacobian() {
        // f(u) = tanh(u) Wᵀ: J at row b is W diag(1 − tanh²(u_b)), a different matrix per row
        double[][] w = {{0.5, -1.0, 0.2}, {1.5, 0.3, -0.7}, {-0.4, 0.8, 1.1}};
        Tensor wt = matrix(w);
        Tensor u = rows(6, 3, 21);
        double[] us = u.toDoubleArray();
        double mean = 0, var = 0;
        for (int b = 0; b < 6; b++) {
            double[][] jb = new double[3][3];
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < 3; k++) {
                    double t = Math.tanh(us[3 * b + k]);
                    jb[i][k] = w[i][k] * (1 - t * t);
                }
            }
            double[] e = expectationAndSpread(jb);
            mean += e[0] / 6;
            var += e[1] * e[1] / 36;
        }
        int samples = 4000;
        double est = JacobianHomeostasis.loss(x -> x.tanh().matmul(wt.mT()), u, samples, new Generator(22)).item();
        assertEquals(mean, est, 4 * Math.sqrt(var / samples), "the mean over rows of each row's ½‖J_b − J_bᵀ‖²");
    }

    @Test
    void perDimensionDividesByTheStateSize() {
        Tensor j = matrix(new double[][] {{0, 2, 0}, {0, 0, 1}, {1, 0, 0}});
        Tensor u = rows(4, 3, 8);
        double plain = JacobianHomeostasis.loss(linear(j), u, 2, new Generator(9)).item();
        double perDim = JacobianHomeostasis.loss(linear(j), u, 2, new Generator(9), true).item();
        assertEquals(plain / 3, perDim, 1e-14);
    }

    @Test
    void gradientMatchesFiniteDifferencesWithTheSameProbes() {
        Random r = new Random(5);
        double[] w0 = new double[9];
        for (int i = 0; i < w0.length; i++) w0[i] = r.nextGaussian();
        Tensor u = rows(3, 3, 31);
        // the same seed each call: the same probes, so the loss is a smooth function of W
        Function<Tensor, Tensor> loss = w -> JacobianHomeostasis.loss(x -> x.tanh().matmul(w.mT()), u, 2, new Generator(32));
        Tensor w = Tensor.of(DType.F64, Device.cpu(), w0, 3, 3);
        double[] g = Autodiff.grad(loss, w).toDoubleArray();
        double h = 1e-6;
        for (int i = 0; i < w0.length; i++) {
            double[] plus = w0.clone(), minus = w0.clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (loss.apply(Tensor.of(DType.F64, Device.cpu(), plus, 3, 3)).item()
                    - loss.apply(Tensor.of(DType.F64, Device.cpu(), minus, 3, 3)).item()) / (2 * h);
            assertEquals(fd, g[i], 1e-6 * (1 + Math.abs(fd)), "d loss / d W[" + i + "]");
        }
        // tape style gives the same gradient
        Tensor leaf = Tensor.of(DType.F64, Device.cpu(), w0, 3, 3).requiresGrad(true);
        loss.apply(leaf).backward();
        double[] tape = leaf.grad().toDoubleArray();
        for (int i = 0; i < g.length; i++) assertEquals(g[i], tape[i], 1e-12, "tape style, entry " + i);
    }

    @Test
    void expectedGradientIsTwiceTheAntisymmetricPart() {
        // ∇_W ½‖W − Wᵀ‖² = 2(W − Wᵀ); the Monte Carlo gradient points the same way
        double[][] w = {{0.3, 1.0, -0.5}, {0.2, -0.4, 0.9}, {0.8, -0.1, 0.6}};
        Tensor u = rows(256, 3, 41);
        List<Tensor> g = Autodiff.grad(p -> JacobianHomeostasis.loss(linear(p.getFirst()), u, 64, new Generator(42)),
                List.of(matrix(w)));
        double[] got = g.getFirst().toDoubleArray();
        double dot = 0, gg = 0, ee = 0;
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                double e = 2 * (w[a][b] - w[b][a]);
                dot += e * got[3 * a + b];
                gg += got[3 * a + b] * got[3 * a + b];
                ee += e * e;
            }
        }
        assertTrue(dot / Math.sqrt(gg * ee) > 0.99, "cosine with 2(W − Wᵀ): " + dot / Math.sqrt(gg * ee));
        assertEquals(Math.sqrt(ee), Math.sqrt(gg), 0.1 * Math.sqrt(ee), "norm");
    }

    @Test
    void badInputIsNamed() {
        Tensor j = matrix(new double[][] {{1, 0}, {0, 1}});
        Generator g = new Generator(0);
        ShapeMismatchException rank = assertThrows(ShapeMismatchException.class,
                () -> JacobianHomeostasis.loss(linear(j), Tensor.zeros(DType.F64, Device.cpu(), 2), 1, g));
        assertEquals("JacobianHomeostasis.loss: u must be [batch, dim]: input[2] (F64, cpu)", rank.getMessage());
        ShapeMismatchException field = assertThrows(ShapeMismatchException.class,
                () -> JacobianHomeostasis.loss(x -> x.sum(new int[] {1}, true), rows(3, 2, 0), 1, g));
        assertEquals("JacobianHomeostasis.loss: the vector field must map u to a tensor of u's shape [3, 2], got [3, 1]: input[3, 2] (F64, cpu)",
                field.getMessage());
        DTypeMismatchException ints = assertThrows(DTypeMismatchException.class,
                () -> JacobianHomeostasis.loss(x -> x, Tensor.of(new long[] {1, 2}, 1, 2), 1, g));
        assertEquals("JacobianHomeostasis.loss: u must be floating (F32 or F64): input[1, 2] (I64, cpu)", ints.getMessage());
        assertEquals("JacobianHomeostasis.loss: samples must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> JacobianHomeostasis.loss(linear(j), rows(1, 2, 0), 0, g)).getMessage());
    }
}
