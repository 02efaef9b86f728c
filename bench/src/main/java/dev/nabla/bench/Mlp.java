package dev.nabla.bench;

import dev.nabla.Generator;
import dev.nabla.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The MLP both autodiff benchmarks measure: 784-256-256-10, tanh, mean cross-entropy, batch 128,
 * F32. Its data and initial weights come from nabla's seeded {@link Generator} as plain Java
 * arrays, so {@link MlpAutodiffBench} (nabla) and {@link DjlMlpBench} (PyTorch through DJL) start
 * from identical numbers.
 */
final class Mlp {

    static final int BATCH = 128;
    /** Layer widths, input first. */
    static final int[] WIDTHS = {784, 256, 256, 10};
    static final int CLASSES = WIDTHS[WIDTHS.length - 1];
    /** SGD learning rate of the training step. */
    static final double LR = 0.01;
    static final long SEED = 2024;

    /** Parameter shapes in PyTorch's order and layout: w0 [256, 784], b0 [256], w1, b1, w2 [10, 256], b2 [10]. */
    static final List<long[]> SHAPES = shapes();

    private Mlp() {}

    /** Seeded inputs x[128, 784] (standard normal), labels in [0, 10), and PyTorch-like initial weights. */
    record Data(float[] x, long[] labels, List<float[]> params) {}

    static Data data() {
        Generator g = new Generator(SEED);
        float[] x;
        try (Tensor t = Tensor.randn(g, BATCH, WIDTHS[0])) {
            x = t.toFloatArray();
        }
        long[] labels = new long[BATCH];
        try (Tensor u = Tensor.rand(g, BATCH)) {
            float[] r = u.toFloatArray();
            for (int i = 0; i < BATCH; i++) labels[i] = Math.min(CLASSES - 1, (long) (r[i] * CLASSES));
        }
        // nn.Linear's default init: weight and bias uniform in ±1/sqrt(fan_in)
        List<float[]> params = new ArrayList<>();
        for (int i = 0; i < SHAPES.size(); i++) {
            long[] shape = SHAPES.get(i);
            double fanIn = WIDTHS[i / 2];   // weight i = 2l and bias 2l + 1 of layer l
            double bound = 1 / Math.sqrt(fanIn);
            try (Tensor u = Tensor.rand(g, shape)) {
                float[] a = u.toFloatArray();
                for (int k = 0; k < a.length; k++) a[k] = (float) ((2 * a[k] - 1) * bound);
                params.add(a);
            }
        }
        return new Data(x, labels, params);
    }

    private static List<long[]> shapes() {
        List<long[]> s = new ArrayList<>();
        for (int l = 0; l + 1 < WIDTHS.length; l++) {
            s.add(new long[] {WIDTHS[l + 1], WIDTHS[l]});
            s.add(new long[] {WIDTHS[l + 1]});
        }
        return List.copyOf(s);
    }

    /** Number of trainable parameters (269,322). */
    static long parameterCount() {
        long n = 0;
        for (long[] s : SHAPES) {
            long k = 1;
            for (long d : s) k *= d;
            n += k;
        }
        return n;
    }
}
