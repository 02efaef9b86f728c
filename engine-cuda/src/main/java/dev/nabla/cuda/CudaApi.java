package dev.nabla.cuda;

import dev.nabla.gpu.DeviceMemory;
import dev.nabla.gpu.KernelArg;

import java.util.List;

/**
 * The driver calls one device of the CUDA backend makes, behind one small interface: the real one
 * is {@link JCudaApi} (JCuda's driver API, a primary context and one stream), and the tests put a
 * recording device behind it, so the host logic (the shared allocator and launches, kernel loading,
 * the cuBLAS mapping) runs and is checked on a machine without a GPU. Its memory calls are the
 * shared layer's {@link DeviceMemory}: {@code alloc} throws {@link DeviceMemory.Refused} on
 * CUDA_ERROR_OUT_OF_MEMORY, {@code free} waits for the device, host copies wait for the stream.
 * Device pointers are opaque objects. Callers hold the device's lock; every call runs in stream
 * order on the device's stream.
 */
interface CudaApi extends DeviceMemory {

    /** Loads a cubin or PTX image; throws {@link ModuleLoadException} with the JIT's log on failure. */
    Object loadModule(byte[] image, boolean ptx);

    /** The kernel {@code name} of a loaded module; IllegalStateException when the module lacks it. */
    Object function(Object module, String name);

    /** Queues a launch: grid in blocks (x, y, z), block in threads (x, y, z). */
    void launch(Object function, String name, long[] grid, int[] block, List<KernelArg> args);

    /** Waits for all queued work. */
    void synchronize();

    /** cuBLAS on this device's stream, or null when cuBLAS is unavailable. */
    Blas blas();

    /** A cubin or PTX the driver refused, with its CUresult and the JIT's error log. */
    final class ModuleLoadException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int code;
        final String log;

        ModuleLoadException(int code, String codeName, String log) {
            super(codeName + (log == null || log.isBlank() ? "" : ":\n" + log.trim()));
            this.code = code;
            this.log = log;
        }
    }

    /** Strided-batched GEMM in column-major terms (cuBLAS), pointers as from {@link #alloc}. */
    interface Blas {
        /** "cuBLAS 12.6.4" for descriptions. */
        String version();

        /** C = op(X)·op(Y) per the plan, in F32 or F64; pointers are the allocations' bases. */
        void gemm(boolean f64, CublasPlan plan, Object x, Object y, Object c);
    }
}
