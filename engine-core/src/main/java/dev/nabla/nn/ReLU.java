package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * max(x, 0), elementwise, as a module (PyTorch's {@code nn.ReLU}).
 *
 * <pre>{@code
 * Module m = new Sequential(new Linear(4, 8, g), new ReLU());
 * }</pre>
 */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
