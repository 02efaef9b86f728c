package dev.nabla.data;

import dev.nabla.spi.Philox;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Batches of a dataset, one epoch per iteration: in order, or shuffled by a permutation that
 * depends only on (seed, epoch), so a run is reproducible and resuming at epoch k gives the same
 * order as never stopping. The last partial batch is kept unless dropLast.
 *
 * <pre>{@code
 * DataLoader loader = new DataLoader(train, 128, true, false, 42);
 * for (Batch b : loader) { try (b) { ... } }     // each iteration is the next epoch
 * }</pre>
 */
public final class DataLoader implements Iterable<Batch> {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle, dropLast;
    private final long seed;
    private long epoch;

    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, long seed) {
        if (batchSize <= 0) throw new IllegalArgumentException("DataLoader: batch size must be positive, got " + batchSize);
        if (dataset.size() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("DataLoader: " + dataset.size() + " examples exceed one index array");
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.seed = seed;
    }

    /** Batches per epoch. */
    public long batches() {
        long n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The epoch the next iteration will run (starting at 0). */
    public long epoch() { return epoch; }

    /** Makes the next iteration run this epoch's order. */
    public void setEpoch(long epoch) { this.epoch = epoch; }

    /**
     * The example order of an epoch: 0..n-1, or a Fisher-Yates shuffle driven by the Philox stream
     * (seed, epoch), the same counter-based generator the engine's random tensors use.
     */
    public long[] order(long epoch) {
        int n = (int) dataset.size();
        long[] idx = new long[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        if (!shuffle || n < 2) return idx;
        double[] u = new double[n];
        Philox.uniformF64(seed, epoch, u, 0, n);
        for (int i = n - 1; i > 0; i--) {
            int j = (int) Math.min(i, (long) (u[i] * (i + 1)));
            long t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return idx;
    }

    /** The batches of the next epoch; each is a new {@link Batch} the caller closes. */
    @Override
    public Iterator<Batch> iterator() {
        long[] order = order(epoch++);
        long count = batches();
        return new Iterator<>() {
            private long b;

            @Override
            public boolean hasNext() { return b < count; }

            @Override
            public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int from = (int) (b++ * batchSize);
                int to = Math.min(order.length, from + batchSize);
                return dataset.get(java.util.Arrays.copyOfRange(order, from, to));
            }
        };
    }
}
