package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The QL decomposition of tridiagonal matrices against the Jacobi method on the dense matrix. */
class TridiagonalEigenTest {

    @Test
    void eigenvaluesAndVectorsMatchJacobiOnTheDenseMatrix() {
        Random rnd = new Random(11);
        for (int n : new int[] {1, 2, 3, 7, 25}) {
            double[] alpha = new double[n], beta = new double[n - 1];
            for (int i = 0; i < n; i++) alpha[i] = rnd.nextGaussian() * 3;
            for (int i = 0; i < n - 1; i++) beta[i] = rnd.nextDouble() + 0.01;
            double[][] dense = new double[n][n];
            for (int i = 0; i < n; i++) dense[i][i] = alpha[i];
            for (int i = 0; i < n - 1; i++) dense[i][i + 1] = dense[i + 1][i] = beta[i];

            TridiagonalEigen.Decomposition d = TridiagonalEigen.decompose(alpha, beta);
            DenseReference.Eigen ref = DenseReference.jacobi(dense);
            for (int k = 0; k < n; k++) {
                // ascending here, descending in the reference
                assertEquals(ref.values()[n - 1 - k], d.values()[k], 1e-12 * (1 + Math.abs(ref.values()[n - 1 - k])), "n " + n + " k " + k);
                double[] z = new double[n];
                for (int i = 0; i < n; i++) z[i] = d.vectors()[i][k];
                double[] tz = DenseReference.times(dense, z);
                for (int i = 0; i < n; i++) assertEquals(d.values()[k] * z[i], tz[i], 1e-11, "T z = λ z, n " + n);
                assertEquals(1, DenseReference.dot(z, z), 1e-12);
                assertEquals(1, Math.abs(DenseReference.dot(z, ref.column(n - 1 - k))), 1e-9, "same eigenvector up to sign");
            }
            double weights = 0;
            for (double w : d.firstComponentsSquared()) weights += w;
            assertEquals(1, weights, 1e-12, "the first row of an orthogonal matrix has unit norm");
        }
    }

    @Test
    void twoByTwoHasItsClosedForm() {
        // [[2, 1], [1, 2]]: eigenvalues 1 and 3, eigenvectors (1, -1)/√2 and (1, 1)/√2
        TridiagonalEigen.Decomposition d = TridiagonalEigen.decompose(new double[] {2, 2}, new double[] {1});
        assertEquals(1, d.values()[0], 1e-15);
        assertEquals(3, d.values()[1], 1e-15);
        assertEquals(0.5, d.firstComponentsSquared()[0], 1e-15);
        assertEquals(0.5, d.firstComponentsSquared()[1], 1e-15);
    }

    @Test
    void aDiagonalMatrixNeedsNoRotation() {
        TridiagonalEigen.Decomposition d = TridiagonalEigen.decompose(new double[] {4, -1, 2}, new double[] {0, 0});
        assertEquals(-1, d.values()[0]);
        assertEquals(2, d.values()[1]);
        assertEquals(4, d.values()[2]);
        assertEquals(1, d.firstComponentsSquared()[2], 0);   // e1 belongs to the eigenvalue 4
    }
}
