package dev.nabla.opencl;

import dev.nabla.BackendUnavailableException;
import dev.nabla.DType;
import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelType;
import dev.nabla.spi.RandomDist;

/**
 * Philox4x32-10 fills on random.kc, bit-identical to dev.nabla.spi.Philox (the CPU backend's
 * stream): one work item per Philox block. Float64 draws and both normal streams need the device's
 * fp64 (Box-Muller runs in float64 there, as in the reference). Callers hold the device's lock.
 */
final class RandomCl {
    private RandomCl() {}

    static void fill(OpenClDevice dev, RandomDist dist, OpenClBuffer out, long seed, long offset) {
        long n = out.numel;
        if (n == 0) return;
        boolean f32 = out.dtype == DType.F32;
        if (!f32 && out.dtype != DType.F64) {
            throw new IllegalArgumentException("opencl random: " + out.dtype + " reached the backend");
        }
        if ((dist == RandomDist.NORMAL || !f32) && !dev.info.fp64()) {
            throw new BackendUnavailableException(dev.label() + ": " + (dist == RandomDist.NORMAL ? "normal" : "uniform")
                    + " " + out.dtype + " draws compute in float64, which this device lacks (no cl_khr_fp64)");
        }
        String name = "random_" + (dist == RandomDist.NORMAL ? "normal" : "uniform") + (f32 ? "_f32" : "_f64");
        long blocks = f32 ? (n + 3) / 4 : (n + 1) / 2;
        Launch.of(dev, KernelFamily.RANDOM, KernelType.NONE, name)
                .i64(n).i32((int) seed).i32((int) (seed >>> 32)).i32((int) offset).i32((int) (offset >>> 32))
                .buf(out).run(blocks);
    }
}
