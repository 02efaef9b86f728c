package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * x·Φ(x) with the exact erf (PyTorch's default {@code nn.GELU}), as a module.
 *
 * <pre>{@code
 * Module m = new Sequential(new Linear(4, 8, g), new GELU());
 * }</pre>
 */
public final class GELU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.gelu();
    }
}
