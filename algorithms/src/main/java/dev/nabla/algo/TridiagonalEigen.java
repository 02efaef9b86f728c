package dev.nabla.algo;

/**
 * Eigenvalues and eigenvectors of a real symmetric tridiagonal matrix by the implicit QL method
 * with Wilkinson-like shifts (the EISPACK tql2 scheme), in float64 on the host. Lanczos reduces
 * an operator of millions of dimensions to such a matrix of a few dozen: its eigenvalues are the
 * Ritz values, and the squared first components of its eigenvectors the quadrature weights.
 */
final class TridiagonalEigen {
    private TridiagonalEigen() {}

    /**
     * The decomposition T = Z diag(values) Zᵀ, values ascending; column k of vectors (vectors[i][k])
     * is the unit eigenvector of values[k].
     */
    record Decomposition(double[] values, double[][] vectors) {
        /** The squared first component of each eigenvector: the Gauss quadrature weights of a Lanczos run. */
        double[] firstComponentsSquared() {
            double[] w = new double[values.length];
            for (int k = 0; k < w.length; k++) w[k] = vectors[0][k] * vectors[0][k];
            return w;
        }
    }

    /**
     * Decomposes the matrix with diagonal alpha (length n) and off-diagonal beta (length n - 1,
     * beta[i] at (i, i+1) and (i+1, i)).
     */
    static Decomposition decompose(double[] alpha, double[] beta) {
        int n = alpha.length;
        if (beta.length != Math.max(0, n - 1)) {
            throw new IllegalArgumentException("tridiagonal: " + n + " diagonal entries need " + Math.max(0, n - 1)
                    + " off-diagonal ones, got " + beta.length);
        }
        double[] d = alpha.clone();
        double[] e = new double[n];          // e[i] couples d[i] and d[i+1]; e[n-1] stays 0
        System.arraycopy(beta, 0, e, 0, Math.max(0, n - 1));
        double[][] z = new double[n][n];
        for (int i = 0; i < n; i++) z[i][i] = 1;

        for (int l = 0; l < n; l++) {
            int iterations = 0;
            int m;
            do {
                // the first negligible off-diagonal entry at or after l splits the matrix there
                for (m = l; m < n - 1; m++) {
                    double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
                    if (Math.abs(e[m]) <= 0x1p-52 * dd) break;
                }
                if (m == l) break;
                if (++iterations > 60) throw new ArithmeticException("tridiagonal: QL did not converge in 60 iterations");
                // shift: the eigenvalue of the leading 2x2 block closer to d[l]
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = Math.hypot(g, 1);
                g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
                double s = 1, c = 1, p = 0;
                int i;
                boolean deflated = false;
                for (i = m - 1; i >= l; i--) {
                    double f = s * e[i];
                    double b = c * e[i];
                    r = Math.hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0) {
                        // underflow: the rotation is the identity; deflate and start over
                        d[i + 1] -= p;
                        e[m] = 0;
                        deflated = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                    for (int k = 0; k < n; k++) {
                        double t = z[k][i + 1];
                        z[k][i + 1] = s * z[k][i] + c * t;
                        z[k][i] = c * z[k][i] - s * t;
                    }
                }
                if (deflated) continue;
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            } while (true);
        }
        return sorted(d, z);
    }

    private static Decomposition sorted(double[] d, double[][] z) {
        int n = d.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Double.compare(d[a], d[b]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int k = 0; k < n; k++) {
            values[k] = d[order[k]];
            for (int i = 0; i < n; i++) vectors[i][k] = z[i][order[k]];
        }
        return new Decomposition(values, vectors);
    }
}
