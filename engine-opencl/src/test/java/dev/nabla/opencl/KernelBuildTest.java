package dev.nabla.opencl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelType;
import dev.nabla.spi.Backends;
import java.util.ArrayList;
import java.util.List;
import org.jocl.cl_kernel;
import org.junit.jupiter.api.Test;

/** Every kernel family builds on every OpenCL device, in every element type it serves. */
class KernelBuildTest {

    @Test
    void everyFamilyBuildsOnEveryDevice() {
        OpenClBackend be = (OpenClBackend) Backends.get("opencl");
        OpenClAvailability.require(be);
        List<String> built = new ArrayList<>();
        for (var info : be.probe()) {
            OpenClDevice dev = be.device(info.index());
            for (KernelFamily f : KernelFamily.values()) {
                for (KernelType t : f.types()) {
                    if (t.needsF64() && !dev.info.fp64()) continue;
                    String first = switch (f) {
                        case UNARY -> "unary_neg";
                        case BINARY -> "binary_add";
                        case COPY -> "copy_strided";
                        case REDUCE -> "reduce_rows";
                        case GEMM -> "gemm_tiled";
                        case INDEX -> "index_gather";
                        case RANDOM -> "random_uniform_f32";
                        case SPARSE -> "sparse_matmul";
                    };
                    synchronized (dev.lock()) {
                        Object k = dev.launcher().kernel(f, t, first);
                        assertInstanceOf(cl_kernel.class, k);
                    }
                    built.add(f + "/" + t);
                }
            }
        }
        assertFalse(built.isEmpty());
    }
}
