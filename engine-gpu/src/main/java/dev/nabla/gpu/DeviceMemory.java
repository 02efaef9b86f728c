package dev.nabla.gpu;

/**
 * A device's memory calls, as the driver offers them: the one piece of memory handling each GPU
 * backend writes itself. Handles are opaque (a cl_mem, a CUdeviceptr, a test's fake block); the
 * {@link CachingAllocator} decides when to call {@link #alloc} and {@link #free}. Callers hold the
 * device's lock. Host arrays are float[], double[], int[], long[] or byte[] (BOOL travels as bytes).
 */
public interface DeviceMemory {

    /** Memory of {@code bytes}; throws {@link Refused} when the driver is out of memory. */
    Object alloc(long bytes);

    /** Returns memory to the driver. */
    void free(Object handle);

    /** Copies {@code bytes} from a host array into {@code dst} from its start, after all queued work. */
    void upload(Object hostArray, Object dst, long bytes);

    /** Copies {@code bytes} at {@code byteOffset} of {@code src} into a host array, after all queued work. */
    void download(Object src, long byteOffset, Object hostArray, long bytes);

    /**
     * Free bytes as the driver reports them, or -1 where it reports none (OpenCL): the
     * out-of-memory message then gives the allocator's own figure.
     */
    long driverFreeBytes();

    /** The driver's refusal of an allocation for want of memory, in the driver's words. */
    final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Refused(String driverWords) {
            super(driverWords);
        }
    }
}
