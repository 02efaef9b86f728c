package dev.nabla.algo;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;

import java.util.Random;

/** Optimal-transport test problems built on the host in float64 (so every device gets the same numbers). */
final class OtProblems {
    private OtProblems() {}

    /** A cost with entries uniform in [0, 1). */
    static double[][] uniformCost(int n, int m, long seed) {
        Random rnd = new Random(seed);
        double[][] c = new double[n][m];
        for (double[] row : c) for (int j = 0; j < m; j++) row[j] = rnd.nextDouble();
        return c;
    }

    /** Positive weights summing to 1. */
    static double[] marginal(int n, long seed) {
        Random rnd = new Random(seed);
        double[] w = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) s += w[i] = 0.5 + rnd.nextDouble();
        for (int i = 0; i < n; i++) w[i] /= s;
        return w;
    }

    static double[] uniform(int n) {
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1.0 / n);
        return w;
    }

    static Tensor matrix(double[][] a, Device d) {
        int n = a.length, m = a[0].length;
        double[] flat = new double[n * m];
        for (int i = 0; i < n; i++) System.arraycopy(a[i], 0, flat, i * m, m);
        return Tensor.of(DType.F64, d, flat, n, m);
    }

    static Tensor vector(double[] v, Device d) {
        return Tensor.of(DType.F64, d, v, v.length);
    }

    /** ‖P1 − r‖₁ + ‖Pᵀ1 − c‖₁ of a plan on the host: the solvers' figure, computed independently. */
    static double marginalError(double[] plan, int n, int m, double[] r, double[] c) {
        double e = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < m; j++) s += plan[i * m + j];
            e += Math.abs(s - r[i]);
        }
        for (int j = 0; j < m; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += plan[i * m + j];
            e += Math.abs(s - c[j]);
        }
        return e;
    }
}
