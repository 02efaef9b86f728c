package dev.nabla.autodiff;

import dev.nabla.MemoryProbe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.spi.Backends;
import dev.nabla.spi.MemoryStats;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Autodiff graphs are released: a thousand double-backward training iterations inside scopes leave
 * the CPU backend's live buffers and bytes exactly where they were, and a graph kept alive by a
 * differentiable gradient goes away once its tensors are dropped and closed.
 */
class AutodiffMemoryTest {

    private static MemoryStats stats() {
        return MemoryProbe.stats();
    }

    private static MemoryStats settle() {
        return MemoryProbe.settle();
    }

    private static Tensor param(Generator g, double scale, long... shape) {
        return Tensor.randn(DType.F64, Device.cpu(), g, shape).mul(scale).detach().requiresGrad(true);
    }

    /** An 8-16-4 MLP with its data; all created outside any scope. */
    private record Mlp(Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor x, Tensor y) {
        List<Tensor> params() { return List.of(w1, b1, w2, b2); }

        Tensor loss(List<Tensor> p) {
            Tensor h = x.matmul(p.get(0)).add(p.get(1)).tanh();
            return h.matmul(p.get(2)).add(p.get(3)).sub(y).square().mean();
        }
    }

    private static Mlp mlp() {
        Generator g = new Generator(20240611L);
        Tensor w1 = param(g, 0.35, 8, 16), b1 = param(g, 0.1, 16), w2 = param(g, 0.25, 16, 4), b2 = param(g, 0.1, 4);
        Tensor x = Tensor.randn(DType.F64, Device.cpu(), g, 5, 8);
        Tensor y = Tensor.randn(DType.F64, Device.cpu(), g, 5, 4);
        return new Mlp(w1, b1, w2, b2, x, y);
    }

    /** loss + ‖∇loss‖²: a backward through a graph built by a first backward with createGraph. */
    private static Tensor penalized(Mlp m, List<Tensor> p) {
        Tensor loss = m.loss(p);
        List<Tensor> g = Autodiff.grad(loss, p, null, true);
        Tensor pen = null;
        for (Tensor gi : g) pen = pen == null ? gi.square().sum() : pen.add(gi.square().sum());
        return loss.add(pen);
    }

    private static void iteration(Mlp m) {
        try (Scope s = Scope.open()) {
            for (Tensor p : m.params()) p.zeroGrad();
            penalized(m, m.params()).backward();
        }
    }

    @Test
    void thousandDoubleBackwardIterationsLeaveMemoryWhereItStarted() {
        Mlp m = mlp();
        iteration(m);                                       // warm-up: the leaves now hold grads
        List<double[]> first = new ArrayList<>();
        for (Tensor p : m.params()) first.add(p.grad().toDoubleArray());
        MemoryStats before = settle();
        for (int i = 0; i < 1000; i++) iteration(m);
        MemoryStats after = settle();
        assertEquals(before.liveBuffers(), after.liveBuffers(), "live buffers after 1000 double-backward iterations");
        assertEquals(before.allocatedBytes(), after.allocatedBytes(), "allocated bytes after 1000 double-backward iterations");
        // the work was really done each time: same parameters, same gradients
        for (int k = 0; k < 4; k++) {
            Tensor g = m.params().get(k).grad();
            assertNotNull(g);
            assertTrue(!g.requiresGrad(), "a plain backward leaves a plain gradient");
            assertArrayEquals(first.get(k), g.toDoubleArray(), 0.0);
        }
    }

    @Test
    void theDoubleBackwardGradientMatchesFiniteDifferences() {
        Mlp m = mlp();
        iteration(m);
        double[] analytic = m.w2().grad().toDoubleArray();
        // d/dθ [loss + ‖∇loss‖²] for θ = w2[e], by central differences of the penalized value
        double[] base = m.w2().toDoubleArray();
        double eps = 1e-6;
        for (int e : new int[] {0, 17, 63}) {
            double[] plus = base.clone(), minus = base.clone();
            plus[e] += eps;
            minus[e] -= eps;
            double fp = valueAt(m, plus), fm = valueAt(m, minus);
            double fd = (fp - fm) / (2 * eps);
            assertEquals(fd, analytic[e], 1e-6 + 1e-5 * Math.abs(fd), "d penalized / d w2[" + e + "]");
        }
    }

    private static double valueAt(Mlp m, double[] w2) {
        try (Scope s = Scope.open()) {
            Tensor w = Tensor.of(DType.F64, Device.cpu(), w2, 16, 4).requiresGrad(true);
            return penalized(m, List.of(m.w1(), m.b1(), w, m.b2())).item();
        }
    }

    @Test
    void aGraphHeldByADifferentiableGradIsFreedOnceDroppedAndClosed() {
        Mlp m = mlp();
        MemoryStats before = settle();
        // tape style: backward with createGraph leaves x.grad() on the tape, holding the whole graph
        Tensor x = Tensor.of(new double[] {0.5, -1, 2}).requiresGrad(true);
        try (Scope s = Scope.open()) {
            x.sin().mul(x).exp().sum().backward(null, true);
        }
        assertTrue(x.grad().requiresGrad());
        assertEquals(3, x.grad().numel());
        x.close();                                          // closes the leaf and its grad
        x = null;
        // functional style: a differentiable gradient list kept out of the scope, then closed
        List<Tensor> kept = new ArrayList<>();
        try (Scope s = Scope.open()) {
            List<Tensor> g = Autodiff.grad(m.loss(m.params()), m.params(), null, true);
            for (Tensor t : g) kept.add(s.keep(t));
        }
        for (Tensor t : kept) {
            assertTrue(t.requiresGrad());
            t.close();
        }
        kept.clear();
        MemoryStats after = settle();
        assertEquals(before.liveBuffers(), after.liveBuffers(), "live buffers after the graph was dropped and closed");
        assertEquals(before.allocatedBytes(), after.allocatedBytes(), "bytes after the graph was dropped and closed");
    }

    @Test
    void aGraphDroppedWithoutClosingIsCollected() {
        MemoryStats before = settle();
        grow();
        MemoryStats after = settle();
        assertEquals(before.liveBuffers(), after.liveBuffers(), "a dropped graph (leaf → grad → nodes → leaf) must be collectable");
        assertEquals(before.allocatedBytes(), after.allocatedBytes());
    }

    /** A leaf whose createGraph grad refers back to it through the tape, then everything unreachable. */
    private static void grow() {
        Tensor x = Tensor.of(new double[] {0.25, -0.5, 1, 2}).requiresGrad(true);
        x.tanh().mul(x).sum().backward(null, true);
        Tensor gg = Autodiff.grad(x.grad().sum(), List.of(x), null, true).get(0);
        assertEquals(4, gg.numel());
    }
}
