package dev.nabla.data;

import dev.nabla.DType;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;

import java.util.Arrays;

/**
 * A dataset held in two tensors whose first dims index the examples, e.g. images [N, 784] and
 * labels [N]. A batch is one {@code indexSelect} on each. The dataset does not own the tensors.
 *
 * <pre>{@code
 * Dataset d = new TensorDataset(x, y);
 * }</pre>
 */
public final class TensorDataset implements Dataset {
    private final Tensor inputs, targets;

    public TensorDataset(Tensor inputs, Tensor targets) {
        if (inputs.rank() == 0 || targets.rank() == 0 || inputs.size(0) != targets.size(0)) {
            throw new ShapeMismatchException("TensorDataset: inputs and targets must share their first dim: inputs"
                    + Arrays.toString(inputs.shape()) + " (" + inputs.dtype() + ", " + inputs.device() + "), targets"
                    + Arrays.toString(targets.shape()) + " (" + targets.dtype() + ", " + targets.device() + ")");
        }
        this.inputs = inputs;
        this.targets = targets;
    }

    public Tensor inputs() { return inputs; }
    public Tensor targets() { return targets; }

    @Override
    public long size() { return inputs.size(0); }

    @Override
    public Batch get(long[] indices) {
        for (long i : indices) {
            if (i < 0 || i >= size()) {
                throw new IndexOutOfBoundsException("TensorDataset: index " + i + " out of range for " + size() + " examples");
            }
        }
        try (Tensor idx = Tensor.of(DType.I64, inputs.device(), indices, indices.length)) {
            Tensor x = inputs.indexSelect(0, idx);
            Tensor y = targets.device().equals(inputs.device()) ? targets.indexSelect(0, idx) : select(targets, indices);
            return new Batch(x, y);
        }
    }

    private static Tensor select(Tensor t, long[] indices) {
        try (Tensor idx = Tensor.of(DType.I64, t.device(), indices, indices.length)) {
            return t.indexSelect(0, idx);
        }
    }
}
