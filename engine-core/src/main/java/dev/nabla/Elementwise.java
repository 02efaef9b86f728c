package dev.nabla;

import dev.nabla.spi.BinaryOp;
import dev.nabla.spi.Layout;
import dev.nabla.spi.UnaryOp;

import java.util.Arrays;

/** Frontend of the elementwise primitives: validation, promotion and broadcasting, then one backend call. */
final class Elementwise {
    private Elementwise() {}

    /** NumPy broadcasting of two shapes, or ShapeMismatchException naming both operands. */
    static long[] broadcast(String op, Tensor... ts) {
        int r = 0;
        for (Tensor t : ts) r = Math.max(r, t.shape.length);
        long[] out = new long[r];
        Arrays.fill(out, 1);
        for (Tensor t : ts) {
            int off = r - t.shape.length;
            for (int i = 0; i < t.shape.length; i++) {
                long d = t.shape[i], o = out[off + i];
                if (d == o || d == 1) continue;
                if (o == 1) {
                    out[off + i] = d;
                    continue;
                }
                throw Errors.shape(op, "shapes cannot broadcast", ts);
            }
        }
        return out;
    }

    /** t's layout seen with the output shape: leading dims added, broadcast dims with stride 0. */
    static Layout layoutAs(Tensor t, long[] outShape) {
        int r = outShape.length, off = r - t.shape.length;
        if (off == 0 && Arrays.equals(t.shape, outShape)) return t.layout();
        long[] st = new long[r];
        for (int i = 0; i < t.shape.length; i++) {
            st[off + i] = t.shape[i] == outShape[off + i] ? t.strides[i] : 0;
        }
        return new Layout(outShape, st, t.offset);
    }

    /** t converted to dtype; t itself when already of it. */
    static Tensor cast(Tensor t, DType dtype) {
        Tensor out = castRaw(t, dtype);
        return out != t && Graph.tracked(t) ? Graph.record(Rules.IDENTITY, out, t) : out;
    }

    /** t converted to dtype without autodiff state (t itself when already of it): for an op's operands. */
    static Tensor castRaw(Tensor t, DType dtype) {
        t.live("to");
        if (t.dtype == dtype) return t;
        Tensor out = Tensor.empty(dtype, t.device(), t.shape.clone());
        if (out.numel() > 0) t.backend().cast(t.buffer(), t.layout(), out.buffer());
        return out;
    }

    /** A contiguous copy, differentiable (identity). */
    static Tensor copyOf(Tensor t) {
        return Graph.record(Rules.IDENTITY, copyRaw(t), t);
    }

    /** A contiguous copy without autodiff state. */
    static Tensor copyRaw(Tensor t) {
        Tensor out = Tensor.empty(t.dtype, t.device(), t.shape.clone());
        if (out.numel() > 0) {
            t.backend().copy(t.buffer(), t.layout(), out.buffer(), out.layout());
        }
        return out;
    }

    /** Closes a temporary made by cast() when it is not the original. */
    private static void release(Tensor temp, Tensor original) {
        if (temp != original) temp.close();
    }

    static Tensor unary(String name, UnaryOp op, Tensor x) {
        x.live(name);
        DType dt = x.dtype;
        if (dt == DType.BOOL && op.acceptsIntegers()) {
            throw Errors.dtype(name, "not defined for BOOL", x);
        }
        if (!op.acceptsIntegers()) dt = dt.toFloating();
        Tensor in = castRaw(x, dt);
        try {
            Tensor out = Tensor.empty(dt, x.device(), x.shape.clone());
            if (out.numel() > 0) in.backend().unary(op, in.buffer(), in.layout(), out.buffer());
            return Graph.tracked(x) ? Graph.record(Rules.unary(op), out, x) : out;
        } finally {
            release(in, x);
        }
    }

