package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A matrix with d distinct eigenvalues has a Krylov space of dimension d from a generic start, so
 * Lanczos stops after d steps with exactly those eigenvalues as Ritz values, and for a diagonal
 * matrix with a ±1 start the quadrature weights are exactly the multiplicities over n.
 */
class LanczosTest {

    private static final double[] DISTINCT = {7, 2, 0.5, -1};
    private static final int[] MULTIPLICITY = {5, 15, 10, 10};

    private static double[] spectrum() {
        int n = 0;
        for (int m : MULTIPLICITY) n += m;
        double[] lambda = new double[n];
        int at = 0;
        for (int i = 0; i < DISTINCT.length; i++) for (int k = 0; k < MULTIPLICITY[i]; k++) lambda[at++] = DISTINCT[i];
        return lambda;
    }

    private static HessianSpectrum on(double[][] a, long seed) {
        Tensor m = Problems.tensor(a, Device.cpu());
        return HessianSpectrum.of(Problems.matrix(m), List.of(Tensor.zeros(DType.F64, Device.cpu(), a.length)), seed);
    }

    @Test
    void recoversAllDistinctEigenvaluesOfARotatedMatrixAndStops() {
        double[] lambda = spectrum();
        double[][] a = DenseReference.withEigenvalues(DenseReference.randomOrthogonal(lambda.length, 17), lambda);
        for (long seed = 0; seed < 3; seed++) {
            HessianSpectrum.Ritz ritz = on(a, seed).lanczos(30);
            assertEquals(DISTINCT.length, ritz.values().length, "the Krylov space is exhausted after as many steps as distinct eigenvalues");
            double sum = 0;
            for (int k = 0; k < DISTINCT.length; k++) {
                assertEquals(DISTINCT[k], ritz.values()[k], 1e-10, "distinct eigenvalue " + k);
                assertTrue(ritz.weights()[k] > 0);
                sum += ritz.weights()[k];
            }
            assertEquals(1, sum, 1e-12);
        }
    }

    @Test
    void throughAutodiffTheQuadraticGivesTheSameRitzValues() {
        double[] lambda = spectrum();
        double[][] a = DenseReference.withEigenvalues(DenseReference.randomOrthogonal(lambda.length, 17), lambda);
        Tensor m = Problems.tensor(a, Device.cpu());
        HessianSpectrum.Ritz ritz = new HessianSpectrum(Problems.quadratic(m), List.of(Tensor.zeros(DType.F64, Device.cpu(), lambda.length)))
                .lanczos(30);
        assertEquals(DISTINCT.length, ritz.values().length);
        for (int k = 0; k < DISTINCT.length; k++) assertEquals(DISTINCT[k], ritz.values()[k], 1e-10);
    }

    @Test
    void weightsOfADiagonalMatrixAreTheMultiplicitiesOverN() {
        double[] lambda = spectrum();
        double[][] a = new double[lambda.length][lambda.length];
        for (int i = 0; i < lambda.length; i++) a[i][i] = lambda[i];
        HessianSpectrum.Ritz ritz = on(a, 4).lanczos(30);
        assertEquals(DISTINCT.length, ritz.values().length);
        for (int k = 0; k < DISTINCT.length; k++) {
            assertEquals(DISTINCT[k], ritz.values()[k], 1e-10);
            // (±1)² = 1 in every coordinate: each eigenspace holds exactly its share of the start vector
            assertEquals((double) MULTIPLICITY[k] / lambda.length, ritz.weights()[k], 1e-12);
        }
    }

    @Test
    void fewStepsFindTheExtremeEigenvaluesFirst() {
        double[] lambda = new double[200];
        for (int i = 0; i < lambda.length; i++) lambda[i] = i < 2 ? 50 - 10 * i : Math.sin(i) * 0.5;   // 50, 40, then a bulk in [-0.5, 0.5]
        double[][] a = new double[200][200];
        for (int i = 0; i < 200; i++) a[i][i] = lambda[i];
        HessianSpectrum.Ritz ritz = on(a, 1).lanczos(20);
        assertEquals(20, ritz.values().length);
        assertEquals(50, ritz.values()[0], 1e-8);
        assertEquals(40, ritz.values()[1], 1e-8);
        for (int k = 2; k < 20; k++) assertTrue(Math.abs(ritz.values()[k]) <= 0.5 + 1e-9, "Ritz values interlace: inside the bulk");
    }
}
