package dev.nabla.gpu;

import dev.nabla.DType;

/**
 * One device of a GPU backend, as the shared host code sees it: its name and index, the lock that
 * every allocation, launch and copy holds (a device's queue, kernel objects and allocator are not
 * safe to use from two threads at once), its memory calls and launcher, and the caching allocator
 * over them. A backend subclasses it with its own handles (context, queue or stream, kernels).
 */
public abstract class GpuDevice {
    private final String kind;
    private final int index;
    private final String name;
    private final Object lock = new Object();
    private CachingAllocator allocator;

    /** {@code kind} as in {@code Device} ("opencl", "cuda"); {@code name} the driver's name for the device. */
    protected GpuDevice(String kind, int index, String name) {
        this.kind = kind;
        this.index = index;
        this.name = name;
    }

    public final int index() { return index; }

    /** The driver's name of the device. */
    public final String name() { return name; }

    /** "cuda:0 (NVIDIA H100 80GB HBM3)" for messages. */
    public final String label() {
        return kind + ":" + index + " (" + name + ")";
    }

    /** "opencl:0", as a buffer names its device. */
    final String id() {
        return kind + ":" + index;
    }

    public final Object lock() { return lock; }

    /** The device's memory calls. */
    public abstract DeviceMemory memory();

    /** How the device runs a kernel. */
    public abstract KernelLauncher launcher();

    /** The device's limits for its allocator, read once, on the first allocation. */
    protected abstract AllocatorPolicy allocatorPolicy();

    /** One line for {@code Device.probe()}; contains "GPU" for a GPU. */
    public abstract String describe();

    /** Whether the device computes in float64; without it F64 is unsupported and random draws are refused. */
    public boolean fp64() { return true; }

    /** Why there is no float64 ("no cl_khr_fp64"), for messages; asked only when {@link #fp64()} is false. */
    public String fp64Missing() { return "no float64"; }

    /** The caching allocator, created on first use. Callers hold the lock. */
    public final CachingAllocator allocator() {
        if (allocator == null) allocator = new CachingAllocator(memory(), label(), allocatorPolicy());
        return allocator;
    }

    /** A buffer of {@code numel} elements from the caching allocator; OutOfMemoryException when none fits. */
    public final GpuBuffer allocate(DType dtype, long numel) {
        long bytes = Math.multiplyExact(numel, (long) GpuBuffer.elementBytes(dtype));
        synchronized (lock) {
            Object block = allocator().allocate(bytes, numel + " " + dtype + " elements (" + bytes + " bytes)");
            return new GpuBuffer(dtype, numel, id(), index, block);
        }
    }

    /** Returns a buffer to the allocator; a second release of the same buffer is an error. */
    public final void release(GpuBuffer b) {
        synchronized (lock) {
            if (b.freed) throw new IllegalStateException(kind + ": " + b + " freed twice");
            b.freed = true;
            allocator().release(b.handle(), b.bytes());
        }
    }
}
