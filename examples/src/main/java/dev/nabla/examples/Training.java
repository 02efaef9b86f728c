package dev.nabla.examples;

import dev.nabla.DType;
import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Dataset;
import dev.nabla.nn.Losses;
import dev.nabla.nn.Module;
import dev.nabla.nn.Reduction;
import dev.nabla.optim.LrScheduler;
import dev.nabla.optim.Optimizer;

import java.util.ArrayList;
import java.util.List;

/**
 * The training loop a user of nabla writes: for each batch, inside a {@link Scope} so that every
 * intermediate tensor and the tape are freed with the step, forward, cross-entropy, backward,
 * optimizer step; then an evaluation pass with recording off.
 */
final class Training {

    /** One epoch's figures. */
    record Epoch(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                 double learningRate, double seconds, double examplesPerSecond) {}

    /** Everything recorded: per epoch, and the loss of every batch. */
    record History(List<Epoch> epochs, List<Double> batchLosses) {
        Epoch last() { return epochs.getLast(); }
    }

    private Training() {}

    static History run(Module model, Optimizer opt, LrScheduler schedule, Dataset train, Dataset test, int epochs,
                       int batchSize, long seed) {
        DataLoader loader = new DataLoader(train, batchSize, true, false, seed);
        List<Epoch> history = new ArrayList<>();
        List<Double> batchLosses = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            model.train();
            double lossSum = 0;
            long correct = 0, seen = 0, b = 0;
            long start = System.nanoTime();
            try (TrainingProgress progress = new TrainingProgress(e, epochs, train.size(), loader.batches())) {
                for (Batch batch : loader) {
                    try (Scope step = Scope.open(); batch) {
                        Tensor logits = model.forward(batch.inputs());
                        Tensor loss = Losses.crossEntropy(logits, batch.targets());
                        loss.backward();
                        opt.step();
                        opt.zeroGrad();
                        double l = loss.item();
                        long n = batch.size();
                        try (NoGrad ng = NoGrad.open()) {
                            correct += (long) logits.argmax(1).eq(batch.targets()).sum().item();
                        }
                        lossSum += l * n;
                        seen += n;
                        batchLosses.add(l);
                        progress.step(++b, n, lossSum / seen);
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double lr = opt.learningRate();
            if (schedule != null) schedule.step();
            double[] eval = evaluate(model, test, 1000);
            history.add(new Epoch(e, lossSum / seen, (double) correct / seen, eval[0], eval[1], lr, seconds, seen / seconds));
        }
        return new History(history, batchLosses);
    }

    /** Mean cross-entropy and accuracy over a dataset, in eval mode, without recording. */
    static double[] evaluate(Module model, Dataset data, int batchSize) {
        model.eval();
        double loss = 0;
        long correct = 0;
        try (NoGrad ng = NoGrad.open()) {
            for (Batch batch : new DataLoader(data, batchSize, false, false, 0)) {
                try (Scope s = Scope.open(); batch) {
                    Tensor logits = model.forward(batch.inputs());
                    loss += Losses.crossEntropy(logits, batch.targets(), 0, Reduction.SUM).item();
                    correct += (long) logits.argmax(1).eq(batch.targets()).to(DType.I64).sum().item();
                }
            }
        }
        model.train();
        return new double[] {loss / data.size(), (double) correct / data.size()};
    }
}
