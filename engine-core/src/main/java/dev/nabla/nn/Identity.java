package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * Returns its input: a placeholder layer, as PyTorch's {@code nn.Identity}.
 *
 * <pre>{@code
 * Module m = new Sequential(new Linear(4, 8, g), new Identity());
 * }</pre>
 */
public final class Identity extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x;
    }
}
