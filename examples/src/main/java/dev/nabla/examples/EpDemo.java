package dev.nabla.examples;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.algo.EquilibriumNetwork;
import dev.nabla.algo.EquilibriumPropagation;
import dev.nabla.algo.EquilibriumPropagation.Estimate;
import dev.nabla.algo.EquilibriumPropagation.FreePhase;
import dev.nabla.algo.EquilibriumPropagation.Options;
import dev.nabla.algo.JacobianHomeostasis;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Dataset;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;

/**
 * The tour's part on equilibrium propagation ({@code dev.nabla.algo.EquilibriumPropagation}): an
 * MLP 784-256-256-10 as a recurrent network with its own feedback weights, on one batch of
 * Fashion-MNIST. With symmetric feedback (0°) every estimator is the gradient; with independent
 * feedback (90°) none is, whatever N and β; a short training with the homeostatic loss pulls the
 * feedback towards the forward transpose and EP's estimate towards the gradient.
 * ({@link EpExperiment} is the full experiment.)
 */
final class EpDemo {
    private EpDemo() {}

    /** This part alone: {@code ./nabla run EpDemo [--quick]}. */
    public static void main(String[] args) {
        boolean quick = java.util.Arrays.asList(args).contains("--quick");
        try (FashionMnistSource source = FashionMnistSource.load(null, quick)) {
            run(source, quick, 1);
        }
    }

    /**
     * With quick, a budget of a few seconds on 2 cores: 32 probe images and 8 training steps at a
     * larger learning rate, against 100 images and 60 steps.
     */
    static Report.Section run(FashionMnistSource source, boolean quick, long seed) {
        long t0 = System.nanoTime();
        System.out.println("9. Equilibrium propagation without weight symmetry: a 784-256-256-10 sigmoid network relaxed to a fixed point,"
                + " gradients from nudged phases (N nudges at strength β), against recurrent backprop (BP)");
        List<String> lines = new ArrayList<>();
        Dataset train = source.train().dataset();
        try (Batch probe = train.get(LongStream.range(0, quick ? 32 : 100).toArray())) {
            Tensor x = probe.inputs(), y = probe.targets();
            for (double angle : new double[] {0, 90}) {
                try (EquilibriumNetwork net = network(angle, seed)) {
                    lines.add(estimators(net, x, y, angle));
                }
            }
            lines.add(String.format(Locale.ROOT, "homeostatic loss ‖Jε‖² − εᵀJ²ε per state neuron (5 probes): %.2e at 0°, %.2e at 90°",
                    homeostasis(0, seed, x), homeostasis(90, seed, x)));
            int steps = quick ? 8 : 60;
            double lr = quick ? 3e-3 : 1e-3;
            for (double lambda : new double[] {0, 1}) lines.add(briefTraining(train, x, y, lambda, steps, lr, seed));
        }
        lines.add(String.format(Locale.ROOT, "(%.1f s; the full experiment: ./nabla run EpExperiment)", (System.nanoTime() - t0) / 1e9));
        for (String l : lines) System.out.println("   " + l);
        System.out.println();
        return new Report.Section("Equilibrium propagation without weight symmetry", lines, null);
    }

    private static EquilibriumNetwork network(double angle, long seed) {
        return EquilibriumNetwork.builder(784, 256, 256, 10).feedbackAngle(angle).seed(seed).dtype(DType.F32).device(Device.defaultDevice())
                .build();
    }

    /** cos(EP, BP) for N = 0 (forward mode), 1 and 2 at β = 0.05, 4 at β = 0.5, on one batch. */
    private static String estimators(EquilibriumNetwork net, Tensor x, Tensor y, double angle) {
        Options base = Options.defaults().withSteps(150, 20);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "feedback at %2.0f°:", net.feedbackAngle()));
        try (Scope s = Scope.open()) {
            EquilibriumPropagation reference = new EquilibriumPropagation(net, base);
            FreePhase free = reference.freePhase(x);
            sb.append(String.format(Locale.ROOT, " free phase %d steps (residual %.0e); cos(EP, BP)", free.steps(), free.residual()));
            Estimate bp = reference.recurrentBackprop(x, y);
            int[] ns = {0, 1, 2, 4};
            double[] betas = {0, 0.05, 0.05, 0.5};
            for (int i = 0; i < ns.length; i++) {
                EquilibriumPropagation ep = new EquilibriumPropagation(net, base.withNudges(ns[i]).withBeta(ns[i] == 0 ? 1 : betas[i]));
                double cos = EquilibriumPropagation.cosine(ep.estimate(x, y).gradients(), bp.gradients(), net.recurrentParameterCount());
                sb.append(String.format(Locale.ROOT, "  N=%d%s %.4f", ns[i], ns[i] == 0 ? "" : " β=" + betas[i], cos));
            }
        }
        return sb.toString();
    }

    /** The homeostatic loss of the rates' vector field at the free fixed point, per state neuron. */
    private static double homeostasis(double angle, long seed, Tensor x) {
        try (EquilibriumNetwork net = network(angle, seed); Scope s = Scope.open()) {
            EquilibriumPropagation ep = new EquilibriumPropagation(net, Options.defaults());
            return ep.homeostasisLoss(x);
        }
    }

    /** A few Adam steps of EP (N = 2, β = 0.5, batch 50) from independent feedback, with homeostatic coefficient λ. */
    private static String briefTraining(Dataset train, Tensor px, Tensor py, double lambda, int steps, double lr, long seed) {
        try (EquilibriumNetwork net = network(90, seed); Optimizer opt = new Adam(net.parameters(), lr)) {
            Options o = Options.defaults().withNudges(2).withBeta(0.5);
            EquilibriumPropagation ep = new EquilibriumPropagation(net, o.withHomeostasis(lambda, 5, true));
            EquilibriumPropagation measure = new EquilibriumPropagation(net, o);
            int done = 0;
            for (Batch b : new DataLoader(train, 50, true, true, seed)) {
                try (Scope s = Scope.open(); b) {
                    ep.apply(ep.estimate(b.inputs(), b.targets()), opt);
                }
                if (++done == steps) break;
            }
            try (Scope s = Scope.open()) {
                double cos = EquilibriumPropagation.cosine(measure.estimate(px, py).gradients(), measure.recurrentBackprop(px, py).gradients(),
                        net.recurrentParameterCount());
                return String.format(Locale.ROOT, "%d Adam steps (lr %s) of EP (N=2, β=0.5) %s: feedback angle %.1f°, cos(EP, BP) %.3f", steps, lr,
                        lambda == 0 ? "without homeostasis" : "with homeostasis λ=" + lambda, net.feedbackAngle(), cos);
            }
        }
    }
}
