package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * 1 / (1 + e^-x), elementwise, as a module.
 *
 * <pre>{@code
 * Module m = new Sequential(new Linear(4, 8, g), new Sigmoid());
 * }</pre>
 */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.sigmoid();
    }
}
