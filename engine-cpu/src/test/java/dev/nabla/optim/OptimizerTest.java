package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Optimizer steps against the update formulas of PyTorch's {@code torch.optim} (single-tensor
 * implementations) written out in float64 in the test, over several steps with changing gradients.
 */
class OptimizerTest {

    static final double[] P0 = {0.5, -1.25, 2.0, 0.1};
    /** The gradient at step t (1-based) for element i: varies in sign and size. */
    static double grad(int t, int i) {
        return Math.sin(1.3 * t + i) * (1 + i) + 0.1 * t;
    }

    /** Runs `steps` optimizer steps on a leaf whose gradient is set to grad(t, i) by backward of Σ c·p. */
    static double[] run(Function<List<Tensor>, Optimizer> make, int steps) {
        Tensor p = Tensor.of(DType.F64, Device.cpu(), P0.clone(), 4).requiresGrad(true);
        try (Optimizer opt = make.apply(List.of(p))) {
            for (int t = 1; t <= steps; t++) {
                double[] c = new double[4];
                for (int i = 0; i < 4; i++) c[i] = grad(t, i);
                p.mul(Tensor.of(DType.F64, Device.cpu(), c, 4)).sum().backward();
                opt.step();
                opt.zeroGrad();
            }
        }
        return p.toDoubleArray();
    }

    static void assertUpdates(double[] expected, double[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12 * (1 + Math.abs(expected[i])), "element " + i);
        }
    }

    /** torch.optim.SGD, single tensor: weight decay, momentum with dampening, Nesterov. */
    static double[] sgdReference(double lr, double mu, double damp, boolean nesterov, double wd, int steps) {
        double[] p = P0.clone(), buf = new double[4];
        for (int t = 1; t <= steps; t++) {
            for (int i = 0; i < 4; i++) {
                double g = grad(t, i) + wd * p[i];
                if (mu != 0) {
                    buf[i] = t == 1 ? g : mu * buf[i] + (1 - damp) * g;
                    g = nesterov ? g + mu * buf[i] : buf[i];
                }
                p[i] -= lr * g;
            }
        }
        return p;
    }

    @Test
    void sgdMatchesPyTorchsUpdate() {
        assertUpdates(sgdReference(0.1, 0, 0, false, 0, 4), run(ps -> new SGD(ps, 0.1), 4));
        assertUpdates(sgdReference(0.05, 0.9, 0, false, 0.01, 5), run(ps -> new SGD(ps, 0.05, 0.9, false, 0.01), 5));
        assertUpdates(sgdReference(0.05, 0.9, 0, true, 0.01, 5), run(ps -> new SGD(ps, 0.05, 0.9, true, 0.01), 5));
        assertUpdates(sgdReference(0.05, 0.8, 0.3, false, 0, 5), run(ps -> new SGD(ps, 0.05, 0.8, 0.3, false, 0), 5));
    }

    /** torch.optim.Adam / AdamW, single tensor, amsgrad optional. */
    static double[] adamReference(double lr, double b1, double b2, double eps, double wd, boolean decoupled, boolean amsgrad,
                                  int steps) {
        double[] p = P0.clone(), m = new double[4], v = new double[4], vmax = new double[4];
        for (int t = 1; t <= steps; t++) {
            for (int i = 0; i < 4; i++) {
                double g = grad(t, i);
                if (decoupled) p[i] *= 1 - lr * wd;
                else g += wd * p[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
                double second = v[i];
                if (amsgrad) {
                    vmax[i] = Math.max(vmax[i], v[i]);
                    second = vmax[i];
                }
                double denom = Math.sqrt(second) / Math.sqrt(bc2) + eps;
                p[i] -= lr / bc1 * m[i] / denom;
            }
        }
        return p;
    }

    @Test
    void adamMatchesPyTorchsUpdateAndDefaults() {
        assertUpdates(adamReference(1e-3, 0.9, 0.999, 1e-8, 0, false, false, 6), run(Adam::new, 6));
        assertUpdates(adamReference(0.1, 0.8, 0.99, 1e-6, 0.05, false, false, 6),
                run(ps -> new Adam(ps, 0.1, 0.8, 0.99, 1e-6, 0.05, false), 6));
        assertUpdates(adamReference(0.1, 0.9, 0.999, 1e-8, 0, false, true, 6),
                run(ps -> new Adam(ps, 0.1, 0.9, 0.999, 1e-8, 0, true), 6));
    }

    @Test
    void adamWDecouplesWeightDecayWithDefaultOneHundredth() {
        assertUpdates(adamReference(1e-3, 0.9, 0.999, 1e-8, 1e-2, true, false, 6), run(AdamW::new, 6));
        assertUpdates(adamReference(0.05, 0.9, 0.999, 1e-8, 0.3, true, true, 6),
                run(ps -> new AdamW(ps, 0.05, 0.9, 0.999, 1e-8, 0.3, true), 6));
    }

    @Test
    void parametersWithoutGradientsAreSkipped() {
        Tensor a = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {3, 4}).requiresGrad(true);
        Optimizer opt = new Adam(List.of(a, b), 0.1);
        a.sum().backward();
        opt.step();
        assertEquals(1, opt.stepCount(0));
        assertEquals(0, opt.stepCount(1));
        assertUpdates(new double[] {3, 4}, b.toDoubleArray());
        // Adam's first step moves by lr·g/(|g| + eps)
        assertUpdates(new double[] {1 - 0.1 / (1 + 1e-8), 2 - 0.1 / (1 + 1e-8)}, a.toDoubleArray());
        opt.zeroGrad();
        assertNull(a.grad());
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(Tensor.zeros(2)), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(a), 0.1, 0, true, 0));
    }

    @Test
    void stepKeepsTheParameterObjectsAndLeavesMemoryFlat() {
        Tensor w = Tensor.randn(new dev.nabla.Generator(1), 64, 32).requiresGrad(true);
        Tensor x = Tensor.randn(new dev.nabla.Generator(2), 16, 64);
        Optimizer opt = new Adam(List.of(w), 1e-2);
        long before = 0;
        for (int i = 0; i < 30; i++) {
            try (dev.nabla.Scope s = dev.nabla.Scope.open()) {
                x.matmul(w).tanh().square().mean().backward();
                opt.step();
                opt.zeroGrad();
            }
            // settle: tensors other tests dropped are freed by the cleaner at unpredictable moments
            if (i == 4) before = dev.nabla.MemoryProbe.settle().liveBuffers();
        }
        assertEquals(before, dev.nabla.MemoryProbe.settle().liveBuffers(), "live buffers after 25 more steps");
        assertSame(w, opt.parameters().get(0));
    }
}
