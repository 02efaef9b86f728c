package dev.nabla.cuda;

import dev.nabla.kernels.BinaryCache;
import dev.nabla.kernels.CudaBundle;
import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelType;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One CUDA device: its driver calls ({@link CudaApi}), caching allocator, and kernels, loaded per
 * family and element type on first use ({@link KernelLoader}) and looked up per name once. Every
 * call that allocates, launches or copies holds {@link #lock}: the context's stream is shared, and
 * the allocator and kernel tables are not thread-safe.
 */
final class CudaDevice {
    private static final Logger LOG = Logger.getLogger("dev.nabla.cuda");
    /** The cuBLAS fallback is logged once per process, not once per device or call. */
    private static final AtomicBoolean BLAS_FALLBACK_LOGGED = new AtomicBoolean();

    final int index;
    final CudaApi api;
    final DeviceInfoCu info;
    final Object lock = new Object();
    private final RuntimeCompiler compiler;
    private CachingAllocator allocator;
    private KernelLoader loader;
    private final Map<String, Object> modules = new HashMap<>();
    private final Map<String, Object> functions = new HashMap<>();

    CudaDevice(int index, CudaApi api, DeviceInfoCu info, RuntimeCompiler compiler) {
        this.index = index;
        this.api = api;
        this.info = info;
        this.compiler = compiler;
    }

    /** "cuda:0 (NVIDIA H100 80GB HBM3)" for messages. */
    String label() {
        return "cuda:" + index + " (" + info.name() + ")";
    }

    CachingAllocator allocator() {
        if (allocator == null) allocator = new CachingAllocator(api, label(), info.totalBytes());
        return allocator;
    }

    /** The kernel {@code name} of a family's variant, loading the module on first use. Callers hold the lock. */
    Object kernel(KernelFamily family, KernelType type, String name) {
        String key = family + "/" + type + "/" + name;
        Object f = functions.get(key);
        if (f != null) return f;
        String mkey = family + "/" + type;
        Object m = modules.get(mkey);
        if (m == null) {
            if (loader == null) {
                loader = new KernelLoader(api, label(), info, CudaBundle.standard(), compiler, info.nvrtcFailure(),
                        BinaryCache.standard());
            }
            m = loader.load(family, type);
            modules.put(mkey, m);
        }
        f = api.function(m, name);
        functions.put(key, f);
        return f;
    }

    /** Lets a test see the once-per-process log line again. */
    static void resetFallbackLog() {
        BLAS_FALLBACK_LOGGED.set(false);
    }

    /** cuBLAS, or null (the shared GEMM kernel then runs), saying so once per process. */
    CudaApi.Blas blas() {
        CudaApi.Blas b = api.blas();
        if (b == null && BLAS_FALLBACK_LOGGED.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, label() + ": cuBLAS is unavailable ("
                    + (info.blasFailure() != null ? info.blasFailure() : "it did not start")
                    + "); matmul runs on the shared GEMM kernel (gemm.kc)");
        }
        return b;
    }
}
