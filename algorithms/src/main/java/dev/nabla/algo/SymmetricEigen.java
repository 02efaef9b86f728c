package dev.nabla.algo;

import dev.nabla.Tensor;

import java.util.Arrays;

/**
 * The eigen-decomposition A = V diag(λ) Vᵀ of a real symmetric matrix, for kernels such as an NTK
 * over a training set: Householder reduction to tridiagonal form, then the implicit QL method with
 * shifts (the EISPACK tred2/tql2 pair, as in JAMA). It runs on the host in float64 whatever the
 * tensor's device (the matrix is copied there and the results back): O(n³) flops and 2n² doubles,
 * a second or so at n = 1000. The matrix is symmetrized as (A + Aᵀ)/2 first; one whose asymmetry
 * exceeds √ε of its largest entry (ε of its dtype) is refused.
 *
 * <pre>{@code
 * SymmetricEigen.Decomposition e = SymmetricEigen.of(theta);   // theta [n, n]
 * Tensor top = e.values().narrow(0, n - 1, 1);                   // ascending: the largest last
 * }</pre>
 */
public final class SymmetricEigen {
    private SymmetricEigen() {}

    /**
     * Eigenvalues ascending [n] and the unit eigenvectors as the columns of vectors [n, n], on the
     * input's device in its dtype.
     */
    public record Decomposition(Tensor values, Tensor vectors) {}

    /** The decomposition in float64 on the host: values ascending; rows[k] is the eigenvector of values[k]. */
    record Host(double[] values, double[][] rows) {}

    public static Decomposition of(Tensor a) {
        String op = "SymmetricEigen.of";
        if (a.rank() != 2 || a.shape()[0] != a.shape()[1]) throw Operands.shape(op, "the matrix must be square [n, n]", a);
        if (!a.dtype().isFloating()) throw Operands.dtype(op, "the matrix must be floating (F32 or F64)", a);
        int n = Math.toIntExact(a.shape()[0]);
        double[] flat = a.toDoubleArray();
        double[][] m = new double[n][n];
        double largest = 0, asymmetry = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = flat[i * n + j], y = flat[j * n + i];
                if (!Double.isFinite(x)) throw new ArithmeticException(op + ": entry (" + i + ", " + j + ") is " + x + ": a" + Operands.describe(a));
                m[i][j] = 0.5 * (x + y);
                largest = Math.max(largest, Math.abs(x));
                asymmetry = Math.max(asymmetry, Math.abs(x - y));
            }
        }
        double eps = a.dtype() == dev.nabla.DType.F64 ? 0x1p-52 : 0x1p-23;
        if (asymmetry > Math.sqrt(eps) * largest) {
            throw new IllegalArgumentException(op + ": the matrix is not symmetric (max |A - Aᵀ| = " + asymmetry
                    + ", max |A| = " + largest + "): a" + Operands.describe(a));
        }
        Host h = decompose(m);
        double[] vectors = new double[n * n];
        for (int k = 0; k < n; k++) for (int i = 0; i < n; i++) vectors[i * n + k] = h.rows()[k][i];
        return new Decomposition(Tensor.of(a.dtype(), a.device(), h.values(), n), Tensor.of(a.dtype(), a.device(), vectors, n, n));
    }

    /** Decomposes a symmetric matrix (only its lower triangle is read; m is overwritten). */
    static Host decompose(double[][] m) {
        int n = m.length;
        double[] d = new double[n], e = new double[n];
        if (n == 0) return new Host(d, new double[0][]);
        tridiagonalize(m, d, e);
        // QL rotates pairs of eigenvector columns; held as rows they are two contiguous arrays
        double[][] z = new double[n][n];
        for (int i = 0; i < n; i++) for (int k = 0; k < n; k++) z[k][i] = m[i][k];
        ql(d, e, z);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (p, q) -> Double.compare(d[p], d[q]));
        double[] values = new double[n];
        double[][] rows = new double[n][];
        for (int k = 0; k < n; k++) {
            values[k] = d[order[k]];
            rows[k] = z[order[k]];
        }
        return new Host(values, rows);
    }

    /**
     * Householder reduction (tred2): on return m holds the orthogonal Q with A = Q T Qᵀ, d the
     * diagonal of T and e its subdiagonal (e[i] couples i - 1 and i; e[0] = 0).
     */
    private static void tridiagonalize(double[][] v, double[] d, double[] e) {
        int n = v.length;
        System.arraycopy(v[n - 1], 0, d, 0, n);
        for (int i = n - 1; i > 0; i--) {
            double scale = 0, h = 0;
            for (int k = 0; k < i; k++) scale += Math.abs(d[k]);
            if (scale == 0) {
                // the row is already reduced: nothing to annihilate
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++) {
                    d[j] = v[i - 1][j];
                    v[i][j] = 0;
                    v[j][i] = 0;
                }
            } else {
                for (int k = 0; k < i; k++) {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1];
                double g = f > 0 ? -Math.sqrt(h) : Math.sqrt(h);
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) e[j] = 0;
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    v[j][i] = f;
                    g = e[j] + v[j][j] * f;
                    for (int k = j + 1; k <= i - 1; k++) {
                        g += v[k][j] * d[k];
                        e[k] += v[k][j] * f;
                    }
                    e[j] = g;
                }
                f = 0;
                for (int j = 0; j < i; j++) {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) e[j] -= hh * d[j];
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    g = e[j];
                    for (int k = j; k <= i - 1; k++) v[k][j] -= f * e[k] + g * d[k];
                    d[j] = v[i - 1][j];
                    v[i][j] = 0;
                }
            }
            d[i] = h;
        }
        // accumulate the reflections into Q
        for (int i = 0; i < n - 1; i++) {
            v[n - 1][i] = v[i][i];
            v[i][i] = 1;
            double h = d[i + 1];
            if (h != 0) {
                for (int k = 0; k <= i; k++) d[k] = v[k][i + 1] / h;
                for (int j = 0; j <= i; j++) {
                    double g = 0;
                    for (int k = 0; k <= i; k++) g += v[k][i + 1] * v[k][j];
                    for (int k = 0; k <= i; k++) v[k][j] -= g * d[k];
                }
            }
            for (int k = 0; k <= i; k++) v[k][i + 1] = 0;
        }
        for (int j = 0; j < n; j++) {
            d[j] = v[n - 1][j];
            v[n - 1][j] = 0;
        }
        v[n - 1][n - 1] = 1;
        e[0] = 0;
    }

    /**
     * Implicit QL with shifts (tql2) on the tridiagonal (d, e), rotating the rows of z (Qᵀ on
     * entry); on return d holds the eigenvalues and z[k] the eigenvector of d[k].
     */
    private static void ql(double[] d, double[] e, double[][] z) {
        int n = d.length;
        for (int i = 1; i < n; i++) e[i - 1] = e[i];
        e[n - 1] = 0;
        double f = 0, tst1 = 0;
        double eps = 0x1p-52;
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
            if (m > l) {
                int iterations = 0;
                do {
                    if (++iterations > 60) throw new ArithmeticException("SymmetricEigen: QL did not converge in 60 iterations");
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = Math.copySign(Math.hypot(p, 1), p);
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) d[i] -= h;
                    f += h;
                    p = d[m];
                    double c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
                    double el1 = e[l + 1];
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Math.hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        rotate(z[i], z[i + 1], c, s);
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
    }

    private static void rotate(double[] a, double[] b, double c, double s) {
        for (int k = 0; k < a.length; k++) {
            double t = b[k];
            b[k] = s * a[k] + c * t;
            a[k] = c * a[k] - s * t;
        }
    }
}
