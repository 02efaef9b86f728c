package dev.nabla.nn;

import static dev.nabla.nn.Ref.assertClose;
import static dev.nabla.nn.Ref.assertShape;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.Generator;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;
import dev.nabla.autodiff.GradCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conv2d and pooling against direct float64 loops over the definition, and finite differences. */
class ConvPoolTest {

    /** out[n][o][i][j] = b[o] + Σ_c,p,q w[o][c][p][q]·x[n][c][i·s+p-pad][j·s+q-pad] (zero outside). */
    static double[] conv(double[] x, int n, int c, int h, int w, double[] wt, double[] b, int out, int kh, int kw,
                         int sh, int sw, int ph, int pw) {
        int oh = (h + 2 * ph - kh) / sh + 1, ow = (w + 2 * pw - kw) / sw + 1;
        double[] y = new double[n * out * oh * ow];
        for (int a = 0; a < n; a++)
            for (int o = 0; o < out; o++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        double s = b == null ? 0 : b[o];
                        for (int ch = 0; ch < c; ch++)
                            for (int p = 0; p < kh; p++)
                                for (int q = 0; q < kw; q++) {
                                    int r = i * sh + p - ph, col = j * sw + q - pw;
                                    if (r < 0 || r >= h || col < 0 || col >= w) continue;
                                    s += wt[((o * c + ch) * kh + p) * kw + q] * x[((a * c + ch) * h + r) * w + col];
                                }
                        y[((a * out + o) * oh + i) * ow + j] = s;
                    }
        return y;
    }

    @Test
    void conv2dWithStrideAndPaddingMatchesTheDefinition() {
        Conv2d conv = new Conv2d(3, 4, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1}, true, new Generator(2));
        assertShape(conv.weight(), 4, 3, 3, 2);
        double[] x = Ref.values(1, 2 * 3 * 7 * 6);
        Tensor y = conv.forward(Ref.f32(x, 2, 3, 7, 6));
        // oh = (7 + 2 - 3)/2 + 1 = 4, ow = (6 + 2 - 2)/1 + 1 = 7
        assertShape(y, 2, 4, 4, 7);
        double[] expected = conv(x, 2, 3, 7, 6, conv.weight().toDoubleArray(), conv.parameters().get("bias").toDoubleArray(),
                4, 3, 2, 2, 1, 1, 1);
        assertClose(expected, y, 1e-5);
        // unbatched input [C, H, W]
        Tensor single = conv.forward(Ref.f32(java.util.Arrays.copyOf(x, 3 * 7 * 6), 3, 7, 6));
        assertClose(java.util.Arrays.copyOf(expected, 4 * 4 * 7), single, 1e-5);
        assertShape(single, 4, 4, 7);
    }

    @Test
    void conv2dDefaultInitBoundIsOneOverSqrtOfInTimesKernel() {
        Conv2d conv = new Conv2d(2, 8, 3, new Generator(9));
        double bound = 1 / Math.sqrt(2 * 9);
        for (double v : conv.weight().toDoubleArray()) {
            if (Math.abs(v) > bound) throw new AssertionError("weight " + v + " beyond " + bound);
        }
    }

    @Test
    void conv2dGradientsMatchFiniteDifferences() {
        Conv2d conv = new Conv2d(2, 2, new int[] {2}, new int[] {2}, new int[] {1}, true, new Generator(3));
        Tensor x = Ref.f64(Ref.values(4, 2 * 4 * 3), 1, 2, 4, 3);
        List<Tensor> in = new java.util.ArrayList<>(conv.parameterList());
        in.add(x);
        GradCheck.gradcheck(ps -> conv.functionalCall(ps.subList(0, 2), ps.get(2)), in);
    }

    @Test
    void conv2dRejectsWrongChannelsAndTooSmallInputs() {
        Conv2d conv = new Conv2d(3, 4, 5, new Generator(2));
        assertThrows(ShapeMismatchException.class, () -> conv.forward(Tensor.zeros(1, 2, 8, 8)));
        assertThrows(ShapeMismatchException.class, () -> conv.forward(Tensor.zeros(1, 3, 4, 8)));
    }

    static double[] pool(double[] x, int nc, int h, int w, int k, int s, int pad, boolean max, boolean includePad) {
        int oh = (h + 2 * pad - k) / s + 1, ow = (w + 2 * pad - k) / s + 1;
        double[] y = new double[nc * oh * ow];
        for (int a = 0; a < nc; a++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int count = 0;
                    for (int p = 0; p < k; p++)
                        for (int q = 0; q < k; q++) {
                            int r = i * s + p - pad, c = j * s + q - pad;
                            boolean inside = r >= 0 && r < h && c >= 0 && c < w;
                            double v = inside ? x[(a * h + r) * w + c] : (max ? Double.NEGATIVE_INFINITY : 0);
                            if (inside) count++;
                            acc = max ? Math.max(acc, v) : acc + v;
                        }
                    y[(a * oh + i) * ow + j] = max ? acc : acc / (includePad ? k * k : count);
                }
        return y;
    }

    @Test
    void maxPoolMatchesTheDefinitionWithStrideAndPadding() {
        double[] x = Ref.values(5, 2 * 3 * 7 * 7);
        Tensor in = Ref.f64(x, 2, 3, 7, 7);
        assertClose(pool(x, 6, 7, 7, 2, 2, 0, true, true), new MaxPool2d(2).forward(in), 0);
        Tensor y = new MaxPool2d(new int[] {3}, new int[] {2}, new int[] {1}).forward(in);
        assertShape(y, 2, 3, 4, 4);
        assertClose(pool(x, 6, 7, 7, 3, 2, 1, true, true), y, 0);
    }

    @Test
    void avgPoolCountsPaddingAsPyTorchByDefaultAndOptionallyNot() {
        double[] x = Ref.values(6, 1 * 2 * 5 * 5);
        Tensor in = Ref.f32(x, 1, 2, 5, 5);
        assertClose(pool(x, 2, 5, 5, 2, 2, 0, false, true), new AvgPool2d(2).forward(in), 1e-6);
        assertClose(pool(x, 2, 5, 5, 3, 2, 1, false, true),
                new AvgPool2d(new int[] {3}, new int[] {2}, new int[] {1}, true).forward(in), 1e-6);
        assertClose(pool(x, 2, 5, 5, 3, 2, 1, false, false),
                new AvgPool2d(new int[] {3}, new int[] {2}, new int[] {1}, false).forward(in), 1e-6);
    }

    @Test
    void poolingGradientsMatchFiniteDifferences() {
        // distinct values: no ties inside a max window
        Tensor x = Ref.f64(Ref.values(8, 2 * 5 * 4), 1, 2, 5, 4);
        MaxPool2d max = new MaxPool2d(new int[] {2}, new int[] {1}, new int[] {1});
        AvgPool2d avg = new AvgPool2d(new int[] {3}, new int[] {2}, new int[] {1}, false);
        GradCheck.gradcheck(xs -> max.forward(xs.get(0)), List.of(x));
        GradCheck.gradcheck(xs -> avg.forward(xs.get(0)), List.of(x));
    }
}
