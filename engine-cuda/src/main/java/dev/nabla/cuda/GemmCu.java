package dev.nabla.cuda;

import dev.nabla.DType;
import dev.nabla.gpu.Elementwise;
import dev.nabla.gpu.GpuBuffer;
import dev.nabla.gpu.TiledGemm;
import dev.nabla.spi.Gemm;
import dev.nabla.spi.Layout;

/**
 * Batched matrix products: F32 and F64 through cuBLAS's strided-batched GEMM with the row-major
 * mapping of {@link CublasPlan} (packing an operand first only when neither of its strides is 1);
 * integers, and every dtype when cuBLAS is missing, on the shared tiled kernel ({@link TiledGemm},
 * which splits grids past CUDA's limits). Callers hold the device's lock and have handled the empty
 * product and k = 0.
 */
final class GemmCu {
    private GemmCu() {}

    static void matmul(CudaDevice dev, Gemm g, GpuBuffer a, GpuBuffer b, GpuBuffer c, boolean allowBlas) {
        boolean floating = a.dtype() == DType.F32 || a.dtype() == DType.F64;
        CudaApi.Blas blas = floating && allowBlas ? dev.blas() : null;
        CublasPlan plan = blas == null ? null : CublasPlan.of(g);
        if (plan != null) {
            cublas(dev, blas, plan, g, a, b, c);
        } else {
            TiledGemm.run(dev, g, a, b, c);
        }
    }

    private static void cublas(CudaDevice dev, CudaApi.Blas blas, CublasPlan plan, Gemm g, GpuBuffer a, GpuBuffer b,
                               GpuBuffer c) {
        GpuBuffer pa = null, pb = null;
        try {
            if (plan.packA()) pa = pack(dev, a, g.batch(), g.aBatchStride(), g.m(), g.k(), g.aOffset(), g.aRowStride(), g.aColStride());
            if (plan.packB()) pb = pack(dev, b, g.batch(), g.bBatchStride(), g.k(), g.n(), g.bOffset(), g.bRowStride(), g.bColStride());
            GpuBuffer x = pb != null ? pb : b, y = pa != null ? pa : a;
            blas.gemm(a.dtype() == DType.F64, plan, x.handle(), y.handle(), c.handle());
        } finally {
            if (pa != null) dev.release(pa);
            if (pb != null) dev.release(pb);
        }
    }

    /** A contiguous [batch', rows, cols] copy of an operand (one matrix when its batch stride is 0). */
    private static GpuBuffer pack(CudaDevice dev, GpuBuffer src, long batch, long bs, long rows, long cols, long off, long rs,
                                  long cs) {
        long nb = bs == 0 ? 1 : batch;
        GpuBuffer t = dev.allocate(src.dtype(), nb * rows * cols);
        Layout from = new Layout(new long[] {nb, rows, cols}, new long[] {bs, rs, cs}, off);
        Elementwise.copy(dev, src, from, t, Layout.contiguous(nb, rows, cols));
        return t;
    }
}
