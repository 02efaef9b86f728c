package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.Tensor;
import dev.nabla.algo.EquilibriumNetwork.Activation;
import dev.nabla.algo.EquilibriumNetwork.Cost;
import dev.nabla.algo.EquilibriumPropagation.Estimate;
import dev.nabla.algo.EquilibriumPropagation.FreePhase;
import dev.nabla.algo.EquilibriumPropagation.Options;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Equilibrium propagation on small float64 networks against independent references: recurrent
 * backprop with symmetric weights, the closed-form derivative of linear dynamics, and the
 * estimators' bias ordering (O(β), O(β²), O(β^N)) around the forward-mode derivative.
 */
class EquilibriumPropagationTest {

    static final long[] SIZES = {6, 5, 4, 3};

    static EquilibriumNetwork network(double angle, Activation a, Cost c, long seed) {
        return network(angle, a, c, seed, 1);
    }

    static EquilibriumNetwork network(double angle, Activation a, Cost c, long seed, double gain) {
        return EquilibriumNetwork.builder(SIZES).activation(a).cost(c).feedbackAngle(angle).seed(seed).gain(gain)
                .dtype(DType.F64).device(Device.cpu()).build();
    }

    static Tensor inputs(int batch, long seed) {
        return Tensor.rand(DType.F64, Device.cpu(), new Generator(seed), batch, SIZES[0]);
    }

    static Tensor labels(int... classes) {
        long[] l = new long[classes.length];
        for (int i = 0; i < l.length; i++) l[i] = classes[i];
        return Tensor.of(l, l.length);
    }

    /** Converged phases: the free phase to 1e-13, nudged phases long enough to reach the nudged fixed point. */
    static Options converged(int n, double beta) {
        return Options.defaults().withNudges(n).withBeta(beta).withSteps(3000, 300).withTolerance(1e-13);
    }

    static double relativeError(double[] got, double[] want) {
        double d = 0, w = 0;
        for (int i = 0; i < got.length; i++) {
            d += (got[i] - want[i]) * (got[i] - want[i]);
            w += want[i] * want[i];
        }
        return Math.sqrt(d / w);
    }

    @Test
    void freePhaseStopsAtTheFixedPoint() {
        EquilibriumNetwork net = network(90, Activation.STEEP_SIGMOID, Cost.CROSS_ENTROPY, 1);
        EquilibriumPropagation ep = new EquilibriumPropagation(net, converged(1, 0.1));
        try (FreePhase f = ep.freePhase(inputs(8, 2))) {
            assertTrue(f.residual() <= 1e-13, "residual " + f.residual());
            assertTrue(f.steps() < 3000, "stopped early, after " + f.steps() + " steps");
            assertEquals(List.of(8L, 12L), List.of(f.states().size(0), f.states().size(1)));
        }
        EquilibriumPropagation capped = new EquilibriumPropagation(net, converged(1, 0.1).withSteps(3, 5));
        try (FreePhase f = capped.freePhase(inputs(8, 2))) {
            assertEquals(3, f.steps());
            assertTrue(f.residual() > 1e-6, "three steps are not enough: " + f.residual());
        }
    }

    @Test
    void symmetricWeightsForwardModeEqualsRecurrentBackprop() {
        EquilibriumNetwork net = network(0, Activation.STEEP_SIGMOID, Cost.CROSS_ENTROPY, 3);
        assertEquals(0, net.feedbackAngle(), 1e-6, "angle 0 initializes B = Wᵀ");
        EquilibriumPropagation ep = new EquilibriumPropagation(net, converged(0, 0.1));
        Tensor x = inputs(10, 4), y = labels(0, 1, 2, 0, 1, 2, 2, 1, 0, 0);
        Estimate est = ep.estimate(x, y), rbp = ep.recurrentBackprop(x, y);
        int k = net.recurrentParameterCount();
        double cos = EquilibriumPropagation.cosine(est.gradients(), rbp.gradients(), k);
        assertTrue(cos > 0.999, "cosine " + cos);
        for (int i = 0; i < net.parameters().size(); i++) {
            double[] a = est.gradients().get(i).toDoubleArray(), b = rbp.gradients().get(i).toDoubleArray();
            assertTrue(relativeError(a, b) < 1e-8, "parameter " + i + ": relative error " + relativeError(a, b));
        }
        assertEquals(rbp.loss(), est.loss(), 0);
    }

