package dev.nabla.nn;

import dev.nabla.Generator;
import dev.nabla.Tensor;

/**
 * In training mode zeroes each element with probability p and scales the rest by 1/(1-p), so the
 * expected output equals the input; in eval mode returns the input. The mask comes from the
 * module's own {@link Generator}: one seed, one sequence of masks, on every device.
 *
 * <pre>{@code
 * Module drop = new Dropout(0.5, new Generator(1));
 * drop.eval();                           // identity from now on
 * }</pre>
 */
public final class Dropout extends Module {
    private final double p;
    private final Generator g;

    public Dropout(double p, Generator g) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Dropout: p must be in [0, 1], got " + p);
        this.p = p;
        this.g = g;
    }

    public double p() { return p; }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) return x;
        Operands.floating("Dropout", x);
        if (p == 1) return x.mul(0.0);
        // keep where u >= p, u uniform on [0, 1): probability 1 - p
        Tensor keep = Tensor.rand(x.dtype(), x.device(), g, x.shape()).ge(p);
        return x.mul(keep.to(x.dtype())).div(1 - p);
    }

    @Override
    protected String extraRepr() { return "p=" + p; }
}
