package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * log(1 + e^x), computed without overflow, as a module.
 *
 * <pre>{@code
 * Module m = new Sequential(new Linear(4, 8, g), new Softplus());
 * }</pre>
 */
public final class Softplus extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.softplus();
    }
}
