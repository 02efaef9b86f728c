package dev.nabla.examples;

import dev.nabla.Device;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.algo.EquilibriumNetwork;
import dev.nabla.algo.EquilibriumPropagation;
import dev.nabla.algo.EquilibriumPropagation.Estimate;
import dev.nabla.algo.EquilibriumPropagation.Options;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Dataset;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.SGD;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One training run of the equilibrium-propagation experiment: an {@link EquilibriumNetwork}
 * 784-256-256-10 with independent feedback, trained by one estimator (EP with N nudges of strength
 * β, with or without the homeostatic loss, or recurrent backprop, "BP"), and measured after every
 * epoch: test accuracy, and the cosine between the run's EP estimate (without the homeostatic term)
 * and the BP gradient on a fixed probe batch, at the weights reached.
 */
final class EpRun {

    /** What trains the network: BP (recurrent backprop) or EP with N nudges at β and homeostasis λ. */
    record Setting(boolean bp, int nudges, double beta, double lambda) {
        static Setting backprop() {
            return new Setting(true, 0, 0, 0);
        }

        String label() {
            if (bp) return "BP (recurrent backprop)";
            return String.format(Locale.ROOT, "EP N=%d β=%s%s", nudges, trim(beta), lambda == 0 ? "" : " λ=" + trim(lambda));
        }

        private static String trim(double v) {
            return v == Math.rint(v) ? String.valueOf((long) v) + ".0" : String.valueOf(v);
        }
    }

    /** What every run shares: the dynamics (activation, Euler step, T1, T2), the optimizer, the batches, the homeostatic loss's form. */
    record Config(EquilibriumNetwork.Activation activation, double stepSize, int freeSteps, int nudgedSteps, double tolerance,
                  boolean sgd, double lr, double momentum, int batch, int epochs, long seed, int homeostasisSamples, boolean perDimension) {

        Optimizer optimizer(List<Tensor> params) {
            return sgd ? new SGD(params, lr, momentum, false, 0) : new Adam(params, lr);
        }

        String describe() {
            return String.format(Locale.ROOT, "%s, %s, T1 %d (residual tolerance %s), T2 %d, batch %d, %s, homeostatic loss %s with %d probes per"
                            + " sample, feedback weights independent at initialization (angle 90°), seed %d",
                    activation == EquilibriumNetwork.Activation.STEEP_SIGMOID ? "steep sigmoid 1/(1+e^(-4z+2))" : activation.name().toLowerCase(Locale.ROOT),
                    stepSize == 1 ? "u ← u + F(u)" : "u ← u + " + stepSize + "·F(u)", freeSteps, tolerance, nudgedSteps, batch,
                    sgd ? "SGD lr " + lr + " momentum " + momentum : "Adam lr " + lr,
                    perDimension ? "divided by the state size (522)" : "not normalized", homeostasisSamples, seed);
        }
    }

    /** After epoch e (0: at initialization): test accuracy, cosine to BP, the weights' feedback angle, and the epoch's training figures. */
    record Epoch(int epoch, double testAccuracy, double cosine, double feedbackAngle, double trainLoss, double trainAccuracy,
                 double homeostasis, double meanFreeSteps, double unconverged, double seconds) {}

    private EpRun() {}

    static List<Epoch> train(Setting s, Config c, Dataset train, Dataset test, Batch probe, Device device, Progress progress) {
        EquilibriumNetwork net = EquilibriumNetwork.builder(784, 256, 256, 10).activation(c.activation()).stepSize(c.stepSize())
                .cost(EquilibriumNetwork.Cost.CROSS_ENTROPY).feedbackAngle(90).seed(c.seed()).device(device).build();
        Options base = Options.defaults().withSteps(c.freeSteps(), c.nudgedSteps()).withTolerance(c.tolerance()).withSeed(c.seed());
        Options o = s.bp() ? base.withNudges(0) : base.withNudges(s.nudges()).withBeta(s.beta());
        EquilibriumPropagation ep = new EquilibriumPropagation(net, o.withHomeostasis(s.lambda(), c.homeostasisSamples(), c.perDimension()));
        // the cosine is measured without the homeostatic term: the alignment of EP's own estimate
        EquilibriumPropagation measure = new EquilibriumPropagation(net, s.bp() ? base.withNudges(1).withBeta(0.05)
                : base.withNudges(s.nudges()).withBeta(s.beta()));
        List<Epoch> out = new ArrayList<>();
        try (net; Optimizer opt = c.optimizer(net.parameters())) {
            out.add(measure(0, net, measure, test, probe, s, Double.NaN, Double.NaN, 0, 0, 0, 0));
            progress.epoch(s, out.getLast());
            DataLoader loader = new DataLoader(train, c.batch(), true, false, c.seed());
            for (int e = 1; e <= c.epochs(); e++) {
                long start = System.nanoTime();
                double loss = 0, acc = 0, homeo = 0, steps = 0, unconverged = 0;
                int b = 0;
                for (Batch batch : loader) {
                    try (Scope scope = Scope.open(); batch;
                         Estimate est = s.bp() ? ep.recurrentBackprop(batch.inputs(), batch.targets()) : ep.estimate(batch.inputs(), batch.targets())) {
                        ep.apply(est, opt);
                        loss += est.loss();
                        acc += est.accuracy();
                        homeo += est.homeostasisLoss();
                        steps += est.freeSteps();
                        if (!(est.residual() <= c.tolerance())) unconverged++;
                        b++;
                    }
                    progress.batch(s, e, b, loader.batches());
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                out.add(measure(e, net, measure, test, probe, s, loss / b, acc / b, homeo / b, steps / b, unconverged / b, seconds));
                progress.epoch(s, out.getLast());
            }
        }
        return out;
    }

    private static Epoch measure(int epoch, EquilibriumNetwork net, EquilibriumPropagation measure, Dataset test, Batch probe,
                                 Setting s, double trainLoss, double trainAcc, double homeo, double steps, double unconverged,
                                 double seconds) {
        double correct = 0;
        for (Batch b : new DataLoader(test, 1000, false, false, 0)) {
            try (Scope scope = Scope.open(); b) {
                correct += measure.accuracy(b.inputs(), b.targets()) * b.size();
            }
        }
        double cosine = Double.NaN;
        if (!s.bp()) {
            try (Scope scope = Scope.open();
                 Estimate est = measure.estimate(probe.inputs(), probe.targets());
                 Estimate ref = measure.recurrentBackprop(probe.inputs(), probe.targets())) {
                cosine = EquilibriumPropagation.cosine(est.gradients(), ref.gradients(), net.recurrentParameterCount());
            }
        }
        return new Epoch(epoch, correct / test.size(), cosine, net.feedbackAngle(), trainLoss, trainAcc, homeo, steps, unconverged, seconds);
    }

    /** Where a run reports as it goes. */
    interface Progress {
        void batch(Setting s, int epoch, int batch, long batches);

        void epoch(Setting s, Epoch e);
    }
}
