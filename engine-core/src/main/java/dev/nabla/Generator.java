package dev.nabla;

/**
 * A source of random streams: a fixed seed plus a stream offset that advances by one for every
 * random tensor drawn from it.
 *
 * <p>Every random tensor creation consumes one offset via {@link #nextOffset()}; the values are
 * then the Philox4x32-10 stream for {@code (seed(), offset)} defined by
 * {@link dev.nabla.spi.Philox}, identical on every backend. Successive draws therefore come from
 * independent streams, and re-creating a generator with the same seed (or restoring its offset
 * with {@link #setOffset(long)}) reproduces the same sequence of tensors.
 *
 * <pre>{@code
 * Generator g = new Generator(42);
 * Tensor x = Tensor.randn(g, 3, 4);
 * }</pre>
 *
 * <p>Thread-safe: concurrent callers of {@link #nextOffset()} always receive distinct offsets.
 */
public final class Generator {

    private final long seed;
    private long offset;

    /**
     * Creates a generator at offset 0.
     *
     * @param seed the Philox key (all 64 bits are used)
     */
    public Generator(long seed) {
        this.seed = seed;
        this.offset = 0L;
    }

    /**
     * Returns the seed this generator was created with.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * Returns the current stream offset and advances it by one.
     *
     * @return the offset for the draw being made
     */
    public synchronized long nextOffset() {
        return offset++;
    }

    /**
     * Returns the offset the next draw will use, without advancing.
     *
     * @return the current stream offset
     */
    public synchronized long offset() {
        return offset;
    }

    /**
     * Sets the offset the next draw will use (for example to replay a sequence of draws).
     *
     * @param offset the new stream offset
     */
    public synchronized void setOffset(long offset) {
        this.offset = offset;
    }

    @Override
    public synchronized String toString() {
        return "Generator(seed=" + seed + ", offset=" + offset + ")";
    }
}
