package dev.nabla.cpu;

import dev.nabla.DType;

import java.util.ArrayDeque;
import java.util.HashMap;

/**
 * The CPU backend's caching allocator: freed arrays wait here, keyed by dtype and exact length, and
 * the next allocation of that size takes one back instead of asking the JVM for a new array.
 *
 * <p>Why: a fresh Java array is zeroed by the JVM, and an array of a megabyte or more is a
 * "humongous" object for G1 that lives outside the young generation, so a loop that allocates and
 * closes 64 MiB results (an add on 16M floats) kept triggering heap growth, page faults and
 * collections: 150–190 ms per call against 6 ms with the array reused. Tensors are closed
 * deterministically, so the freed array is known dead and can be handed out again, contents
 * unspecified (the SPI's promise for {@code allocate}). Training loops allocate the same shapes every
 * step, so exact-length reuse finds a match nearly always; no size rounding means a kernel can never
 * see an array longer than its buffer.
 *
 * <p>Small arrays are not cached: below {@link #MIN_BYTES} a thread-local allocation is cheaper than a
 * synchronized lookup. The cache holds at most {@code capacity} bytes; an array that would overflow
 * it empties the cache first (the sizes in use have changed), and {@link #clear} runs before the
 * backend reports that the heap is exhausted.
 */
final class ArrayCache {

    /** Arrays below this many bytes go straight to the JVM. */
    static final long MIN_BYTES = 1 << 16;

    private final long capacity;
    private final HashMap<Long, ArrayDeque<Object>> free = new HashMap<>();
    private long cachedBytes;

    ArrayCache(long capacity) {
        this.capacity = capacity;
    }

    /**
     * The default capacity: {@code -Dnabla.cpu.cacheBytes} (0 turns the cache off), else a quarter
     * of the maximum heap, at most 4 GiB.
     */
    static long defaultCapacity() {
        String s = System.getProperty("nabla.cpu.cacheBytes");
        if (s != null) {
            try {
                return Math.max(0, Long.parseLong(s.trim()));
            } catch (NumberFormatException ignored) {
                // fall back to the default
            }
        }
        return Math.min(Runtime.getRuntime().maxMemory() / 4, 4L << 30);
    }

    private static long key(DType dtype, int length) {
        return ((long) length << 3) | dtype.ordinal();
    }

    private static long bytes(DType dtype, int length) {
        return (long) length * dtype.byteSize();
    }

    /** A cached array of exactly this dtype and length, or null. */
    synchronized Object take(DType dtype, int length) {
        if (bytes(dtype, length) < MIN_BYTES) return null;
        ArrayDeque<Object> q = free.get(key(dtype, length));
        if (q == null || q.isEmpty()) return null;
        cachedBytes -= bytes(dtype, length);
        return q.pop();
    }

    /** Keeps a dead array for reuse; small arrays and arrays larger than the whole cache are dropped. */
    synchronized void give(DType dtype, Object array, int length) {
        long b = bytes(dtype, length);
        if (b < MIN_BYTES || b > capacity) return;
        if (cachedBytes + b > capacity) {
            free.clear();
            cachedBytes = 0;
        }
        free.computeIfAbsent(key(dtype, length), k -> new ArrayDeque<>()).push(array);
        cachedBytes += b;
    }

    /** Drops every cached array (the garbage collector reclaims them); returns the bytes released. */
    synchronized long clear() {
        long b = cachedBytes;
        free.clear();
        cachedBytes = 0;
        return b;
    }

    synchronized long cachedBytes() {
        return cachedBytes;
    }
}