    @Test
    void recurrentBackpropIsTheGradientOfTheCostAtTheFixedPoint() {
        // finite differences of the converged free phase's cost in one weight, with independent feedback
        EquilibriumNetwork net = network(90, Activation.SIGMOID, Cost.CROSS_ENTROPY, 5);
        EquilibriumPropagation ep = new EquilibriumPropagation(net, converged(0, 0.1));
        Tensor x = inputs(6, 6), y = labels(2, 1, 0, 0, 1, 2);
        Estimate rbp = ep.recurrentBackprop(x, y);
        for (int i : new int[] {0, 2, 4, 6, 7}) {   // forward weights of each layer and both feedback matrices
            Tensor p = net.parameters().get(i);
            double h = 1e-6;
            double[] fd = new double[3];
            for (int j = 0; j < 3; j++) {
                long flat = j * 3L;
                fd[j] = (costAfterNudgingWeight(ep, p, flat, h, x, y) - costAfterNudgingWeight(ep, p, flat, -h, x, y)) / (2 * h);
                double got = rbp.gradients().get(i).reshape(-1).toDoubleArray()[(int) flat];
                assertEquals(fd[j], got, 1e-7 + 1e-5 * Math.abs(fd[j]), "parameter " + i + " entry " + flat);
            }
        }
    }

    private static double costAfterNudgingWeight(EquilibriumPropagation ep, Tensor p, long flat, double h, Tensor x, Tensor y) {
        double[] v = p.toDoubleArray();
        double old = v[(int) flat];
        v[(int) flat] = old + h;
        try (var ng = dev.nabla.NoGrad.open()) {
            p.copyFrom(Tensor.of(DType.F64, Device.cpu(), v, p.shape()));
            return ep.recurrentBackprop(x, y).loss();
        } finally {
            v[(int) flat] = old;
            try (var ng = dev.nabla.NoGrad.open()) {
                p.copyFrom(Tensor.of(DType.F64, Device.cpu(), v, p.shape()));
            }
        }
    }

    @Test
    void withoutSymmetryEquilibriumPropagationIsNotTheGradient() {
        EquilibriumNetwork net = network(90, Activation.STEEP_SIGMOID, Cost.CROSS_ENTROPY, 3);
        assertTrue(Math.abs(net.feedbackAngle() - 90) < 45, "independent feedback: " + net.feedbackAngle());
        EquilibriumPropagation ep = new EquilibriumPropagation(net, converged(0, 0.1));
        Tensor x = inputs(10, 4), y = labels(0, 1, 2, 0, 1, 2, 2, 1, 0, 0);
        double cos = EquilibriumPropagation.cosine(ep.estimate(x, y).gradients(), ep.recurrentBackprop(x, y).gradients(),
                net.recurrentParameterCount());
        assertTrue(cos < 0.99, "independent feedback should bias the estimate; cosine " + cos);
    }

