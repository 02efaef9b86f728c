package dev.nabla.algo;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;
import dev.nabla.nn.Losses;

import java.util.List;
import java.util.Random;
import java.util.function.Function;

/** The test problems with known curvature: quadratics, Rosenbrock, logistic regression; float64 data. */
final class Problems {
    private Problems() {}

    /** ½ xᵀ A x over one parameter x [n]: its Hessian is A everywhere. */
    static Function<List<Tensor>, Tensor> quadratic(Tensor a) {
        return p -> p.getFirst().dot(a.matmul(p.getFirst())).mul(0.5);
    }

    /** The operator v -> A v directly, without autodiff. */
    static CurvatureOperator matrix(Tensor a) {
        return v -> List.of(a.matmul(v.getFirst()));
    }

    static Tensor tensor(double[][] a, Device device) {
        return Tensor.of(DType.F64, device, DenseReference.flatten(a), a.length, a[0].length);
    }

    /** (1 − x)² + 100 (y − x²)² over p = [x, y]. */
    static Tensor rosenbrock(List<Tensor> p) {
        Tensor x = p.getFirst().select(0, 0), y = p.getFirst().select(0, 1);
        return x.neg().add(1.0).square().add(y.sub(x.square()).square().mul(100.0));
    }

    /** Logistic regression data: X [n, d] standard normal, labels drawn from a logistic model. */
    record Logistic(double[][] x, double[] y, Tensor xs, Tensor ys) {
        int n() { return y.length; }
        int d() { return x[0].length; }

        /** Mean binary cross-entropy of X w + b: parameters w [d] and b (0-d). */
        Tensor loss(List<Tensor> p) {
            return Losses.binaryCrossEntropyWithLogits(logits(p), ys);
        }

        Tensor logits(List<Tensor> p) {
            return xs.matmul(p.get(0)).add(p.get(1));
        }

        /** Xᵀ diag(p(1−p)) X / n over (w, b), with X extended by a column of ones for b. */
        double[][] hessian(double[] w, double b) {
            int d = d();
            double[][] h = new double[d + 1][d + 1];
            for (int i = 0; i < n(); i++) {
                double z = b;
                for (int k = 0; k < d; k++) z += x[i][k] * w[k];
                double s = 1 / (1 + Math.exp(-z)), c = s * (1 - s) / n();
                for (int r = 0; r <= d; r++) {
                    double xr = r < d ? x[i][r] : 1;
                    for (int q = 0; q <= d; q++) h[r][q] += c * xr * (q < d ? x[i][q] : 1);
                }
            }
            return h;
        }

        /** Xᵀ (p − y) / n over (w, b). */
        double[] gradient(double[] w, double b) {
            int d = d();
            double[] g = new double[d + 1];
            for (int i = 0; i < n(); i++) {
                double z = b;
                for (int k = 0; k < d; k++) z += x[i][k] * w[k];
                double r = (1 / (1 + Math.exp(-z)) - y[i]) / n();
                for (int k = 0; k < d; k++) g[k] += r * x[i][k];
                g[d] += r;
            }
            return g;
        }

        /** The minimizer by Newton-Raphson on the explicit float64 Hessian (the reference for NewtonCG). */
        double[] newtonReference() {
            int d = d();
            double[] theta = new double[d + 1];
            for (int it = 0; it < 50; it++) {
                double[] w = java.util.Arrays.copyOf(theta, d);
                double[] g = gradient(w, theta[d]);
                double[] step = DenseReference.solve(hessian(w, theta[d]), g);
                for (int k = 0; k <= d; k++) theta[k] -= step[k];
            }
            return theta;
        }
    }

    static Logistic logistic(int n, int d, long seed, Device device) {
        Random rnd = new Random(seed);
        double[] truth = new double[d];
        for (int k = 0; k < d; k++) truth[k] = rnd.nextGaussian();
        double[][] x = new double[n][d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double z = 0.3;
            for (int k = 0; k < d; k++) z += (x[i][k] = rnd.nextGaussian()) * truth[k];
            y[i] = rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        }
        return new Logistic(x, y, tensor(x, device), Tensor.of(DType.F64, device, y, n));
    }
}
