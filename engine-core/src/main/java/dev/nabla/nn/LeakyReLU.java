package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * x for x &gt; 0, else slope·x (PyTorch's default slope 0.01).
 *
 * <pre>{@code
 * Module act = new LeakyReLU(0.2);
 * }</pre>
 */
public final class LeakyReLU extends Module {
    private final double slope;

    public LeakyReLU() { this(0.01); }

    public LeakyReLU(double negativeSlope) { this.slope = negativeSlope; }

    @Override
    public Tensor forward(Tensor x) {
        Operands.floating("LeakyReLU", x);
        // intermediates are left to the caller's Scope: the tape may have saved them
        return Tensor.where(x.gt(0.0), x, x.mul(slope));
    }

    @Override
    protected String extraRepr() { return "negative_slope=" + slope; }
}
