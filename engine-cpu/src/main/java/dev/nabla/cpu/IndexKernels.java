package dev.nabla.cpu;

import dev.nabla.spi.Layout;

/**
 * gather and scatter-add. Both first turn the layouts into flat element offsets (row-major over the
 * index's shape), checking every index value once, then move elements with a plain per-dtype loop.
 */
final class IndexKernels {
    private IndexKernels() {}

    /** Element offsets of a layout in row-major order of its shape. */
    static int[] offsets(Layout l) {
        int n = (int) l.numel();
        int[] out = new int[n];
        if (n == 0) return out;
        long[] sh = l.shape(), st = l.strides();
        int r = sh.length;
        long[] idx = new long[r];
        long off = l.offset();
        for (int i = 0; i < n; i++) {
            out[i] = (int) off;
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < sh[d]) {
                    off += st[d];
                    break;
                }
                off -= st[d] * (sh[d] - 1);
                idx[d] = 0;
            }
        }
        return out;
    }

    /**
     * Offsets into x for each index position: x's own offset along the other dims, plus the index
     * value along dim. Returns null after storing the first bad position in bad[0].
     */
    private static int[] sourceOffsets(Layout xl, int dim, long[] index, Layout il, long[] bad) {
        // x walked with the index's shape, its stride along dim replaced by 0: the index supplies it
        long[] st = xl.strides().clone();
        long dimStride = st[dim];
        long size = xl.shape()[dim];
        st[dim] = 0;
        int[] base = offsets(new Layout(il.shape(), st, xl.offset()));
        int[] ip = offsets(il);
        for (int i = 0; i < base.length; i++) {
            long v = index[ip[i]];
            if (v < 0 || v >= size) {
                bad[0] = i;
                return null;
            }
            base[i] += (int) (v * dimStride);
        }
        return base;
    }

    static long gather(CpuBuffer x, Layout xl, int dim, CpuBuffer index, Layout il, CpuBuffer out, Layout ol) {
        long[] bad = {-1};
        int[] src = sourceOffsets(xl, dim, index.i64(), il, bad);
        if (src == null) return bad[0];
        int[] dst = offsets(ol);
        int n = src.length;
        switch (x.dtype) {
            case F32 -> { float[] a = x.f32(), o = out.f32(); for (int i = 0; i < n; i++) o[dst[i]] = a[src[i]]; }
            case F64 -> { double[] a = x.f64(), o = out.f64(); for (int i = 0; i < n; i++) o[dst[i]] = a[src[i]]; }
            case I32 -> { int[] a = x.i32(), o = out.i32(); for (int i = 0; i < n; i++) o[dst[i]] = a[src[i]]; }
            case I64 -> { long[] a = x.i64(), o = out.i64(); for (int i = 0; i < n; i++) o[dst[i]] = a[src[i]]; }
            case BOOL -> { boolean[] a = x.bool(), o = out.bool(); for (int i = 0; i < n; i++) o[dst[i]] = a[src[i]]; }
        }
        return -1;
    }

    /** Sequential on purpose: several index entries may hit one destination. */
    static long scatterAdd(CpuBuffer out, Layout ol, int dim, CpuBuffer index, Layout il, CpuBuffer src, Layout sl) {
        long[] bad = {-1};
        int[] dst = sourceOffsets(ol, dim, index.i64(), il, bad);
        if (dst == null) return bad[0];
        int[] s = offsets(sl);
        int n = dst.length;
        switch (out.dtype) {
            case F32 -> { float[] a = src.f32(), o = out.f32(); for (int i = 0; i < n; i++) o[dst[i]] += a[s[i]]; }
            case F64 -> { double[] a = src.f64(), o = out.f64(); for (int i = 0; i < n; i++) o[dst[i]] += a[s[i]]; }
            case I32 -> { int[] a = src.i32(), o = out.i32(); for (int i = 0; i < n; i++) o[dst[i]] += a[s[i]]; }
            case I64 -> { long[] a = src.i64(), o = out.i64(); for (int i = 0; i < n; i++) o[dst[i]] += a[s[i]]; }
            case BOOL -> { boolean[] a = src.bool(), o = out.bool(); for (int i = 0; i < n; i++) o[dst[i]] |= a[s[i]]; }
        }
        return -1;
    }
}
