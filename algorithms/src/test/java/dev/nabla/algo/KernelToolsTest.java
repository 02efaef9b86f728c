package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;
import dev.nabla.algo.EmpiricalNtk.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernel tools against float64 references written in the test: the symmetric eigensolver
 * against Jacobi rotations and a prescribed spectrum, kernel–target alignment against explicit
 * centring matrices, and the linearized dynamics against their limits, their differential
 * equation and gradient descent on a linear model (for which linearization is exact).
 */
class KernelToolsTest {

    private static final Device CPU = Device.cpu();

    @Test
    void eigenDecompositionRecoversAPrescribedSpectrum() {
        int n = 40;
        double[] spectrum = new double[n];
        for (int i = 0; i < n; i++) spectrum[i] = i < 5 ? 2.5 : (i - 20) * 0.37;   // a 5-fold eigenvalue and negative ones
        double[][] a = DenseReference.withEigenvalues(DenseReference.randomOrthogonal(n, 7), spectrum);
        SymmetricEigen.Decomposition e = SymmetricEigen.of(Problems.tensor(a, CPU));
        double[] values = e.values().toDoubleArray(), v = e.vectors().toDoubleArray();
        double[] sorted = spectrum.clone();
        Arrays.sort(sorted);
        for (int k = 0; k < n; k++) assertEquals(sorted[k], values[k], 1e-12, "eigenvalue " + k);
        for (int k = 0; k < n; k++) {
            double[] col = new double[n];
            for (int i = 0; i < n; i++) col[i] = v[i * n + k];
            double[] av = DenseReference.times(a, col);
            for (int i = 0; i < n; i++) assertEquals(values[k] * col[i], av[i], 1e-12, "A v = λ v, vector " + k);
            for (int l = 0; l <= k; l++) {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += col[i] * v[i * n + l];
                assertEquals(l == k ? 1 : 0, dot, 1e-12, "orthonormal " + k + ", " + l);
            }
        }
    }

