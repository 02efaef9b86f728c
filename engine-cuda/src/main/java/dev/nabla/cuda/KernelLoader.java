package dev.nabla.cuda;

import dev.nabla.BackendUnavailableException;
import dev.nabla.kernels.BinaryCache;
import dev.nabla.kernels.CudaBundle;
import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelSource;
import dev.nabla.kernels.KernelType;
import dev.nabla.kernels.Target;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds a loadable module for one kernel family and element type on one GPU, in order: the
 * bundled cubin for its architecture (no compiler, no JIT), the bundled PTX (the driver JIT-compiles
 * it; a driver older than the nvcc that built it refuses it), then NVRTC from the source, its output
 * cached on disk in {@link BinaryCache} keyed by source, options, NVRTC version, device and driver.
 * When every way fails, the exception lists each attempt with the driver's JIT log or NVRTC's log.
 */
final class KernelLoader {
    private final CudaApi api;
    private final String label;
    private final DeviceInfoCu info;
    private final CudaBundle bundle;
    private final RuntimeCompiler compiler;
    private final String compilerFailure;
    private final BinaryCache cache;

    KernelLoader(CudaApi api, String label, DeviceInfoCu info, CudaBundle bundle, RuntimeCompiler compiler,
                 String compilerFailure, BinaryCache cache) {
        this.api = api;
        this.label = label;
        this.info = info;
        this.bundle = bundle;
        this.compiler = compiler;
        this.compilerFailure = compilerFailure;
        this.cache = cache;
    }

    /** The loaded module of a family's variant. Callers hold the device's lock. */
    Object load(KernelFamily family, KernelType type) {
        List<String> tried = new ArrayList<>();
        String why = bundle.unavailableReason(family, type);
        if (why != null) tried.add("bundled binaries: " + why);
        for (CudaBundle.Image im : bundle.images(family, type, info.ccMajor(), info.ccMinor())) {
            try {
                return api.loadModule(im.bytes(), im.ptx());
            } catch (CudaApi.ModuleLoadException e) {
                tried.add("bundled " + im.label() + ": " + e.getMessage());
            }
        }
        if (why == null && bundle.images(family, type, info.ccMajor(), info.ccMinor()).isEmpty()) {
            tried.add("bundled binaries: none for sm_" + info.cc());
        }
        if (compiler == null) {
            tried.add("NVRTC: " + compilerFailure);
        } else {
            Object m = compileAndLoad(family, type, tried);
            if (m != null) return m;
        }
        throw new BackendUnavailableException(label + ": cannot load the kernels of " + family.file() + " for " + type
                + " (tried in order):\n  - " + String.join("\n  - ", tried));
    }

    private Object compileAndLoad(KernelFamily family, KernelType type, List<String> tried) {
        String src = KernelSource.assemble(Target.CUDA, family, type);
        List<String> options = compiler.options(info.cc());
        boolean ptx = options.get(0).contains("compute_");
        String key = BinaryCache.key(src, String.join(" ", options) + " " + compiler.version(),
                info.name() + "|sm_" + info.cc(), "cuda driver " + info.driverVersion());
        byte[] image = cache.load(key);
        boolean fromCache = image != null;
        if (image == null) {
            try {
                RuntimeCompiler.Output out = compiler.compile(src, CudaBundle.name(family, type) + ".cu", info.cc());
                image = out.image();
                ptx = out.ptx();
            } catch (RuntimeException e) {
                tried.add(e.getMessage());
                return null;
            }
        }
        try {
            Object m = api.loadModule(image, ptx);
            if (!fromCache) cache.store(key, image);
            return m;
        } catch (CudaApi.ModuleLoadException e) {
            tried.add(compiler.version() + " output" + (fromCache ? " (from the disk cache " + cache.dir() + ")" : "")
                    + " with " + options + ": " + e.getMessage());
            return null;
        }
    }
}
