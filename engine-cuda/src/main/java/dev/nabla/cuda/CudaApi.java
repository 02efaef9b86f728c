package dev.nabla.cuda;

import java.util.List;

/**
 * The driver calls one device of the CUDA backend makes, behind one small interface: the real one
 * is {@link JCudaApi} (JCuda's driver API, a primary context and one stream), and the tests put a
 * recording device behind it, so the host logic (allocator, kernel selection, launch arguments,
 * the cuBLAS mapping) runs and is checked on a machine without a GPU. Device pointers are opaque
 * objects. Callers hold the device's lock; every call runs in stream order on the device's stream.
 */
interface CudaApi {

    /** Device memory of {@code bytes}, or null when the driver reports it out of memory. */
    Object alloc(long bytes);

    /** Returns memory to the driver (this waits for the device). */
    void free(Object ptr);

    /** {free, total} bytes as the driver reports them. */
    long[] memInfo();

    /** Copies {@code bytes} from a Java array (float[], double[], int[], long[], byte[]) to {@code dst}. */
    void upload(Object hostArray, Object dst, long bytes);

    /** Copies {@code bytes} at {@code byteOffset} of {@code src} into a Java array, after all queued work. */
    void download(Object src, long byteOffset, Object hostArray, long bytes);

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
