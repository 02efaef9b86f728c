package dev.nabla.gpu;

import dev.nabla.BackendUnavailableException;
import dev.nabla.DType;
import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelType;
import dev.nabla.spi.RandomDist;

/**
 * Philox4x32-10 fills on random.kc, bit-identical to dev.nabla.spi.Philox (the CPU backend's
 * stream): one work item per Philox block. The normal streams run Box-Muller in float64 with the
 * fdlibm log, sin and cos ported into the kernel, compiled without contraction of a*b+c (OpenCL's
 * FP_CONTRACT off, nvcc's and NVRTC's --fmad=false) so every product and sum is rounded as Java
 * rounds it. So float64 draws and both normal streams need the device's fp64. Callers hold the
 * device's lock.
 */
final class RandomFill {
    private RandomFill() {}

    static void fill(GpuDevice dev, RandomDist dist, GpuBuffer out, long seed, long offset) {
        long n = out.numel();
        if (n == 0) return;
        boolean f32 = out.dtype() == DType.F32;
        if (!f32 && out.dtype() != DType.F64) {
            throw new IllegalArgumentException(dev.id() + " random: " + out.dtype() + " reached the backend");
        }
        String kind = dist == RandomDist.NORMAL ? "normal" : "uniform";
        if ((dist == RandomDist.NORMAL || !f32) && !dev.fp64()) {
            throw new BackendUnavailableException(dev.label() + ": " + kind + " " + out.dtype()
                    + " draws compute in float64, which this device lacks (" + dev.fp64Missing() + ")");
        }
        String name = "random_" + kind + (f32 ? "_f32" : "_f64");
        long blocks = f32 ? (n + 3) / 4 : (n + 1) / 2;
        Launch.of(dev, KernelFamily.RANDOM, KernelType.NONE, name)
                .i64(n).i32((int) seed).i32((int) (seed >>> 32)).i32((int) offset).i32((int) (offset >>> 32))
                .buf(out).run(blocks);
    }
}
