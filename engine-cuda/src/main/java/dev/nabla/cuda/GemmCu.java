package dev.nabla.cuda;

import dev.nabla.DType;
import dev.nabla.kernels.KernelFamily;
import dev.nabla.spi.Gemm;
import dev.nabla.spi.Layout;

/**
 * Batched matrix products: F32 and F64 through cuBLAS's strided-batched GEMM with the row-major
 * mapping of {@link CublasPlan} (packing an operand first only when neither of its strides is 1);
 * integers, and every dtype when cuBLAS is missing, on gemm.kc's tiled kernel (64×64 tiles of C,
 * 16×16 threads each). The kernel's grid is (N/64, M/64, batch); batches beyond the grid's z limit
 * run in chunks, and more than 65535·64 rows one matrix at a time, in chunks of rows. Callers hold
 * the device's lock.
 */
final class GemmCu {
    private static final int TILE = 64;
    private static final int THREADS = 16;
    private static final long MAX_ROWS = Launch.MAX_GRID_YZ * TILE;

    private GemmCu() {}

    static void matmul(CudaBackend be, CudaDevice dev, Gemm g, CudaBuffer a, CudaBuffer b, CudaBuffer c, boolean allowBlas) {
        if (g.batch() == 0 || g.m() == 0 || g.n() == 0) return;
        if (g.k() == 0) {
            ElementwiseCu.fill(dev, c, g.batch() * g.m() * g.n(), 0);
            return;
        }
        boolean floating = a.dtype == DType.F32 || a.dtype == DType.F64;
        CudaApi.Blas blas = floating && allowBlas ? dev.blas() : null;
        CublasPlan plan = blas == null ? null : CublasPlan.of(g);
        if (plan != null) {
            cublas(be, dev, blas, plan, g, a, b, c);
        } else {
            kernel(dev, g, a, b, c);
        }
    }

    private static void cublas(CudaBackend be, CudaDevice dev, CudaApi.Blas blas, CublasPlan plan, Gemm g,
                               CudaBuffer a, CudaBuffer b, CudaBuffer c) {
        CudaBuffer pa = null, pb = null;
        try {
            if (plan.packA()) pa = pack(be, dev, a, g.batch(), g.aBatchStride(), g.m(), g.k(), g.aOffset(), g.aRowStride(), g.aColStride());
            if (plan.packB()) pb = pack(be, dev, b, g.batch(), g.bBatchStride(), g.k(), g.n(), g.bOffset(), g.bRowStride(), g.bColStride());
            CudaBuffer x = pb != null ? pb : b, y = pa != null ? pa : a;
            blas.gemm(a.dtype == DType.F64, plan, x.ptr, y.ptr, c.ptr);
        } finally {
            if (pa != null) be.release(pa);
            if (pb != null) be.release(pb);
        }
    }

    /** A contiguous [batch', rows, cols] copy of an operand (one matrix when its batch stride is 0). */
    private static CudaBuffer pack(CudaBackend be, CudaDevice dev, CudaBuffer src, long batch, long bs, long rows, long cols,
                                   long off, long rs, long cs) {
        long nb = bs == 0 ? 1 : batch;
        CudaBuffer t = be.allocateOn(dev, src.dtype, nb * rows * cols);
        Layout from = new Layout(new long[] {nb, rows, cols}, new long[] {bs, rs, cs}, off);
        ElementwiseCu.copy(dev, src, from, t, Layout.contiguous(nb, rows, cols));
        return t;
    }

    /** The shared tiled kernel, the grid split where it passes CUDA's limits. */
    static void kernel(CudaDevice dev, Gemm g, CudaBuffer a, CudaBuffer b, CudaBuffer c) {
        long m = g.m(), n = g.n();
        long gx = (n + TILE - 1) / TILE;
        if (m <= MAX_ROWS) {
            for (long b0 = 0; b0 < g.batch(); b0 += Launch.MAX_GRID_YZ) {
                long nb = Math.min(Launch.MAX_GRID_YZ, g.batch() - b0);
                launch(dev, a, b, c, m, n, g.k(), g.aOffset() + b0 * g.aBatchStride(), g.aBatchStride(), g.aRowStride(),
                        g.aColStride(), g.bOffset() + b0 * g.bBatchStride(), g.bBatchStride(), g.bRowStride(), g.bColStride(),
                        b0 * m * n, new long[] {gx, (m + TILE - 1) / TILE, nb});
            }
            return;
        }
        for (long bi = 0; bi < g.batch(); bi++) {
            for (long m0 = 0; m0 < m; m0 += MAX_ROWS) {
                long rows = Math.min(MAX_ROWS, m - m0);
                launch(dev, a, b, c, rows, n, g.k(), g.aOffset() + bi * g.aBatchStride() + m0 * g.aRowStride(), 0,
                        g.aRowStride(), g.aColStride(), g.bOffset() + bi * g.bBatchStride(), 0, g.bRowStride(),
                        g.bColStride(), (bi * m + m0) * n, new long[] {gx, (rows + TILE - 1) / TILE, 1});
            }
        }
    }

    private static void launch(CudaDevice dev, CudaBuffer a, CudaBuffer b, CudaBuffer c, long m, long n, long k,
                               long aOff, long aBS, long aRS, long aCS, long bOff, long bBS, long bRS, long bCS,
                               long cOff, long[] grid) {
        Launch.of(dev, KernelFamily.GEMM, Launch.type(a.dtype), "gemm_tiled")
                .i64(m).i64(n).i64(k)
                .buf(a).i64(aOff).i64(aBS).i64(aRS).i64(aCS)
                .buf(b).i64(bOff).i64(bBS).i64(bRS).i64(bCS)
                .buf(c, cOff)
                .run(grid, new int[] {THREADS, THREADS, 1});
    }
}
