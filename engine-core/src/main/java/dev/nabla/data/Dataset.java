package dev.nabla.data;

/**
 * Examples addressed by index, fetched a batch at a time (one gather instead of one tensor per
 * example, which is what a device wants).
 *
 * <pre>{@code
 * Dataset train = new TensorDataset(images, labels);
 * try (Batch b = train.get(new long[] {0, 5, 9})) { ... }    // b.inputs() [3, 784]
 * }</pre>
 */
public interface Dataset {
    /** The number of examples. */
    long size();

    /** The examples at these indices, in this order, as a new batch the caller closes. */
    Batch get(long[] indices);
}
