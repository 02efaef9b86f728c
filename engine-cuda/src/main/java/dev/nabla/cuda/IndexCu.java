package dev.nabla.cuda;

import dev.nabla.DType;
import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelType;
import dev.nabla.spi.Layout;

/**
 * gather and scatter-add on index.kc, as the OpenCL backend. Both validate every index first
 * (index_check), so nothing is read or written out of bounds and a bad index leaves the output
 * untouched; scatter-add is deterministic (one thread per line along dim, see the kernel). Callers
 * hold the device's lock.
 */
final class IndexCu {
    /** Positions one index_check launch covers, so the reported position fits an int. */
    private static final long CHECK_CHUNK = 1L << 30;

    private IndexCu() {}

    /** The first row-major position in il whose index lies outside [0, size), or -1. */
    static long check(CudaBackend be, CudaDevice dev, CudaBuffer index, Layout il, long size) {
        CudaBuffer bad = be.allocateOn(dev, DType.I32, 1);
        try {
            long[] found = {-1};
            Blocks.forEach(Layout.coalesce(il), (s, first) -> {
                if (found[0] >= 0) return;
                long n = Layout.numel(s[0].shape());
                for (long base = 0; base < n && found[0] < 0; base += CHECK_CHUNK) {
                    long len = Math.min(CHECK_CHUNK, n - base);
                    ElementwiseCu.fill(dev, bad, Integer.MAX_VALUE);
                    Launch.of(dev, KernelFamily.INDEX, KernelType.I64, "index_check")
                            .i64(len).i64(base).lay(s[0]).buf(index).i64(size).buf(bad).run(len);
                    int[] v = new int[1];
                    dev.api.download(bad.ptr, 0, v, 4);
                    if (v[0] != Integer.MAX_VALUE) found[0] = first + base + v[0];
                }
            });
            return found[0];
        } finally {
            be.release(bad);
        }
    }

    static long gather(CudaBackend be, CudaDevice dev, CudaBuffer x, Layout xl, int dim, CudaBuffer index,
                       Layout il, CudaBuffer out, Layout ol) {
        long n = il.numel();
        if (n == 0) return -1;
        long size = xl.shape()[dim];
        long bad = check(be, dev, index, il, size);
        if (bad >= 0) return bad;
        long[] st = xl.strides().clone();
        long dimStride = st[dim];
        st[dim] = 0;
        Layout xb = new Layout(il.shape(), st, xl.offset());
        Blocks.forEach(Layout.coalesce(xb, il, ol), (s, first) -> {
            long m = Layout.numel(s[0].shape());
            Launch.of(dev, KernelFamily.INDEX, Launch.type(x.dtype), "index_gather")
                    .i64(m).lay(s[0]).buf(x).i64(dimStride).i64(size).lay(s[1]).buf(index).lay(s[2]).buf(out).run(m);
        });
        return -1;
    }

    static long scatterAdd(CudaBackend be, CudaDevice dev, CudaBuffer out, Layout ol, int dim,
                           CudaBuffer index, Layout il, CudaBuffer src, Layout sl) {
        long n = il.numel();
        if (n == 0) return -1;
        long bad = check(be, dev, index, il, ol.shape()[dim]);
        if (bad >= 0) return bad;
        long[] lines = il.shape().clone();
        long len = lines[dim];
        lines[dim] = 1;
        Layout ob = new Layout(lines, ol.strides(), ol.offset());
        Layout ib = new Layout(lines, il.strides(), il.offset());
        Layout sb = new Layout(lines, sl.strides(), sl.offset());
        long outDim = ol.strides()[dim], idxDim = il.strides()[dim], srcDim = sl.strides()[dim];
        Blocks.forEach(Layout.coalesce(ob, ib, sb), (s, first) -> {
            long m = Layout.numel(s[0].shape());
            Launch.of(dev, KernelFamily.INDEX, Launch.type(out.dtype), "index_scatter_add")
                    .i64(m).i64(len).lay(s[0]).buf(out).i64(outDim).lay(s[1]).buf(index).i64(idxDim)
                    .lay(s[2]).buf(src).i64(srcDim).run(m);
        });
        return -1;
    }
}
