package dev.nabla;

import dev.nabla.spi.Backend;
import dev.nabla.spi.Buffer;
import dev.nabla.spi.Layout;
import dev.nabla.spi.RandomDist;

import java.util.Arrays;

/** Creation ops and host transfers: everything that makes a tensor from numbers or numbers from a tensor. */
final class Creation {
    private Creation() {}

    static long[] checkShape(String op, long[] shape) {
        for (long d : shape) {
            if (d < 0) throw new ShapeMismatchException(op + ": negative size in shape " + Arrays.toString(shape));
        }
        long n = 1;
        for (long d : shape) {
            if (d != 0 && n > Long.MAX_VALUE / d) {
                throw new ShapeMismatchException(op + ": shape " + Arrays.toString(shape) + " has too many elements");
            }
            n *= d;
        }
        return shape.clone();
    }

    private static DType arrayType(Object data) {
        return switch (data) {
            case float[] f -> DType.F32;
            case double[] d -> DType.F64;
            case int[] i -> DType.I32;
            case long[] l -> DType.I64;
            case boolean[] b -> DType.BOOL;
            default -> throw new IllegalArgumentException("of: unsupported array " + data.getClass());
        };
    }

    private static int length(Object data) {
        return java.lang.reflect.Array.getLength(data);
    }

    /** A tensor of the host array's elements; dtype/device null mean the array's type and the default device. */
    static Tensor of(DType dtype, Device device, Object data, long[] shape) {
        if (data == null) throw new IllegalArgumentException("of: data must not be null");
        DType src = arrayType(data);
        int len = length(data);
        long[] sh = shape.length == 0 ? new long[] {len} : checkShape("of", shape);
        if (Layout.numel(sh) != len) {
            throw new ShapeMismatchException("of: data length " + len + " does not match shape "
                    + Arrays.toString(sh) + " (" + Layout.numel(sh) + " elements)");
        }
        Device dev = device == null ? Device.defaultDevice() : device;
        DType dst = dtype == null ? src : dtype;
        Object converted = src == dst ? data : HostArrays.convert(data, dst);
        Tensor t = Tensor.empty(dst, dev, sh);
        if (len > 0) t.backend().copyFromHost(converted, t.buffer());
        return t;
    }

    static Tensor full(DType dtype, Device device, double v, long[] shape) {
        return full("full", dtype, device, v, shape);
    }

    /** A tensor filled with v; op names the public method in error messages. */
    static Tensor full(String op, DType dtype, Device device, double v, long[] shape) {
        Tensor t = Tensor.empty(dtype, device, checkShape(op, shape));
        t.backend().fill(t.buffer(), v);
        return t;
    }

    static Tensor eye(DType dtype, Device device, long n) {
        if (n < 0) throw new ShapeMismatchException("eye: negative size " + n);
        Tensor t = full(dtype, device, 0, new long[] {n, n});
        if (n > 0) {
            // the diagonal is a strided view of stride n + 1, filled from a broadcast scalar
            try (Tensor one = full(dtype, device, 1, new long[0])) {
                t.backend().copy(one.buffer(), new Layout(new long[] {n}, new long[] {0}, 0),
                        t.buffer(), new Layout(new long[] {n}, new long[] {n + 1}, 0));
            }
        }
        return t;
    }

    static Tensor arange(DType dtype, Device device, double start, double end, double step) {
        if (step == 0 || Double.isNaN(step) || Double.isNaN(start) || Double.isNaN(end)
                || Double.isInfinite(start) || Double.isInfinite(end)) {
            throw new ShapeMismatchException("arange: invalid range start=" + start + " end=" + end + " step=" + step);
        }
        double len = Math.ceil((end - start) / step);
        long n = len > 0 ? (long) len : 0;
        if (n > Integer.MAX_VALUE) throw new ShapeMismatchException("arange: too many elements (" + n + ")");
        double[] v = new double[(int) n];
        for (int i = 0; i < n; i++) v[i] = start + i * step;
        return of(dtype, device, v, new long[] {n});
    }

    static Tensor linspace(DType dtype, Device device, double a, double b, long n) {
        if (n < 0) throw new ShapeMismatchException("linspace: negative number of points " + n);
        if (n > Integer.MAX_VALUE) throw new ShapeMismatchException("linspace: too many points (" + n + ")");
        double[] v = new double[(int) n];
        double step = n > 1 ? (b - a) / (n - 1) : 0;
        for (int i = 0; i < n; i++) v[i] = a + i * step;
        if (n > 1) v[(int) n - 1] = b;
        return of(dtype, device, v, new long[] {n});
    }

    static Tensor random(DType dtype, Device device, Generator g, boolean normal, long[] shape) {
        if (g == null) throw new IllegalArgumentException((normal ? "randn" : "rand") + ": generator must not be null");
        if (!dtype.isFloating()) {
            throw new DTypeMismatchException((normal ? "randn" : "rand") + ": dtype must be F32 or F64, got " + dtype);
        }
        Tensor t = Tensor.empty(dtype, device, checkShape(normal ? "randn" : "rand", shape));
        long offset = g.nextOffset();
        if (t.numel() > 0) t.backend().random(normal ? RandomDist.NORMAL : RandomDist.UNIFORM, t.buffer(), g.seed(), offset);
        return t;
    }

    /** The elements in row-major order as a host array of the given dtype. */
    static Object toHost(Tensor t, DType as) {
        long n = t.numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw Errors.shape("toHost", "too many elements for a Java array", t);
        }
        Object host;
        if (t.isContiguous()) {
            host = n == 0 ? HostArrays.empty(t.dtype, 0) : t.backend().copyToHost(t.buffer(), t.offset, n);
        } else {
            try (Tensor c = Elementwise.copyRaw(t)) {
                host = n == 0 ? HostArrays.empty(t.dtype, 0) : c.backend().copyToHost(c.buffer(), 0, n);
            }
        }
        return t.dtype == as ? host : HostArrays.convert(host, as);
    }

    static double item(Tensor t) {
        if (t.numel() != 1) throw Errors.shape("item", "only a one-element tensor has an item", t);
        long pos = t.offset;
        Object one = t.backend().copyToHost(t.buffer(), pos, 1);
        return HostArrays.get(one, 0);
    }

    static Tensor toDevice(Tensor t, Device d) {
        if (t.device().equals(d)) return t;
        Object host = toHost(t, t.dtype);
        Tensor out = Tensor.empty(t.dtype, d, t.shape.clone());
        if (t.numel() > 0) out.backend().copyFromHost(host, out.buffer());
        return Graph.tracked(t) ? Graph.record(Rules.toDevice(t.device(), d), out, t) : out;
    }

    /** Reads one element of a buffer at a layout position given in row-major order of the layout's shape. */
    static double elementAt(Backend b, Buffer buf, Layout l, long pos) {
        long off = l.offset();
        long[] sh = l.shape(), st = l.strides();
        for (int d = sh.length - 1; d >= 0; d--) {
            if (sh[d] == 0) break;
            off += (pos % sh[d]) * st[d];
            pos /= sh[d];
        }
        return HostArrays.get(b.copyToHost(buf, off, 1), 0);
    }
}
