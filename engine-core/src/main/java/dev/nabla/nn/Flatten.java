package dev.nabla.nn;

import dev.nabla.Tensor;

import java.util.Arrays;

/**
 * Merges dims startDim..endDim into one (PyTorch's defaults 1 and -1: everything but the batch),
 * e.g. [N, 1, 28, 28] to [N, 784] between convolutions and a Linear layer.
 *
 * <pre>{@code
 * Module m = new Sequential(new Conv2d(1, 8, 3, g), new ReLU(), new Flatten(), new Linear(8 * 26 * 26, 10, g));
 * }</pre>
 */
public final class Flatten extends Module {
    private final int start, end;

    public Flatten() { this(1, -1); }

    public Flatten(int startDim, int endDim) {
        this.start = startDim;
        this.end = endDim;
    }

    @Override
    public Tensor forward(Tensor x) {
        int r = x.rank();
        int s = start < 0 ? start + r : start, e = end < 0 ? end + r : end;
        if (r == 0) return x.reshape(1);
        if (s < 0 || e >= r || s > e) {
            throw Operands.shape("Flatten", "dims " + start + ".." + end + " out of range", x);
        }
        long[] shape = x.shape();
        long[] out = new long[r - (e - s)];
        long merged = 1;
        for (int i = s; i <= e; i++) merged *= shape[i];
        System.arraycopy(shape, 0, out, 0, s);
        out[s] = merged;
        System.arraycopy(shape, e + 1, out, s + 1, r - e - 1);
        return Arrays.equals(out, shape) ? x : x.reshape(out);
    }

    @Override
    protected String extraRepr() { return "start_dim=" + start + ", end_dim=" + end; }
}
