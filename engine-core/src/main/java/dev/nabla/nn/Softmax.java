package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * exp(x) / Σ exp(x) along a dim (max subtracted first).
 *
 * <pre>{@code
 * Module head = new Sequential(new Linear(256, 10, g), new Softmax(1));
 * }</pre>
 */
public final class Softmax extends Module {
    private final int dim;

    public Softmax(int dim) { this.dim = dim; }

    @Override
    public Tensor forward(Tensor x) {
        return x.softmax(dim);
    }

    @Override
    protected String extraRepr() { return "dim=" + dim; }
}
