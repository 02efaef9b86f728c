package dev.nabla.nn;

import static dev.nabla.nn.Ref.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.DTypeMismatchException;
import dev.nabla.Device;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;
import dev.nabla.autodiff.GradCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Losses against float64 loops over PyTorch's definitions, closed-form gradients and finite differences. */
class LossesTest {

    static final long[] LABELS = {2, 0, 1, 2};

    static double logSumExp(double[] z, int from, int n) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.max(m, z[from + i]);
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.exp(z[from + i] - m);
        return m + Math.log(s);
    }

    @Test
    void crossEntropyIsMeanNegativeLogSoftmaxAtTheLabel() {
        double[] z = Ref.values(1, 12);
        double expected = 0;
        for (int n = 0; n < 4; n++) expected += (logSumExp(z, n * 3, 3) - z[n * 3 + (int) LABELS[n]]) / 4;
        assertEquals(expected, Losses.crossEntropy(Ref.f64(z, 4, 3), Tensor.of(LABELS)).item(), 1e-12);
        assertEquals(expected * 4, Losses.crossEntropy(Ref.f64(z, 4, 3), Tensor.of(LABELS), 0, Reduction.SUM).item(), 1e-12);
        assertEquals(4, Losses.crossEntropy(Ref.f64(z, 4, 3), Tensor.of(LABELS), 0, Reduction.NONE).numel());
    }

    @Test
    void crossEntropyStaysFiniteForHugeLogits() {
        double[] z = {1000, 0, -1000, 0, 1000, 1000};
        Tensor loss = Losses.crossEntropy(Ref.f32(z, 2, 3), Tensor.of(new long[] {0, 1}), 0, Reduction.NONE);
        // row 0: log(e^1000 + 1 + e^-1000) - 1000 = 0; row 1: log(1 + 2e^1000) - 1000 = log 2
        assertClose(new double[] {0, Math.log(2)}, loss, 1e-6);
    }

    @Test
    void crossEntropyGradientIsSoftmaxMinusOneHotOverN() {
        double[] z = Ref.values(2, 12);
        Tensor logits = Ref.f64(z, 4, 3).requiresGrad(true);
        Losses.crossEntropy(logits, Tensor.of(LABELS)).backward();
        double[] expected = new double[12];
        for (int n = 0; n < 4; n++) {
            double lse = logSumExp(z, n * 3, 3);
            for (int c = 0; c < 3; c++) expected[n * 3 + c] = (Math.exp(z[n * 3 + c] - lse) - (c == LABELS[n] ? 1 : 0)) / 4;
        }
        assertClose(expected, logits.grad(), 1e-12);
    }

    @Test
    void labelSmoothingFollowsPyTorch() {
        double eps = 0.1;
        double[] z = Ref.values(3, 12);
        double expected = 0;
        for (int n = 0; n < 4; n++) {
            double lse = logSumExp(z, n * 3, 3);
            // target (1-ε)·onehot + ε/C
            for (int c = 0; c < 3; c++) {
                double t = (c == LABELS[n] ? 1 - eps : 0) + eps / 3;
                expected += -t * (z[n * 3 + c] - lse) / 4;
            }
        }
        assertEquals(expected, Losses.crossEntropy(Ref.f64(z, 4, 3), Tensor.of(LABELS), eps, Reduction.MEAN).item(), 1e-12);
        // with probability targets (the one-hot as floats) it agrees
        double[] onehot = new double[12];
        for (int n = 0; n < 4; n++) onehot[n * 3 + (int) LABELS[n]] = 1;
        assertEquals(expected, Losses.crossEntropy(Ref.f64(z, 4, 3), Ref.f64(onehot, 4, 3), eps, Reduction.MEAN).item(), 1e-12);
    }

    @Test
    void crossEntropyOverSpatialDimsAndGradcheck() {
        // logits [N, C, d] with labels [N, d], as PyTorch's K-dimensional case
        Tensor z = Ref.f64(Ref.values(4, 2 * 3 * 2), 2, 3, 2);
        Tensor y = Tensor.of(new long[] {0, 2, 1, 1}, 2, 2);
        GradCheck.gradcheck(xs -> Losses.crossEntropy(xs.get(0), y, 0.2, Reduction.MEAN), List.of(z));
        GradCheck.gradgradcheck(xs -> Losses.crossEntropy(xs.get(0), y), List.of(z));
    }

    @Test
    void nllPicksTheLogProbabilityOfTheLabel() {
        double[] lp = Ref.values(5, 12);
        double expected = 0;
        for (int n = 0; n < 4; n++) expected -= lp[n * 3 + (int) LABELS[n]] / 4;
        assertEquals(expected, Losses.nll(Ref.f64(lp, 4, 3), Tensor.of(LABELS)).item(), 1e-12);
        GradCheck.gradcheck(xs -> Losses.nll(xs.get(0).logSoftmax(1), Tensor.of(LABELS)), List.of(Ref.f64(lp, 4, 3)));
    }

    @Test
    void binaryCrossEntropyWithLogitsIsStableAndHasGradientSigmoidMinusTarget() {
        double[] x = {-100, -2, 0.5, 3, 100};
        double[] y = {1, 0, 1, 0.25, 0};
        double expected = 0;
        double[] grad = new double[5];
        for (int i = 0; i < 5; i++) {
            // softplus(x) - x·y with softplus(x) = max(x, 0) + log1p(e^-|x|)
            expected += (Math.max(x[i], 0) + Math.log1p(Math.exp(-Math.abs(x[i]))) - x[i] * y[i]) / 5;
            grad[i] = (1 / (1 + Math.exp(-x[i])) - y[i]) / 5;
        }
        Tensor logits = Ref.f64(x, 5).requiresGrad(true);
        Tensor loss = Losses.binaryCrossEntropyWithLogits(logits, Ref.f64(y, 5));
        assertEquals(expected, loss.item(), 1e-12);
        assertTrue(Double.isFinite(loss.item()));
        loss.backward();
        assertClose(grad, logits.grad(), 1e-12);
        GradCheck.gradcheck(xs -> Losses.binaryCrossEntropyWithLogits(xs.get(0), Ref.f64(y, 5)), List.of(Ref.f64(new double[] {-2, -0.3, 0.5, 1, 3}, 5)));
    }

    @Test
    void mseIsMeanSquaredDifferenceWithGradientTwoDiffOverN() {
        double[] p = Ref.values(6, 6), t = Ref.values(7, 6);
        double expected = 0;
        double[] grad = new double[6];
        for (int i = 0; i < 6; i++) {
            expected += (p[i] - t[i]) * (p[i] - t[i]) / 6;
            grad[i] = 2 * (p[i] - t[i]) / 6;
        }
        Tensor pred = Ref.f64(p, 2, 3).requiresGrad(true);
        Tensor loss = Losses.mse(pred, Ref.f64(t, 2, 3));
        assertEquals(expected, loss.item(), 1e-12);
        loss.backward();
        assertClose(grad, pred.grad(), 1e-12);
    }

    @Test
    void badTargetsThrowTypedErrorsNamingTheOperands() {
        Tensor logits = Tensor.zeros(4, 3);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> Losses.crossEntropy(logits, Tensor.of(new long[] {0, 1, 2})));
        assertTrue(e.getMessage().contains("crossEntropy") && e.getMessage().contains("[4, 3] (F32, cpu)")
                && e.getMessage().contains("[3] (I64, cpu)"), e.getMessage());
        ShapeMismatchException range = assertThrows(ShapeMismatchException.class,
                () -> Losses.crossEntropy(logits, Tensor.of(new long[] {0, 1, 3, 0})));
        assertTrue(range.getMessage().contains("out of range"), range.getMessage());
        assertThrows(ShapeMismatchException.class, () -> Losses.mse(Tensor.zeros(2, 3), Tensor.zeros(3, 2)));
        assertThrows(DTypeMismatchException.class, () -> Losses.nll(logits, Tensor.zeros(DType.BOOL, Device.cpu(), 4)));
    }
}
