package dev.nabla.algo;

import java.util.Arrays;
import java.util.Random;

/**
 * Float64 references written in plain loops, independent of the code under test: the cyclic
 * Jacobi eigenvalue method, Gaussian elimination, random orthogonal matrices, products.
 */
final class DenseReference {
    private DenseReference() {}

    /** Eigenvalues (descending) and eigenvectors (columns, same order) of a symmetric matrix. */
    record Eigen(double[] values, double[][] vectors) {
        double[] column(int k) {
            double[] c = new double[vectors.length];
            for (int i = 0; i < c.length; i++) c[i] = vectors[i][k];
            return c;
        }
    }

    /** Cyclic Jacobi rotations until the off-diagonal part vanishes to round-off. */
    static Eigen jacobi(double[][] matrix) {
        int n = matrix.length;
        double[][] a = copy(matrix);
        double[][] v = identity(n);
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0, all = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    all += a[i][j] * a[i][j];
                    if (i != j) off += a[i][j] * a[i][j];
                }
            }
            if (off <= 1e-30 * all) break;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) continue;
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p], akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k], aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p], vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        double[][] fa = a;
        Arrays.sort(order, (x, y) -> Double.compare(fa[y][y], fa[x][x]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int k = 0; k < n; k++) {
            values[k] = a[order[k]][order[k]];
            for (int i = 0; i < n; i++) vectors[i][k] = v[i][order[k]];
        }
        return new Eigen(values, vectors);
    }

    /** Solves A x = b by Gaussian elimination with partial pivoting. */
    static double[] solve(double[][] matrix, double[] rhs) {
        int n = rhs.length;
        double[][] a = copy(matrix);
        double[] b = rhs.clone();
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
            double[] tr = a[col]; a[col] = a[pivot]; a[pivot] = tr;
            double tb = b[col]; b[col] = b[pivot]; b[pivot] = tb;
            for (int r = col + 1; r < n; r++) {
                double f = a[r][col] / a[col][col];
                for (int k = col; k < n; k++) a[r][k] -= f * a[col][k];
                b[r] -= f * b[col];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int k = r + 1; k < n; k++) s -= a[r][k] * x[k];
            x[r] = s / a[r][r];
        }
        return x;
    }

    /** A random orthogonal matrix: Gram-Schmidt on Gaussian columns. */
    static double[][] randomOrthogonal(int n, long seed) {
        Random rnd = new Random(seed);
        double[][] q = new double[n][n];
        for (int k = 0; k < n; k++) {
            double[] c = new double[n];
            for (int i = 0; i < n; i++) c[i] = rnd.nextGaussian();
            for (int j = 0; j < k; j++) {
                double d = 0;
                for (int i = 0; i < n; i++) d += c[i] * q[i][j];
                for (int i = 0; i < n; i++) c[i] -= d * q[i][j];
            }
            double norm = 0;
            for (double x : c) norm += x * x;
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) q[i][k] = c[i] / norm;
        }
        return q;
    }

    /** Q diag(values) Qᵀ. */
    static double[][] withEigenvalues(double[][] q, double[] values) {
        int n = values.length;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += q[i][k] * values[k] * q[j][k];
                a[i][j] = s;
            }
        }
        return a;
    }

    static double[] times(double[][] a, double[] x) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (int k = 0; k < x.length; k++) s += a[i][k] * x[k];
            y[i] = s;
        }
        return y;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double trace(double[][] a) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i][i];
        return s;
    }

    static double[] flatten(double[][] a) {
        int n = a.length, m = a[0].length;
        double[] out = new double[n * m];
        for (int i = 0; i < n; i++) System.arraycopy(a[i], 0, out, i * m, m);
        return out;
    }

    static double[][] identity(int n) {
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) a[i][i] = 1;
        return a;
    }

    static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }
}
