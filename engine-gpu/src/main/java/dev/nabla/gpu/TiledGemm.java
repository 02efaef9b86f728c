package dev.nabla.gpu;

import dev.nabla.kernels.KernelFamily;
import dev.nabla.spi.Gemm;

/**
 * Batched matrix products on gemm.kc's tiled kernel: 64×64 tiles of C, 16×16 work items each, grid
 * (N/64, M/64, batch). Where the launcher limits grids (CUDA: 65535 in y and z), batches beyond the
 * z limit run in chunks, and more row tiles than the y limit one matrix at a time, in chunks of
 * rows; C of a later chunk is then passed from an element offset. Callers hold the device's lock
 * and have handled the empty product and k = 0.
 */
public final class TiledGemm {
    private static final int TILE = 64;
    private static final int ITEMS = 16;
    private static final int[] GROUP = {ITEMS, ITEMS, 1};

    private TiledGemm() {}

    public static void run(GpuDevice dev, Gemm g, GpuBuffer a, GpuBuffer b, GpuBuffer c) {
        long[] max = dev.launcher().maxGrid();
        long m = g.m(), n = g.n();
        long gx = (n + TILE - 1) / TILE, gy = (m + TILE - 1) / TILE;
        if (gy <= max[1]) {
            for (long b0 = 0; b0 < g.batch(); b0 += max[2]) {
                long nb = Math.min(max[2], g.batch() - b0);
                launch(dev, a, b, c, m, n, g.k(), g.aOffset() + b0 * g.aBatchStride(), g.aBatchStride(), g.aRowStride(),
                        g.aColStride(), g.bOffset() + b0 * g.bBatchStride(), g.bBatchStride(), g.bRowStride(), g.bColStride(),
                        b0 * m * n, new long[] {gx, gy, nb});
            }
            return;
        }
        long maxRows = max[1] * TILE;
        for (long bi = 0; bi < g.batch(); bi++) {
            for (long m0 = 0; m0 < m; m0 += maxRows) {
                long rows = Math.min(maxRows, m - m0);
                launch(dev, a, b, c, rows, n, g.k(), g.aOffset() + bi * g.aBatchStride() + m0 * g.aRowStride(), 0,
                        g.aRowStride(), g.aColStride(), g.bOffset() + bi * g.bBatchStride(), 0, g.bRowStride(),
                        g.bColStride(), (bi * m + m0) * n, new long[] {gx, (rows + TILE - 1) / TILE, 1});
            }
        }
    }

    private static void launch(GpuDevice dev, GpuBuffer a, GpuBuffer b, GpuBuffer c, long m, long n, long k,
                               long aOff, long aBS, long aRS, long aCS, long bOff, long bBS, long bRS, long bCS,
                               long cOff, long[] grid) {
        Launch.of(dev, KernelFamily.GEMM, Launch.type(a.dtype()), "gemm_tiled")
                .i64(m).i64(n).i64(k)
                .buf(a).i64(aOff).i64(aBS).i64(aRS).i64(aCS)
                .buf(b).i64(bOff).i64(bBS).i64(bRS).i64(bCS)
                .buf(c, cOff)
                .run(grid, GROUP);
    }
}
