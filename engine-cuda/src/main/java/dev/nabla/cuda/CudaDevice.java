package dev.nabla.cuda;

import dev.nabla.gpu.AllocatorPolicy;
import dev.nabla.gpu.DeviceMemory;
import dev.nabla.gpu.GpuDevice;
import dev.nabla.gpu.KernelArg;
import dev.nabla.gpu.KernelLauncher;
import dev.nabla.kernels.BinaryCache;
import dev.nabla.kernels.CudaBundle;
import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelType;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One CUDA device: its driver calls ({@link CudaApi}, which are also its memory calls), its
 * kernels, loaded per family and element type on first use ({@link KernelLoader}) and looked up
 * per name once, launched on the device's stream, and cuBLAS. Unlike OpenCL's global sizes, CUDA
 * grids count blocks, and their y and z extents stop at 65535 ({@link #maxGrid()}): the shared
 * launches split work that could pass them.
 */
final class CudaDevice extends GpuDevice implements KernelLauncher {
    private static final Logger LOG = Logger.getLogger("dev.nabla.cuda");
    /** The cuBLAS fallback is logged once per process, not once per device or call. */
    private static final AtomicBoolean BLAS_FALLBACK_LOGGED = new AtomicBoolean();
    /** Size classes above 1 MiB step by 2 MiB, the driver's own allocation granularity. */
    static final long LARGE_CLASS_STEP = 2L << 20;
    static final long[] MAX_GRID = {Integer.MAX_VALUE, 65535, 65535};

    final CudaApi api;
    final DeviceInfoCu info;
    private final RuntimeCompiler compiler;
    private KernelLoader loader;
    private final Map<String, Object> modules = new HashMap<>();
    private final Map<String, Object> functions = new HashMap<>();

    CudaDevice(int index, CudaApi api, DeviceInfoCu info, RuntimeCompiler compiler) {
        super("cuda", index, info.name());
        this.api = api;
        this.info = info;
        this.compiler = compiler;
    }

    @Override public DeviceMemory memory() { return api; }

    @Override public KernelLauncher launcher() { return this; }

    /** cuMemAlloc reports out-of-memory itself, so the allocator need not keep the total by its books. */
    @Override
    protected AllocatorPolicy allocatorPolicy() {
        return new AllocatorPolicy(info.totalBytes(), info.totalBytes(), LARGE_CLASS_STEP, false);
    }

    @Override public String describe() { return info.describe(); }

    /** The kernel {@code name} of a family's variant, loading the module on first use. Callers hold the lock. */
    @Override
    public Object kernel(KernelFamily family, KernelType type, String name) {
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

    /** cuLaunchKernel takes three extents each: the unused ones are 1. */
    @Override
    public void launch(Object kernel, String name, long[] grid, int[] block, List<KernelArg> args) {
        long[] g = {1, 1, 1};
        int[] b = {1, 1, 1};
        System.arraycopy(grid, 0, g, 0, grid.length);
        System.arraycopy(block, 0, b, 0, block.length);
        api.launch(kernel, name, g, b, args);
    }

    @Override
    public long[] maxGrid() { return Arrays.copyOf(MAX_GRID, 3); }

    @Override
    public void finish() {
        api.synchronize();
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
