package dev.nabla.cuda;

import dev.nabla.OutOfMemoryException;
import dev.nabla.spi.MemoryStats;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Device memory in size classes, reused without going back to the driver and without waiting for
 * the device: every kernel, copy and cuBLAS call of a device runs on its one stream, so a block
 * freed after queuing the work that reads it can be handed to the next allocation at once; the
 * stream orders the new writer after the old readers. (cuMemFree, by contrast, waits for the whole
 * device, which is why training loops should not reach it.) Classes are powers of two up to 1 MiB
 * (at least 256 bytes), then multiples of 2 MiB, the driver's own allocation granularity.
 *
 * <p>On failure (the driver reports out of memory) the cache is returned to the driver and the
 * allocation retried once; then {@link OutOfMemoryException} states requested, free, total, in-use
 * and cached bytes, and the allocator stays usable. Not thread-safe: the backend calls it under the
 * device's lock.
 */
final class CachingAllocator {
    private static final long SMALL = 1L << 20;
    private static final long LARGE_STEP = 2L << 20;
    private static final long MIN_CLASS = 256;

    private final CudaApi api;
    private final String device;
    private final long totalBytes;
    private final long cacheCap;
    private final Map<Long, ArrayDeque<Object>> free = new HashMap<>();
    private long inUse;
    private long cached;
    private long peak;
    private long live;

    CachingAllocator(CudaApi api, String device, long totalBytes) {
        this.api = api;
        this.device = device;
        this.totalBytes = totalBytes;
        this.cacheCap = Math.max(256L << 20, totalBytes / 4);
    }

    /** The size class holding {@code bytes}. */
    static long sizeClass(long bytes) {
        if (bytes <= MIN_CLASS) return MIN_CLASS;
        if (bytes <= SMALL) return Long.highestOneBit(bytes - 1) << 1;
        return (bytes + LARGE_STEP - 1) / LARGE_STEP * LARGE_STEP;
    }

    /** A block of at least {@code bytes}; its class is returned through {@code classOut[0]}. */
    Object allocate(long bytes, String what, long[] classOut) {
        long cls = sizeClass(bytes);
        classOut[0] = cls;
        ArrayDeque<Object> list = free.get(cls);
        if (list != null && !list.isEmpty()) {
            cached -= cls;
            return taken(list.pop(), cls);
        }
        if (cls > totalBytes) throw oom(bytes, what, "larger than the device's memory");
        Object p = api.alloc(cls);
        if (p == null) {
            releaseCache();
            p = api.alloc(cls);
            if (p == null) throw oom(bytes, what, "the driver reports CUDA_ERROR_OUT_OF_MEMORY even with the cache emptied");
        }
        return taken(p, cls);
    }

    private Object taken(Object p, long cls) {
        inUse += cls;
        live++;
        peak = Math.max(peak, inUse);
        return p;
    }

    /** Takes a block back into the cache (or returns it to the driver when the cache is full). */
    void release(Object p, long cls) {
        inUse -= cls;
        live--;
        if (cached + cls <= cacheCap) {
            free.computeIfAbsent(cls, c -> new ArrayDeque<>()).push(p);
            cached += cls;
        } else {
            api.free(p);
        }
    }

    /** Returns every cached block to the driver. */
    void releaseCache() {
        for (ArrayDeque<Object> list : free.values()) {
            for (Object p : list) api.free(p);
            list.clear();
        }
        cached = 0;
    }

    MemoryStats stats() {
        return new MemoryStats(live, inUse, peak, cached, totalBytes);
    }

    private OutOfMemoryException oom(long bytes, String what, String why) {
        long driverFree;
        try {
            driverFree = api.memInfo()[0];
        } catch (RuntimeException e) {
            driverFree = Math.max(0, totalBytes - inUse - cached);
        }
        return new OutOfMemoryException(device + ": cannot allocate " + what + " (" + why + "): requested " + bytes
                + " bytes, free " + driverFree + ", total " + totalBytes + ", in use " + inUse + ", cached " + cached + " bytes");
    }
}