    @Test
    void biasShrinksWithTheNumberOfNudges() {
        // every estimator targets the derivative of the T2-step nudged map, which N = 0 computes exactly
        EquilibriumNetwork net = network(90, Activation.STEEP_SIGMOID, Cost.CROSS_ENTROPY, 7);
        Tensor x = inputs(8, 8), y = labels(0, 2, 1, 1, 0, 2, 2, 0);
        Options base = Options.defaults().withSteps(3000, 20).withTolerance(1e-13);
        try (FreePhase free = new EquilibriumPropagation(net, base).freePhase(x)) {
            double[] exact = new EquilibriumPropagation(net, base.withNudges(0)).rateDerivative(x, y, free).toDoubleArray();
            double[] err = new double[5];
            for (int n = 1; n <= 4; n++) err[n] = error(net, base.withNudges(n).withBeta(0.5), x, y, free, exact);
            assertTrue(err[1] > err[2] && err[2] > err[3] && err[3] > err[4], "errors at β = 0.5 by N: " + java.util.Arrays.toString(err));
            // the bias is O(β^N): halving β divides it by 2^N (the complex phases included)
            for (int n = 1; n <= 4; n++) {
                double ratio = error(net, base.withNudges(n).withBeta(0.1), x, y, free, exact)
                        / error(net, base.withNudges(n).withBeta(0.05), x, y, free, exact);
                assertEquals(Math.pow(2, n), ratio, 0.15 * Math.pow(2, n), "N = " + n + ": error(β = 0.1) / error(β = 0.05)");
            }
            // a small nudge: the symmetric difference agrees with forward mode to O(β²)
            assertTrue(error(net, base.withNudges(2).withBeta(1e-4), x, y, free, exact) < 1e-7, "N = 2 at β = 1e-4");
        }
    }

    private static double error(EquilibriumNetwork net, Options o, Tensor x, Tensor y, FreePhase free, double[] exact) {
        return relativeError(new EquilibriumPropagation(net, o).rateDerivative(x, y, free).toDoubleArray(), exact);
    }

    @Test
    void linearDynamicsGiveTheExactDerivativeForEveryN() {
        EquilibriumNetwork net = network(30, Activation.IDENTITY, Cost.LINEAR, 9, 0.5);
        Tensor x = inputs(4, 10);
        Tensor target = Tensor.randn(DType.F64, Device.cpu(), new Generator(11), 4, 3);
        int t2 = 25;
        Options base = Options.defaults().withSteps(5000, t2).withTolerance(1e-14);
        double[] reference = linearReference(net, target.toDoubleArray(), 4, t2);
        try (FreePhase free = new EquilibriumPropagation(net, base).freePhase(x)) {
            assertTrue(free.residual() <= 1e-14, "linear free phase converged: " + free.residual());
            for (int n = 0; n <= 6; n++) {
                for (double beta : new double[] {0.05, 0.7}) {
                    double[] got = new EquilibriumPropagation(net, base.withNudges(n).withBeta(beta)).rateDerivative(x, target, free)
                            .toDoubleArray();
                    double e = relativeError(got, reference);
                    assertTrue(e < 1e-11, "N " + n + ", beta " + beta + ": relative error " + e);
                }
            }
        }
    }

    /** Σ_{t<T} Aᵗ e per sample, A the linear map's block matrix, e the target at the output rows: d u_T / dβ. */
    private static double[] linearReference(EquilibriumNetwork net, double[] target, int batch, int steps) {
        long[] s = net.sizes();
        int d = (int) net.stateSize(), layers = s.length - 1;
        int[] off = new int[layers + 1];
        for (int l = 1; l <= layers; l++) off[l] = off[l - 1] + (int) s[l];
        double[][] a = new double[d][d];
        for (int l = 2; l <= layers; l++) {   // W_{l-1 -> l} [s_l, s_{l-1}]
            double[] w = net.namedParameters().get("forward." + (l - 1) + ".weight").toDoubleArray();
            for (int i = 0; i < s[l]; i++) for (int j = 0; j < s[l - 1]; j++) a[off[l - 1] + i][off[l - 2] + j] = w[i * (int) s[l - 1] + j];
        }
        for (int l = 1; l < layers; l++) {    // B_{l+1 -> l} [s_l, s_{l+1}]
            double[] b = net.namedParameters().get("feedback." + (l - 1) + ".weight").toDoubleArray();
            for (int i = 0; i < s[l]; i++) for (int j = 0; j < s[l + 1]; j++) a[off[l - 1] + i][off[l] + j] = b[i * (int) s[l + 1] + j];
        }
        int out = (int) s[layers];
        double[] result = new double[batch * d];
        for (int b = 0; b < batch; b++) {
            double[] e = new double[d], v = new double[d];
            for (int k = 0; k < out; k++) e[off[layers - 1] + k] = target[b * out + k];
            for (int t = 0; t < steps; t++) {
                double[] next = DenseReference.times(a, v);
                for (int i = 0; i < d; i++) v[i] = next[i] + e[i];
            }
            System.arraycopy(v, 0, result, b * d, d);
        }
        return result;
    }