    /** The dtype both operands compute in, and the result dtype, for a binary op. */
    private static DType computeType(String name, BinaryOp op, DType dt, Tensor a, Tensor b) {
        if (op == BinaryOp.DIV && !dt.isFloating()) return DType.F32;
        if (dt == DType.BOOL) {
            if (op == BinaryOp.SUB) throw Errors.dtype(name, "subtraction of two BOOL tensors is not supported", a, b);
            if (op == BinaryOp.POW) return DType.I64;
        }
        return dt;
    }

    static Tensor binary(String name, BinaryOp op, Tensor a, Tensor b) {
        a.live(name);
        b.live(name);
        Errors.sameDevice(name, a, b);
        long[] shape = broadcast(name, a, b);
        DType dt = computeType(name, op, DType.promote(a.dtype, b.dtype), a, b);
        return apply(op, a, b, dt, shape);
    }

    private static Tensor apply(BinaryOp op, Tensor a, Tensor b, DType dt, long[] shape) {
        Tensor ac = castRaw(a, dt);
        Tensor bc = castRaw(b, dt);
        try {
            Tensor out = Tensor.empty(op.isComparison() ? DType.BOOL : dt, a.device(), shape);
            if (out.numel() > 0) {
                a.backend().binary(op, ac.buffer(), layoutAs(ac, shape), bc.buffer(), layoutAs(bc, shape), out.buffer());
            }
            if (!Graph.tracked(a, b)) return out;
            return op.isComparison() ? Graph.nonDifferentiable(op.name().toLowerCase(), out, a, b)
                    : Graph.record(Rules.binary(op), out, a, b);
        } finally {
            release(ac, a);
            release(bc, b);
        }
    }

    /**
     * The dtype a double scalar takes next to tensor t: a float tensor's own; for integer and bool
     * tensors their own (bool becomes I64) when v is whole, else F32 (PyTorch's int vs float scalars).
     */
    static DType scalarType(Tensor t, double v) {
        if (t.dtype.isFloating()) return t.dtype;
        boolean whole = v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 0x1p63;
        if (!whole) return DType.F32;
        return t.dtype == DType.BOOL ? DType.I64 : t.dtype;
    }

    static Tensor binaryScalar(String name, BinaryOp op, Tensor a, double v) {
        a.live(name);
        DType st = scalarType(a, v);
        DType dt = computeType(name, op, DType.promote(a.dtype, st), a, a);
        try (Tensor s = Creation.full(dt, a.device(), v, new long[0])) {
            return apply(op, a, s, dt, a.shape.clone());
        }
    }

    static Tensor clamp(Tensor x, double lo, double hi) {
        x.live("clamp");
        if (x.dtype == DType.BOOL) throw Errors.dtype("clamp", "not defined for BOOL", x);
        // computed on a plain view of x, then recorded as one op (gradient 1 on [lo, hi], as PyTorch)
        try (Tensor plain = x.detach(); Tensor low = binaryScalar("clamp", BinaryOp.MAX, plain, lo)) {
            Tensor out = binaryScalar("clamp", BinaryOp.MIN, low, hi);
            return Graph.tracked(x) ? Graph.record(Rules.clamp(lo, hi), out, x) : out;
        }
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        cond.live("where");
        a.live("where");
        b.live("where");
        if (cond.dtype != DType.BOOL) {
            throw new DTypeMismatchException(Errors.message("where", "condition must be BOOL", cond, a, b));
        }
        Errors.sameDevice("where", cond, a, b);
        long[] shape = broadcast("where", cond, a, b);
        DType dt = DType.promote(a.dtype, b.dtype);
        Tensor ac = castRaw(a, dt);
        Tensor bc = castRaw(b, dt);
        try {
            Tensor out = Tensor.empty(dt, a.device(), shape);
            if (out.numel() > 0) {
                a.backend().where(cond.buffer(), layoutAs(cond, shape), ac.buffer(), layoutAs(ac, shape),
                        bc.buffer(), layoutAs(bc, shape), out.buffer());
            }
            return Graph.tracked(a, b) ? Graph.record(Rules.WHERE, out, cond, a, b) : out;
        } finally {
            release(ac, a);
            release(bc, b);
        }
    }
}
