package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * tanh(x), elementwise, as a module.
 *
 * <pre>{@code
 * Module m = new Sequential(new Linear(4, 8, g), new Tanh());
 * }</pre>
 */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.tanh();
    }
}
