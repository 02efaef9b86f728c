package dev.nabla.opencl;

import dev.nabla.OutOfMemoryException;
import dev.nabla.spi.MemoryStats;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_context;
import org.jocl.cl_mem;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import static org.jocl.CL.CL_INVALID_BUFFER_SIZE;
import static org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_OUT_OF_HOST_MEMORY;
import static org.jocl.CL.CL_OUT_OF_RESOURCES;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clReleaseMemObject;

/**
 * Device memory in size classes, reused without going back to the driver: freed buffers wait in a
 * per-class free list (up to a cap), so a training loop that allocates the same shapes every step
 * allocates from the driver only in its first step. Classes are powers of two up to 1 MiB (at
 * least 256 bytes), then multiples of 1 MiB, so a reused buffer wastes under half its size when
 * small and under 1 MiB when large.
 *
 * <p>On failure (the device's memory or the largest single allocation exceeded by the books, or the
 * driver refusing) the cache is released and the allocation retried once; then
 * {@link OutOfMemoryException} states requested, free, total, in-use and cached bytes. The
 * allocator stays usable. Not thread-safe: the backend calls it under the device's lock.
 */
final class CachingAllocator {
    private static final long SMALL = 1L << 20;
    private static final long MIN_CLASS = 256;

    private final cl_context context;
    private final String device;
    private final long totalBytes;
    private final long maxAllocBytes;
    private final long cacheCap;
    private final Map<Long, ArrayDeque<cl_mem>> free = new HashMap<>();
    private long inUse;
    private long cached;
    private long peak;
    private long live;

    CachingAllocator(cl_context context, String device, long totalBytes, long maxAllocBytes) {
        this.context = context;
        this.device = device;
        this.totalBytes = totalBytes;
        this.maxAllocBytes = maxAllocBytes;
        this.cacheCap = Math.max(256L << 20, totalBytes / 4);
    }

    /** The size class holding {@code bytes}. */
    static long sizeClass(long bytes) {
        if (bytes <= MIN_CLASS) return MIN_CLASS;
        if (bytes <= SMALL) return Long.highestOneBit(bytes - 1) << 1;
        return (bytes + SMALL - 1) / SMALL * SMALL;
    }

    /** A buffer of at least {@code bytes}; its class is returned through {@code classOut[0]}. */
    cl_mem allocate(long bytes, String what, long[] classOut) {
        long cls = sizeClass(bytes);
        classOut[0] = cls;
        ArrayDeque<cl_mem> list = free.get(cls);
        if (list != null && !list.isEmpty()) {
            cached -= cls;
            return taken(list.pop(), cls);
        }
        if (cls > maxAllocBytes) {
            throw oom(bytes, what, "larger than the device's largest single allocation, " + maxAllocBytes + " bytes");
        }
        if (inUse + cached + cls > totalBytes) releaseCache();
        if (inUse + cls > totalBytes) throw oom(bytes, what, "the device's memory is exhausted");
        try {
            return taken(create(cls), cls);
        } catch (CLException first) {
            if (!isAllocationFailure(first)) throw first;
            releaseCache();
            try {
                return taken(create(cls), cls);
            } catch (CLException second) {
                if (!isAllocationFailure(second)) throw second;
                throw oom(bytes, what, "the driver refused: " + CL.stringFor_errorCode(second.getStatus()));
            }
        }
    }

    private cl_mem create(long cls) {
        return clCreateBuffer(context, CL_MEM_READ_WRITE, cls, null, null);
    }

    private cl_mem taken(cl_mem m, long cls) {
        inUse += cls;
        live++;
        peak = Math.max(peak, inUse);
        return m;
    }

    /** Takes a buffer back into the cache (or releases it when the cache is full). */
    void release(cl_mem m, long cls) {
        inUse -= cls;
        live--;
        if (cached + cls <= cacheCap) {
            free.computeIfAbsent(cls, c -> new ArrayDeque<>()).push(m);
            cached += cls;
        } else {
            clReleaseMemObject(m);
        }
    }

    /** Returns every cached buffer to the driver. */
    void releaseCache() {
        for (ArrayDeque<cl_mem> list : free.values()) {
            for (cl_mem m : list) clReleaseMemObject(m);
            list.clear();
        }
        cached = 0;
    }

    MemoryStats stats() {
        return new MemoryStats(live, inUse, peak, cached, totalBytes);
    }

    private static boolean isAllocationFailure(CLException e) {
        int s = e.getStatus();
        return s == CL_MEM_OBJECT_ALLOCATION_FAILURE || s == CL_OUT_OF_RESOURCES || s == CL_OUT_OF_HOST_MEMORY
                || s == CL_INVALID_BUFFER_SIZE;
    }

    private OutOfMemoryException oom(long bytes, String what, String why) {
        long freeBytes = Math.max(0, totalBytes - inUse - cached);
        return new OutOfMemoryException(device + ": cannot allocate " + what + " (" + why + "): requested " + bytes
                + " bytes, free " + freeBytes + ", total " + totalBytes + ", in use " + inUse + ", cached " + cached + " bytes");
    }
}
