package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;
import dev.nabla.nn.Losses;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * For z = tanh(X w) and the mean squared error, H_L = (2/N) I, so the Gauss-Newton matrix is
 * (2/N) Jᵀ J with J = diag(1 − z²) X: computed here in a float64 loop. It differs from the
 * Hessian by the residuals' term, which vanishes where the model interpolates.
 */
class GaussNewtonTest {

    private static final int N = 12, D = 4;
    private static final double[][] X = new double[N][D];
    private static final double[] W = {0.7, -0.4, 0.3, 0.9};
    private static final double[] Y = new double[N];
    static {
        Random rnd = new Random(3);
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < D; k++) X[i][k] = rnd.nextGaussian();
            Y[i] = rnd.nextGaussian() * 0.5;
        }
    }
    private static final Tensor XS = Problems.tensor(X, Device.cpu());

    private static Function<List<Tensor>, Tensor> model() {
        return p -> XS.matmul(p.getFirst()).tanh();
    }

    private static Function<Tensor, Tensor> mse(double[] y) {
        Tensor target = Tensor.of(DType.F64, Device.cpu(), y, N);
        return z -> Losses.mse(z, target);
    }

    private static double[][] reference() {
        double[][] g = new double[D][D];
        for (int i = 0; i < N; i++) {
            double z = 0;
            for (int k = 0; k < D; k++) z += X[i][k] * W[k];
            double s = 1 - Math.tanh(z) * Math.tanh(z);
            for (int r = 0; r < D; r++) for (int c = 0; c < D; c++) g[r][c] += 2.0 / N * s * X[i][r] * s * X[i][c];
        }
        return g;
    }

    private static List<Tensor> w() {
        return List.of(Tensor.of(DType.F64, Device.cpu(), W, D));
    }

    @Test
    void productsMatchTwoOverNJTransposeJ() {
        double[][] g = reference();
        CurvatureOperator op = GaussNewton.operator(model(), mse(Y), w());
        Random rnd = new Random(8);
        for (int trial = 0; trial < 3; trial++) {
            double[] v = new double[D];
            for (int k = 0; k < D; k++) v[k] = rnd.nextGaussian();
            double[] gv = op.apply(List.of(Tensor.of(DType.F64, Device.cpu(), v, D))).getFirst().toDoubleArray();
            double[] expected = DenseReference.times(g, v);
            for (int k = 0; k < D; k++) assertEquals(expected[k], gv[k], 1e-13);
            assertTrue(DenseReference.dot(v, gv) >= 0, "positive semi-definite");
        }
    }

    @Test
    void differsFromTheHessianByTheResidualTermWhichVanishesAtInterpolation() {
        List<Tensor> e0 = List.of(Tensor.of(DType.F64, Device.cpu(), new double[] {1, 0, 0, 0}, D));
        Function<List<Tensor>, Tensor> loss = p -> mse(Y).apply(model().apply(p));
        double[] gv = GaussNewton.product(model(), mse(Y), w(), e0).getFirst().toDoubleArray();
        double[] hv = CurvatureOperator.hessian(loss, w()).apply(e0).getFirst().toDoubleArray();
        double gap = 0;
        for (int k = 0; k < D; k++) gap += Math.abs(gv[k] - hv[k]);
        assertTrue(gap > 1e-2, "with residuals the model's curvature matters: gap " + gap);

        // targets the model meets exactly: the residual term is zero and G = H
        double[] fitted = new double[N];
        for (int i = 0; i < N; i++) {
            double z = 0;
            for (int k = 0; k < D; k++) z += X[i][k] * W[k];
            fitted[i] = Math.tanh(z);
        }
        Function<List<Tensor>, Tensor> interpolating = p -> mse(fitted).apply(model().apply(p));
        double[] g2 = GaussNewton.product(model(), mse(fitted), w(), e0).getFirst().toDoubleArray();
        double[] h2 = CurvatureOperator.hessian(interpolating, w()).apply(e0).getFirst().toDoubleArray();
        for (int k = 0; k < D; k++) assertEquals(g2[k], h2[k], 1e-13);
    }

    @Test
    void spectrumOfTheGaussNewtonMatrixMatchesTheReference() {
        DenseReference.Eigen ref = DenseReference.jacobi(reference());
        HessianSpectrum s = HessianSpectrum.of(GaussNewton.operator(model(), mse(Y), w()), w(), 1);
        HessianSpectrum.Ritz ritz = s.lanczos(D);
        for (int k = 0; k < D; k++) assertEquals(ref.values()[k], ritz.values()[k], 1e-12);
        assertEquals(ref.values()[0], s.topEigenvalues(1, 1e-13, 3000).values()[0], 1e-9);
    }
}
