package dev.nabla.opencl;

import dev.nabla.kernels.KernelFamily;
import dev.nabla.spi.Gemm;

/** Batched matrix products on gemm.kc's tiled kernel: 64×64 tiles of C, 16×16 work items each. */
final class GemmCl {
    private static final int TILE = 64;
    private static final int ITEMS = 16;

    private GemmCl() {}

    static void matmul(OpenClDevice dev, Gemm g, OpenClBuffer a, OpenClBuffer b, OpenClBuffer c) {
        if (g.batch() == 0 || g.m() == 0 || g.n() == 0) return;
        long gx = (g.n() + TILE - 1) / TILE * ITEMS, gy = (g.m() + TILE - 1) / TILE * ITEMS;
        Launch.of(dev, KernelFamily.GEMM, Launch.type(a.dtype), "gemm_tiled")
                .i64(g.m()).i64(g.n()).i64(g.k())
                .buf(a).i64(g.aOffset()).i64(g.aBatchStride()).i64(g.aRowStride()).i64(g.aColStride())
                .buf(b).i64(g.bOffset()).i64(g.bBatchStride()).i64(g.bRowStride()).i64(g.bColStride())
                .buf(c)
                .run(new long[] {gx, gy, g.batch()}, new long[] {ITEMS, ITEMS, 1});
    }
}
