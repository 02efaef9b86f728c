package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A quadratic ½ xᵀAx has the Hessian A everywhere, so its spectrum is known exactly: A is built
 * as Q diag(λ) Qᵀ from a random orthogonal Q and chosen λ.
 */
class QuadraticSpectrumTest {

    private static final double[] LAMBDA = {9, 6, 4, 2.5, 1, 0.5, 0.25, 0.1, -0.2, -0.5, -1, -1.5};
    private static final int N = LAMBDA.length;
    private static final double[][] Q = DenseReference.randomOrthogonal(N, 5);

    private static HessianSpectrum spectrum(double[] lambda, double[][] q) {
        Tensor a = Problems.tensor(DenseReference.withEigenvalues(q, lambda), Device.cpu());
        return new HessianSpectrum(Problems.quadratic(a), List.of(Tensor.zeros(DType.F64, Device.cpu(), lambda.length)), 3);
    }

    @Test
    void topEigenvaluesAreTheQuadraticsLargestWithTheirEigenvectors() {
        HessianSpectrum.Eigen top = spectrum(LAMBDA, Q).topEigenvalues(3, 1e-13, 2000);
        assertEquals(3, top.values().length);
        for (int k = 0; k < 3; k++) {
            assertEquals(LAMBDA[k], top.values()[k], 1e-9, "eigenvalue " + k);
            double[] v = top.vectors().get(k).getFirst().toDoubleArray();
            double[] q = new double[N];
            for (int i = 0; i < N; i++) q[i] = Q[i][k];
            assertEquals(1, Math.abs(DenseReference.dot(v, q)), 1e-6, "eigenvector " + k + " up to sign");
            assertEquals(1, DenseReference.dot(v, v), 1e-12, "unit eigenvector " + k);
            assertTrue(top.iterations()[k] < 2000, "converged before the cap");
        }
    }

    @Test
    void defaultToleranceGivesTheTopEigenvalueToAboutAThousandth() {
        HessianSpectrum.Eigen top = spectrum(LAMBDA, Q).topEigenvalues(1);
        assertEquals(9, top.values()[0], 9 * 2e-3);
        assertTrue(top.iterations()[0] <= HessianSpectrum.DEFAULT_MAX_ITER);
    }

    @Test
    void valuesComeBackInDescendingOrderEvenWhenFoundByMagnitude() {
        // power iteration meets -12 (largest magnitude) first, then 5, then -3
        double[] lambda = {5, -12, -3, 1, 0.5, 0.2};
        HessianSpectrum.Eigen top = spectrum(lambda, DenseReference.randomOrthogonal(6, 8)).topEigenvalues(3, 1e-13, 3000);
        assertEquals(5, top.values()[0], 1e-8);
        assertEquals(-3, top.values()[1], 1e-8);
        assertEquals(-12, top.values()[2], 1e-8);
    }

    @Test
    void lanczosWithAsManyStepsAsDimensionsRecoversEveryEigenvalue() {
        HessianSpectrum.Ritz ritz = spectrum(LAMBDA, Q).lanczos(N);
        assertEquals(N, ritz.values().length);
        double sum = 0;
        for (int k = 0; k < N; k++) {
            assertEquals(LAMBDA[k], ritz.values()[k], 1e-10, "Ritz value " + k);   // LAMBDA is descending
            assertTrue(ritz.weights()[k] >= 0);
            sum += ritz.weights()[k];
        }
        assertEquals(1, sum, 1e-12);
    }

    @Test
    void hutchinsonIsExactOnADiagonalQuadratic() {
        // zᵀ D z = Σ d_i z_i² = tr D for every ±1 vector z: no variance at all
        HessianSpectrum.Trace t = spectrum(LAMBDA, DenseReference.identity(N)).trace(1e-3, 100);
        double trace = 0;
        for (double l : LAMBDA) trace += l;
        assertEquals(trace, t.estimate(), 1e-12);
        assertEquals(0, t.stdError(), 1e-12);
        assertEquals(HutchinsonTrace.MIN_SAMPLES, t.samples());
    }

    @Test
    void hutchinsonOnARotatedQuadraticIsWithinItsStandardError() {
        double trace = 0;
        for (double l : LAMBDA) trace += l;
        HessianSpectrum.Trace t = spectrum(LAMBDA, Q).trace(0.02, 5000);
        assertTrue(t.stdError() > 0, "a rotated matrix has off-diagonal entries, hence variance");
        assertTrue(t.stdError() <= 0.02 * Math.abs(t.estimate()) || t.samples() == 5000);
        assertEquals(trace, t.estimate(), 4 * t.stdError(), "within four standard errors");
        // the variance of zᵀAz is 2 Σ_{i≠j} A_ij²: the reported error must be of that size
        double[][] a = DenseReference.withEigenvalues(Q, LAMBDA);
        double off = 0;
        for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) if (i != j) off += a[i][j] * a[i][j];
        double expected = Math.sqrt(2 * off / t.samples());
        assertEquals(expected, t.stdError(), 0.35 * expected);
    }

    @Test
    void oneSampleHasNoStandardError() {
        HessianSpectrum.Trace t = spectrum(LAMBDA, Q).trace(0, 1);
        assertEquals(1, t.samples());
        assertTrue(Double.isNaN(t.stdError()));
    }
}
