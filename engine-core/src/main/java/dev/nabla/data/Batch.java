package dev.nabla.data;

import dev.nabla.Tensor;

/**
 * Inputs and targets of some examples, stacked along a new first dim. Closing a batch frees both.
 *
 * @param inputs  e.g. images [B, 784] (F32)
 * @param targets e.g. labels [B] (I64)
 */
public record Batch(Tensor inputs, Tensor targets) implements AutoCloseable {
    /** The number of examples. */
    public long size() { return inputs.size(0); }

    @Override
    public void close() {
        inputs.close();
        targets.close();
    }
}
