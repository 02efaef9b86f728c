package dev.nabla.cuda;

import dev.nabla.DType;
import dev.nabla.kernels.KernelFamily;
import dev.nabla.spi.BinaryOp;
import dev.nabla.spi.Layout;
import dev.nabla.spi.UnaryOp;

import java.util.Locale;

/**
 * The elementwise primitives on the shared kernels (unary.kc, binary.kc, copy.kc), as the OpenCL backend. Each call
 * coalesces its layouts together with the output's, so a contiguous or partly contiguous view
 * reaches the kernel with as few dims as possible (the kernel's fast path when all are
 * contiguous), and launches one thread per element. Callers hold the device's lock.
 */
final class ElementwiseCu {
    private ElementwiseCu() {}

    static void unary(CudaDevice dev, UnaryOp op, CudaBuffer x, Layout xl, CudaBuffer out) {
        long n = xl.numel();
        if (n == 0) return;
        String name = "unary_" + op.name().toLowerCase(Locale.ROOT);
        Layout[] co = Layout.coalesce(xl, Layout.contiguous(xl.shape()));
        Blocks.forEach(co, (s, first) -> Launch.of(dev, KernelFamily.UNARY, Launch.type(x.dtype), name)
                .i64(Layout.numel(s[0].shape())).lay(s[0]).buf(x).i64(first).buf(out).run(Layout.numel(s[0].shape())));
    }

    static void binary(CudaDevice dev, BinaryOp op, CudaBuffer a, Layout al, CudaBuffer b, Layout bl,
                       CudaBuffer out) {
        long n = al.numel();
        if (n == 0) return;
        String name = "binary_" + op.name().toLowerCase(Locale.ROOT);
        Layout[] co = Layout.coalesce(al, bl, Layout.contiguous(al.shape()));
        Blocks.forEach(co, (s, first) -> {
            long m = Layout.numel(s[0].shape());
            Launch.of(dev, KernelFamily.BINARY, Launch.type(a.dtype), name)
                    .i64(m).lay(s[0]).buf(a).lay(s[1]).buf(b).i64(first).buf(out).run(m);
        });
    }

    static void where(CudaDevice dev, CudaBuffer c, Layout cl, CudaBuffer a, Layout al, CudaBuffer b,
                      Layout bl, CudaBuffer out) {
        long n = cl.numel();
        if (n == 0) return;
        Layout[] co = Layout.coalesce(cl, al, bl, Layout.contiguous(cl.shape()));
        Blocks.forEach(co, (s, first) -> {
            long m = Layout.numel(s[0].shape());
            Launch.of(dev, KernelFamily.COPY, Launch.type(out.dtype), "copy_where")
                    .i64(m).lay(s[0]).buf(c).lay(s[1]).buf(a).lay(s[2]).buf(b).i64(first).buf(out).run(m);
        });
    }

    /** out (contiguous) = x converted to out's dtype; the same dtype is a copy. */
    static void cast(CudaDevice dev, CudaBuffer x, Layout xl, CudaBuffer out) {
        if (x.dtype == out.dtype) {
            copy(dev, x, xl, out, Layout.contiguous(xl.shape()));
            return;
        }
        long n = xl.numel();
        if (n == 0) return;
        String name = "cast_to_" + out.dtype.name().toLowerCase(Locale.ROOT);
        Layout[] co = Layout.coalesce(xl, Layout.contiguous(xl.shape()));
        Blocks.forEach(co, (s, first) -> {
            long m = Layout.numel(s[0].shape());
            Launch.of(dev, KernelFamily.COPY, Launch.type(x.dtype), name).i64(m).lay(s[0]).buf(x).i64(first).buf(out).run(m);
        });
    }

    static void copy(CudaDevice dev, CudaBuffer x, Layout xl, CudaBuffer out, Layout ol) {
        long n = xl.numel();
        if (n == 0) return;
        Layout[] co = Layout.coalesce(xl, ol);
        Blocks.forEach(co, (s, first) -> {
            long m = Layout.numel(s[0].shape());
            Launch.of(dev, KernelFamily.COPY, Launch.type(x.dtype), "copy_strided").i64(m).lay(s[0]).buf(x).lay(s[1]).buf(out).run(m);
        });
    }

    static void fill(CudaDevice dev, CudaBuffer out, double v) {
        fill(dev, out, out.numel, v);
    }

    /** The first n elements of out set to v converted to its dtype. */
    static void fill(CudaDevice dev, CudaBuffer out, long n, double v) {
        if (n == 0) return;
        DType t = out.dtype;
        Launch.of(dev, KernelFamily.COPY, Launch.type(t), "copy_fill").i64(n).scalar(t, v).buf(out).run(n);
    }
}
