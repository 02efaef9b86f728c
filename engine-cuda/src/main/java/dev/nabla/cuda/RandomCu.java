package dev.nabla.cuda;

import dev.nabla.DType;
import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelType;
import dev.nabla.spi.RandomDist;

/**
 * Philox4x32-10 fills on random.kc, bit-identical to dev.nabla.spi.Philox (the CPU backend's
 * stream): one thread per Philox block. The normal streams run Box-Muller in float64 with the
 * fdlibm log, sin and cos ported into the kernel, and the build's --fmad=false keeps every product
 * and sum rounded as Java rounds it. Callers hold the device's lock.
 */
final class RandomCu {
    private RandomCu() {}

    static void fill(CudaDevice dev, RandomDist dist, CudaBuffer out, long seed, long offset) {
        long n = out.numel;
        if (n == 0) return;
        boolean f32 = out.dtype == DType.F32;
        if (!f32 && out.dtype != DType.F64) {
            throw new IllegalArgumentException("cuda random: " + out.dtype + " reached the backend");
        }
        String name = "random_" + (dist == RandomDist.NORMAL ? "normal" : "uniform") + (f32 ? "_f32" : "_f64");
        long blocks = f32 ? (n + 3) / 4 : (n + 1) / 2;
        Launch.of(dev, KernelFamily.RANDOM, KernelType.NONE, name)
                .i64(n).i32((int) seed).i32((int) (seed >>> 32)).i32((int) offset).i32((int) (offset >>> 32))
                .buf(out).run(blocks);
    }
}