    @Test
    void eigenvaluesMatchJacobiRotationsOnARandomSymmetricMatrix() {
        int n = 30;
        double[][] a = new double[n][n];
        java.util.Random r = new java.util.Random(9);
        for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) a[i][j] = a[j][i] = r.nextGaussian();
        double[] want = DenseReference.jacobi(a).values();   // descending
        double[] got = SymmetricEigen.of(Problems.tensor(a, CPU)).values().toDoubleArray();
        for (int k = 0; k < n; k++) assertEquals(want[n - 1 - k], got[k], 1e-12);
        // small cases and F32
        assertEquals(3.0, SymmetricEigen.of(Tensor.of(new double[] {3}, 1, 1)).values().item(), 0);
        assertEquals(0, SymmetricEigen.of(Tensor.zeros(DType.F64, CPU, 0, 0)).values().numel());
        SymmetricEigen.Decomposition f = SymmetricEigen.of(Tensor.of(new float[] {2, 1, 1, 2}, 2, 2));
        assertEquals(DType.F32, f.vectors().dtype());
        assertEquals(1.0, f.values().toDoubleArray()[0], 1e-6);
        assertEquals(3.0, f.values().toDoubleArray()[1], 1e-6);
    }

    @Test
    void eigenRejectsWhatIsNotASymmetricMatrix() {
        ShapeMismatchException s = assertThrows(ShapeMismatchException.class, () -> SymmetricEigen.of(Tensor.zeros(DType.F64, CPU, 2, 3)));
        assertEquals("SymmetricEigen.of: the matrix must be square [n, n]: input[2, 3] (F64, cpu)", s.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SymmetricEigen.of(Tensor.of(new double[] {1, 2, 0, 1}, 2, 2)));
        assertTrue(e.getMessage().startsWith("SymmetricEigen.of: the matrix is not symmetric"), e.getMessage());
    }

    @Test
    void alignmentMatchesExplicitCentringAndItsExtremes() {
        int n = 9;
        Generator g = new Generator(4);
        Tensor x = Tensor.randn(DType.F64, CPU, g, n, 3);
        Tensor k = x.matmul(x.mT()).add(1.0).square();   // a polynomial kernel
        Tensor y = Tensor.randn(DType.F64, CPU, g, n, 2);
        double[][] kk = rows(k.toDoubleArray(), n), h = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) h[i][j] = (i == j ? 1 : 0) - 1.0 / n;
        double[][] kc = product(product(h, kk), h);
        double[] yv = y.toDoubleArray();
        double num = 0, knorm = 0, ynorm = 0;
        for (int o = 0; o < 2; o++) {
            double[] col = new double[n];
            for (int i = 0; i < n; i++) col[i] = yv[i * 2 + o];
            double[] yc = DenseReference.times(h, col);
            num += DenseReference.dot(yc, DenseReference.times(kc, yc));
            ynorm += DenseReference.dot(yc, yc);
        }
        for (double[] row : kc) for (double v : row) knorm += v * v;
        assertEquals(num / (Math.sqrt(knorm) * ynorm), KernelAlignment.of(k, y), 1e-13);
        // the labels' own outer product (plus a constant, which centring removes) is perfectly aligned
        Tensor y1 = y.select(1, 0);
        assertEquals(1, KernelAlignment.of(y1.outer(y1).add(3.0), y1), 1e-13);
        // the identity: ‖ỹ‖² / (√(N−1) ‖ỹ‖²)
        assertEquals(1 / Math.sqrt(n - 1), KernelAlignment.of(Tensor.eye(DType.F64, CPU, n), y1), 1e-13);
    }

    /** A linear model f(x) = x W + b: its NTK (XX'ᵀ + 1) ⊗ I is exact for all time. */
    private record Linear(Tensor x, Tensor xTest, Tensor y, List<Tensor> params) {
        static Linear make() {
            Generator g = new Generator(17);
            return new Linear(Tensor.randn(DType.F64, CPU, g, 6, 3), Tensor.randn(DType.F64, CPU, g, 4, 3),
                    Tensor.randn(DType.F64, CPU, g, 6, 2),
                    List.of(Tensor.randn(DType.F64, CPU, g, 3, 2).mul(0.3), Tensor.randn(DType.F64, CPU, g, 2).mul(0.3)));
        }
    }

    @Test
    void linearizedOutputsStartAtF0AndEndAtKernelRegression() {
        Linear p = Linear.make();
        Tensor theta = EmpiricalNtk.kernel(NtkModels.LINEAR, p.params(), p.x(), null, true, Method.AUTO).div(2.0);   // per output
        Tensor cross = EmpiricalNtk.kernel(NtkModels.LINEAR, p.params(), p.xTest(), p.x(), true, Method.AUTO).div(2.0);
        Tensor f0 = NtkModels.LINEAR.apply(p.params(), p.x()), f0Test = NtkModels.LINEAR.apply(p.params(), p.xTest());
        try (LinearizedDynamics lin = LinearizedDynamics.of(theta, f0, p.y(), 0.1)) {
            assertTrue(NtkModels.relativeError(lin.trainOutputs(0).toDoubleArray(), f0.toDoubleArray()) < 1e-13);
            assertTrue(NtkModels.relativeError(lin.outputs(cross, f0Test, 0).toDoubleArray(), f0Test.toDoubleArray()) < 1e-13);
            // t = ∞: kernel regression, which for a linear model is the least-squares fit of [x, 1] to y
            // (6 points, 4 features: a unique solution whatever the initialization)
            double[] xs = p.x().toDoubleArray(), ys = p.y().toDoubleArray(), xt = p.xTest().toDoubleArray();
            double[] got = lin.outputs(cross, f0Test, Double.POSITIVE_INFINITY).toDoubleArray();
            for (int o = 0; o < 2; o++) {
                double[][] normal = new double[4][4];
                double[] rhs = new double[4];
                for (int i = 0; i < 6; i++) {
                    double[] f = {xs[i * 3], xs[i * 3 + 1], xs[i * 3 + 2], 1};
                    for (int a = 0; a < 4; a++) {
                        rhs[a] += f[a] * ys[i * 2 + o];
                        for (int b = 0; b < 4; b++) normal[a][b] += f[a] * f[b];
                    }
                }
                double[] beta = DenseReference.solve(normal, rhs);
                for (int i = 0; i < 4; i++) {
                    double want = beta[0] * xt[i * 3] + beta[1] * xt[i * 3 + 1] + beta[2] * xt[i * 3 + 2] + beta[3];
                    assertEquals(want, got[i * 2 + o], 1e-10, "output " + o + " at x*" + i);
                }
            }
        }
    }

    @Test
    void trainOutputsFollowTheirDifferentialEquationAndMatchGradientDescent() {
        Linear p = Linear.make();
        double eta = 0.01;
        Tensor theta = EmpiricalNtk.kernel(NtkModels.LINEAR, p.params(), p.x(), null, true, Method.AUTO).div(2.0);
        Tensor full = EmpiricalNtk.kernel(NtkModels.LINEAR, p.params(), p.x(), null, false, Method.AUTO);
        Tensor cross = EmpiricalNtk.kernel(NtkModels.LINEAR, p.params(), p.xTest(), p.x(), false, Method.AUTO);
        Tensor f0 = NtkModels.LINEAR.apply(p.params(), p.x()), f0Test = NtkModels.LINEAR.apply(p.params(), p.xTest());
        try (LinearizedDynamics lin = LinearizedDynamics.of(theta, f0, p.y(), eta);
             LinearizedDynamics linFull = LinearizedDynamics.of(full, f0, p.y(), eta)) {
            // d f/dt = −η Θ (f − y), by a central difference in t
            double t = 30, h = 1e-3;
            double[] dfdt = lin.trainOutputs(t + h).sub(lin.trainOutputs(t - h)).div(2 * h).toDoubleArray();
            double[] rhs = theta.matmul(lin.trainOutputs(t).sub(p.y())).mul(-eta).toDoubleArray();
            assertTrue(NtkModels.relativeError(dfdt, rhs) < 1e-7, "the ODE");
            // the full kernel [N, N, O, O] = Θ ⊗ I gives the same dynamics
            assertTrue(NtkModels.relativeError(linFull.trainOutputs(t).toDoubleArray(), lin.trainOutputs(t).toDoubleArray()) < 1e-12);
            // gradient descent on ½ Σ ‖f − y‖²: W ← W − η Xᵀ(f − y), b ← b − η Σ(f − y); after k steps it is
            // the continuous flow at t = k up to O(η λ) per unit of ηλt (η λ_max ≈ 0.1 here, so ~1%)
            Tensor w = p.params().get(0), b = p.params().get(1);
            int steps = 150;
            for (int k = 0; k < steps; k++) {
                Tensor r = p.x().matmul(w).add(b).sub(p.y());
                w = w.sub(p.x().mT().matmul(r).mul(eta));
                b = b.sub(r.sum(0).mul(eta));
            }
            double[] gd = p.xTest().matmul(w).add(b).toDoubleArray();
            double[] lazy = linFull.outputs(cross, f0Test, steps).toDoubleArray();
            assertTrue(NtkModels.relativeError(lazy, gd) < 0.03, "GD against the linearized flow: " + NtkModels.relativeError(lazy, gd));
            double[] gdTrain = p.x().matmul(w).add(b).toDoubleArray();
            assertTrue(NtkModels.relativeError(lin.trainOutputs(steps).toDoubleArray(), gdTrain) < 0.03);
        }
    }

    @Test
    void dynamicsRejectMismatchedShapes() {
        Tensor k = Tensor.eye(DType.F64, CPU, 3);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> LinearizedDynamics.of(k, Tensor.zeros(DType.F64, CPU, 4), Tensor.zeros(DType.F64, CPU, 4), 0.1));
        assertTrue(e.getMessage().startsWith("LinearizedDynamics.of: expected kernel [N, N]"), e.getMessage());
        assertTrue(e.getMessage().contains("a[3, 3] (F64, cpu), b[4] (F64, cpu), c[4] (F64, cpu)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LinearizedDynamics.of(k, Tensor.zeros(DType.F64, CPU, 3),
                Tensor.zeros(DType.F64, CPU, 3), 0));
        assertThrows(ShapeMismatchException.class, () -> KernelAlignment.of(k, Tensor.zeros(DType.F64, CPU, 2)));
    }

    private static double[][] rows(double[] flat, int n) {
        double[][] a = new double[flat.length / n][n];
        for (int i = 0; i < a.length; i++) System.arraycopy(flat, i * n, a[i], 0, n);
        return a;
    }

    private static double[][] product(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++)
            for (int k = 0; k < b.length; k++)
                for (int j = 0; j < b[0].length; j++) c[i][j] += a[i][k] * b[k][j];
        return c;
    }
}
