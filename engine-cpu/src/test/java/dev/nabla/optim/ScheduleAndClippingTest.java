package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleAndClippingTest {

    @Test
    void stepLrMultipliesByGammaEveryStepSizeEpochs() {
        Optimizer opt = new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), 0.1);
        LrScheduler s = new StepLR(opt, 3, 0.5);
        double[] expected = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025};
        for (int e = 0; e < expected.length; e++) {
            assertEquals(expected[e], opt.learningRate(), 1e-15, "epoch " + e);
            s.step();
        }
    }

    @Test
    void cosineAnnealingFollowsTheClosedForm() {
        Optimizer opt = new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), 0.2);
        LrScheduler s = new CosineAnnealingLR(opt, 4, 0.02);
        // 0.02 + 0.18·(1 + cos(πt/4))/2 for t = 0..4
        double[] expected = {0.2, 0.02 + 0.09 * (1 + Math.sqrt(0.5)), 0.11, 0.02 + 0.09 * (1 - Math.sqrt(0.5)), 0.02};
        for (int e = 0; e < expected.length; e++) {
            assertEquals(expected[e], s.lastLr(), 1e-15, "epoch " + e);
            s.step();
        }
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(opt, 0, 0));
    }

    @Test
    void clipGradNormScalesAllGradientsByOneGlobalFactor() {
        Tensor a = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {2}).requiresGrad(true);
        // grads 3a and 4b: [3, 6] and [8]; total norm sqrt(9 + 36 + 64) = sqrt(109)
        a.square().mul(1.5).sum().backward();
        b.square().mul(2.0).sum().backward();
        double total = Math.sqrt(109);
        assertEquals(total, GradientClipping.clipGradNorm(List.of(a, b), 2.0), 1e-12);
        double coef = 2.0 / (total + 1e-6);
        double[] ga = a.grad().toDoubleArray(), gb = b.grad().toDoubleArray();
        assertEquals(3 * coef, ga[0], 1e-12);
        assertEquals(6 * coef, ga[1], 1e-12);
        assertEquals(8 * coef, gb[0], 1e-12);
        // already below the limit: unchanged
        assertEquals(2.0, GradientClipping.clipGradNorm(List.of(a, b), 5.0), 1e-5);
        assertEquals(8 * coef, b.grad().item(), 1e-12);
        GradientClipping.clipGradValue(List.of(a, b), 0.5);
        assertEquals(0.5, b.grad().item(), 0);
    }
}
