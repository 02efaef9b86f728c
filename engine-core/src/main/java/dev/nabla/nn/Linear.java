package dev.nabla.nn;

import dev.nabla.Generator;
import dev.nabla.Tensor;

/**
 * {@code y = x Wᵀ + b} over the last dim of x, with W stored [out, in] as in PyTorch and both
 * initialized uniform on ±1/√in (PyTorch's default).
 *
 * <pre>{@code
 * Linear fc = new Linear(784, 256, new Generator(0));
 * Tensor y = fc.forward(x);          // x [N, 784] -> y [N, 256]
 * }</pre>
 */
public final class Linear extends Module {
    private final long in, out;
    private final boolean bias;

    public Linear(long inFeatures, long outFeatures, Generator g) {
        this(inFeatures, outFeatures, true, g);
    }

    public Linear(long inFeatures, long outFeatures, boolean bias, Generator g) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: negative size in=" + inFeatures + " out=" + outFeatures);
        }
        this.in = inFeatures;
        this.out = outFeatures;
        this.bias = bias;
        registerParameter("weight", Init.fanInUniform(g, in, out, in));
        if (bias) registerParameter("bias", Init.fanInUniform(g, in, out));
    }

    public long inFeatures() { return in; }
    public long outFeatures() { return out; }
    public Tensor weight() { return parameter("weight"); }
    /** The bias, or null when built without one. */
    public Tensor bias() { return bias ? parameter("bias") : null; }

    @Override
    public Tensor forward(Tensor x) {
        Tensor w = weight();
        if (x.rank() == 0 || x.size(-1) != in) {
            throw Operands.shape("Linear", "input's last dim must be in_features " + in, x, w);
        }
        Tensor y = x.matmul(w.mT());
        return bias ? y.add(parameter("bias")) : y;
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + in + ", out_features=" + out + ", bias=" + bias;
    }
}
