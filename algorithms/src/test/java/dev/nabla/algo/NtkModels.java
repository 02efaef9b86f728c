package dev.nabla.algo;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Small models and a float64 finite-difference NTK for the kernel tests. */
final class NtkModels {
    private NtkModels() {}

    /** f(x) = x W + b: W [d, O], b [O]. */
    static final BiFunction<List<Tensor>, Tensor, Tensor> LINEAR = (p, x) -> x.matmul(p.get(0)).add(p.get(1));

    /** f(x) = tanh(x W₁ + b₁) W₂ + b₂: W₁ [d, h], b₁ [h], W₂ [h, O], b₂ [O]. */
    static final BiFunction<List<Tensor>, Tensor, Tensor> TANH_MLP =
            (p, x) -> x.matmul(p.get(0)).add(p.get(1)).tanh().matmul(p.get(2)).add(p.get(3));

    static List<Tensor> tanhMlpParams(int d, int h, int o, long seed, DType dtype, Device device) {
        Generator g = new Generator(seed);
        List<Tensor> p = new ArrayList<>();
        p.add(Tensor.randn(dtype, device, g, d, h).mul(1 / Math.sqrt(d)));
        p.add(Tensor.randn(dtype, device, g, h).mul(0.1));
        p.add(Tensor.randn(dtype, device, g, h, o).mul(1 / Math.sqrt(h)));
        p.add(Tensor.randn(dtype, device, g, o).mul(0.1));
        return p;
    }

    /**
     * Θ[i][j][a][b] by central differences of the outputs over each parameter, in float64 on the
     * host's copy: independent of autodiff. Only for a few dozen parameters.
     */
    static double[][][][] finiteDifferenceKernel(BiFunction<List<Tensor>, Tensor, Tensor> model, List<Tensor> params, Tensor x1,
                                                   Tensor x2) {
        double[][][] j1 = jacobian(model, params, x1), j2 = jacobian(model, params, x2);
        int n1 = j1.length, n2 = j2.length, o = j1[0].length;
        double[][][][] k = new double[n1][n2][o][o];
        for (int i = 0; i < n1; i++)
            for (int j = 0; j < n2; j++)
                for (int a = 0; a < o; a++)
                    for (int b = 0; b < o; b++) k[i][j][a][b] = DenseReference.dot(j1[i][a], j2[j][b]);
        return k;
    }

    /** J[n][o][p] by central differences with step 1e-6 (float64). */
    static double[][][] jacobian(BiFunction<List<Tensor>, Tensor, Tensor> model, List<Tensor> params, Tensor x) {
        List<double[]> values = new ArrayList<>();
        int total = 0;
        for (Tensor p : params) {
            values.add(p.toDoubleArray());
            total += (int) p.numel();
        }
        double h = 1e-6;
        double[][][] jac = null;
        int column = 0;
        for (int t = 0; t < params.size(); t++) {
            for (int e = 0; e < values.get(t).length; e++, column++) {
                double[] plus = eval(model, params, values, t, e, h, x), minus = eval(model, params, values, t, e, -h, x);
                int n = (int) x.shape()[0], o = plus.length / n;
                if (jac == null) jac = new double[n][o][total];
                for (int i = 0; i < n; i++) for (int a = 0; a < o; a++) jac[i][a][column] = (plus[i * o + a] - minus[i * o + a]) / (2 * h);
            }
        }
        return jac;
    }

    private static double[] eval(BiFunction<List<Tensor>, Tensor, Tensor> model, List<Tensor> params, List<double[]> values, int t,
                                 int e, double h, Tensor x) {
        List<Tensor> shifted = new ArrayList<>();
        for (int k = 0; k < params.size(); k++) {
            double[] v = values.get(k).clone();
            if (k == t) v[e] += h;
            shifted.add(Tensor.of(DType.F64, Device.cpu(), v, params.get(k).shape()));
        }
        return model.apply(shifted, x.to(DType.F64).to(Device.cpu())).toDoubleArray();
    }

    /** The largest |a − b| over the largest |b|: a relative error for a whole kernel. */
    static double relativeError(double[] a, double[] b) {
        double diff = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / scale;
    }

    static double[] flatten(double[][][][] k) {
        List<Double> out = new ArrayList<>();
        for (double[][][] a : k) for (double[][] b : a) for (double[] c : b) for (double v : c) out.add(v);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
