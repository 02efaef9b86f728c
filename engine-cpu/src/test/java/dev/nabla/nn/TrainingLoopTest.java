package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Generator;
import dev.nabla.MemoryProbe;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.TensorDataset;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import org.junit.jupiter.api.Test;

/** The loop the tour runs, small: it learns, and its memory stays flat from epoch to epoch. */
class TrainingLoopTest {

    @Test
    void anMlpLearnsASeparableProblemWithFlatMemory() {
        Generator g = new Generator(11);
        // two Gaussian blobs in 8 dims, labels by which blob
        Tensor x = Tensor.randn(g, 256, 8);
        long[] labels = new long[256];
        float[] shift = new float[256 * 8];
        for (int i = 0; i < 256; i++) {
            labels[i] = i % 2;
            for (int j = 0; j < 8; j++) shift[i * 8 + j] = labels[i] == 1 ? 1.5f : -1.5f;
        }
        Tensor inputs = x.add(Tensor.of(shift, 256, 8));
        Tensor targets = Tensor.of(labels);
        Sequential model = new Sequential(new Linear(8, 16, g), new ReLU(), new Dropout(0.1, g), new Linear(16, 2, g));
        Optimizer opt = new Adam(model.parameterList(), 1e-2);
        DataLoader loader = new DataLoader(new TensorDataset(inputs, targets), 32, true, true, 5);
        long afterFirstEpoch = -1;
        double firstLoss = Double.NaN, lastLoss = Double.NaN;
        for (int epoch = 0; epoch < 6; epoch++) {
            for (Batch b : loader) {
                try (Scope s = Scope.open(); b) {
                    Tensor loss = Losses.crossEntropy(model.forward(b.inputs()), b.targets());
                    loss.backward();
                    opt.step();
                    opt.zeroGrad();
                    if (Double.isNaN(firstLoss)) firstLoss = loss.item();
                    lastLoss = loss.item();
                }
            }
            // settle: tensors dropped elsewhere are freed by the cleaner at unpredictable moments
            if (epoch == 0) afterFirstEpoch = MemoryProbe.settle().liveBuffers();
        }
        assertEquals(afterFirstEpoch, MemoryProbe.settle().liveBuffers(), "live buffers after five more epochs");
        assertTrue(lastLoss < 0.2 * firstLoss, "loss " + firstLoss + " -> " + lastLoss);
        model.eval();
        try (Scope s = Scope.open()) {
            double acc = model.forward(inputs).argmax(1).eq(targets).to(dev.nabla.DType.F32).mean().item();
            assertTrue(acc > 0.97, "accuracy " + acc);
        }
    }
}