    /** Training figures after 60 steps: the last batch cost and accuracy, and the feedback angle. */
    private record Trained(double firstLoss, double lastLoss, double accuracy, double angle) {}

    /**
     * Three separated blobs, 60 Adam steps of EP (N = 2, β = 0.1) from symmetric weights: EP's
     * updates of W and B differ, so symmetry decays unless the homeostatic loss holds it.
     */
    private static Trained trainOnBlobs(double lambda) {
        EquilibriumNetwork net = EquilibriumNetwork.builder(6, 12, 10, 3).feedbackAngle(0).seed(13).dtype(DType.F64).device(Device.cpu()).build();
        EquilibriumPropagation ep = new EquilibriumPropagation(net, Options.defaults().withNudges(2).withBeta(0.1).withSteps(100, 20)
                .withHomeostasis(lambda, 5, true));
        int batch = 30;
        double[] xs = new double[batch * 6];
        int[] cls = new int[batch];
        java.util.Random r = new java.util.Random(14);
        for (int i = 0; i < batch; i++) {
            cls[i] = i % 3;
            for (int j = 0; j < 6; j++) xs[i * 6 + j] = (j / 2 == cls[i] ? 1.0 : 0.0) + 0.1 * r.nextGaussian();
        }
        Tensor x = Tensor.of(DType.F64, Device.cpu(), xs, batch, 6), y = labels(cls);
        double first = Double.NaN, last = Double.NaN;
        try (Optimizer opt = new Adam(net.parameters(), 0.05)) {
            for (int step = 0; step < 60; step++) {
                try (Estimate e = ep.train(x, y, opt)) {
                    if (step == 0) first = e.loss();
                    last = e.loss();
                }
            }
        }
        return new Trained(first, last, ep.accuracy(x, y), net.feedbackAngle());
    }

    @Test
    void homeostasisKeepsTheFeedbackAlignedAndEquilibriumPropagationLearning() {
        Trained without = trainOnBlobs(0), with = trainOnBlobs(1.0);
        assertTrue(without.lastLoss() < 0.7 * without.firstLoss(), "EP lowers the cost: " + without);
        assertTrue(without.angle() > 45, "without homeostasis B drifts away from Wᵀ: " + without);
        assertTrue(with.angle() < 20, "the homeostatic loss holds B near Wᵀ: " + with);
        assertEquals(1.0, with.accuracy(), 0, "with homeostasis every blob is separated: " + with);
        assertTrue(with.lastLoss() < 0.5 * without.lastLoss(), "and the cost goes lower: " + with + " against " + without);
    }

    @Test
    void applyLoadsTheEstimateAsGradients() {
        EquilibriumNetwork net = network(45, Activation.SIGMOID, Cost.SQUARED_ERROR, 15);
        EquilibriumPropagation ep = new EquilibriumPropagation(net, Options.defaults().withSteps(50, 10));
        Tensor x = inputs(5, 16), y = labels(0, 1, 2, 1, 0);
        Estimate e = ep.estimate(x, y);
        List<double[]> before = net.parameters().stream().map(Tensor::toDoubleArray).toList();
        try (SGD opt = new SGD(net.parameters(), 0.25)) {
            ep.apply(e, opt);
        }
        for (int i = 0; i < before.size(); i++) {
            double[] now = net.parameters().get(i).toDoubleArray(), g = e.gradients().get(i).toDoubleArray();
            for (int j = 0; j < now.length; j++) assertEquals(before.get(i)[j] - 0.25 * g[j], now[j], 1e-15, "parameter " + i);
            assertEquals(null, net.parameters().get(i).grad(), "gradients are cleared after the step");
        }
    }
}
