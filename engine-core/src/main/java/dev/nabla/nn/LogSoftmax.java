package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * x - logsumexp(x) along a dim: log-probabilities for {@link Losses#nll}.
 *
 * <pre>{@code
 * Module head = new Sequential(new Linear(256, 10, g), new LogSoftmax(1));
 * }</pre>
 */
public final class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax(int dim) { this.dim = dim; }

    @Override
    public Tensor forward(Tensor x) {
        return x.logSoftmax(dim);
    }

    @Override
    protected String extraRepr() { return "dim=" + dim; }
}
