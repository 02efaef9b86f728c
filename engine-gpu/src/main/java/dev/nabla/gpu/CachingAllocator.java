package dev.nabla.gpu;

import dev.nabla.OutOfMemoryException;
import dev.nabla.spi.MemoryStats;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Device memory in size classes, reused without going back to the driver and without waiting for
 * the device: every kernel and copy of a device goes to its one in-order queue (OpenCL's in-order
 * command queue, CUDA's one stream), so a block freed after queuing the work that reads it can be
 * handed to the next allocation at once; the queue orders the new writer after the old readers.
 * (Freeing to the driver, by contrast, may wait for the whole device, which is why training loops
 * should not reach it.) A training loop that allocates the same shapes every step therefore goes
 * to the driver only in its first step. Classes are powers of two up to 1 MiB (at least 256
 * bytes), then multiples of the policy's large step, so a reused block wastes under half its size
 * when small and under one step when large. Freed blocks wait in per-class lists up to a cap of a
 * quarter of the device (at least 256 MiB).
 *
 * <p>On failure the cache is returned to the driver and the allocation retried once; then
 * {@link OutOfMemoryException} states requested, free, total, in-use and cached bytes, and the
 * allocator stays usable. Not thread-safe: its device calls it under the device's lock.
 */
public final class CachingAllocator {
    private static final long SMALL = 1L << 20;
    private static final long MIN_CLASS = 256;

    private final DeviceMemory memory;
    private final String device;
    private final AllocatorPolicy policy;
    private final long cacheCap;
    private final Map<Long, ArrayDeque<Object>> free = new HashMap<>();
    private long inUse;
    private long cached;
    private long peak;
    private long live;

    /** An allocator over a device's memory calls; {@code device} labels its messages ("cuda:0 (name)"). */
    public CachingAllocator(DeviceMemory memory, String device, AllocatorPolicy policy) {
        this.memory = memory;
        this.device = device;
        this.policy = policy;
        this.cacheCap = Math.max(256L << 20, policy.totalBytes() / 4);
    }

    /** The size class holding {@code bytes}. */
    public long sizeClass(long bytes) {
        if (bytes <= MIN_CLASS) return MIN_CLASS;
        if (bytes <= SMALL) return Long.highestOneBit(bytes - 1) << 1;
        long step = policy.largeClassStep();
        return (bytes + step - 1) / step * step;
    }

    /** A block of at least {@code bytes} ({@code what} names it in an out-of-memory message). */
    public Object allocate(long bytes, String what) {
        long cls = sizeClass(bytes);
        ArrayDeque<Object> list = free.get(cls);
        if (list != null && !list.isEmpty()) {
            cached -= cls;
            return taken(list.pop(), cls);
        }
        if (cls > policy.maxAllocBytes()) {
            throw oom(bytes, what, policy.maxAllocBytes() < policy.totalBytes()
                    ? "larger than the device's largest single allocation, " + policy.maxAllocBytes() + " bytes"
                    : "larger than the device's memory");
        }
        if (policy.holdTotalByBooks()) {
            if (inUse + cached + cls > policy.totalBytes()) releaseCache();
            if (inUse + cls > policy.totalBytes()) throw oom(bytes, what, "the device's memory is exhausted");
        }
        try {
            return taken(memory.alloc(cls), cls);
        } catch (DeviceMemory.Refused first) {
            releaseCache();
            try {
                return taken(memory.alloc(cls), cls);
            } catch (DeviceMemory.Refused second) {
                throw oom(bytes, what, "the driver reports " + second.getMessage() + " even with the cache emptied");
            }
        }
    }

    private Object taken(Object block, long cls) {
        inUse += cls;
        live++;
        peak = Math.max(peak, inUse);
        return block;
    }

    /** Takes back a block {@link #allocate} gave for {@code bytes}: into the cache, or to the driver when the cache is full. */
    public void release(Object block, long bytes) {
        long cls = sizeClass(bytes);
        inUse -= cls;
        live--;
        if (cached + cls <= cacheCap) {
            free.computeIfAbsent(cls, c -> new ArrayDeque<>()).push(block);
            cached += cls;
        } else {
            memory.free(block);
        }
    }

    /** Returns every cached block to the driver. */
    public void releaseCache() {
        for (ArrayDeque<Object> list : free.values()) {
            for (Object block : list) memory.free(block);
            list.clear();
        }
        cached = 0;
    }

    public MemoryStats stats() {
        return new MemoryStats(live, inUse, peak, cached, policy.totalBytes());
    }

    private OutOfMemoryException oom(long bytes, String what, String why) {
        long driverFree;
        try {
            driverFree = memory.driverFreeBytes();
        } catch (RuntimeException e) {
            driverFree = -1;   // the message matters more than the driver's figure
        }
        if (driverFree < 0) driverFree = Math.max(0, policy.totalBytes() - inUse - cached);
        return new OutOfMemoryException(device + ": cannot allocate " + what + " (" + why + "): requested " + bytes
                + " bytes, free " + driverFree + ", total " + policy.totalBytes() + ", in use " + inUse + ", cached "
                + cached + " bytes");
    }
}
