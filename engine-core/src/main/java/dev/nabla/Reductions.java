package dev.nabla;

import dev.nabla.spi.Layout;
import dev.nabla.spi.ReduceOp;

/**
 * Reductions: the primitive ones (sum, prod, amax, amin, argmax, argmin) go to the backend with the
 * reduced dims permuted last; mean, var, std, logsumexp, norm and softmax are composed from them.
 */
final class Reductions {
    private Reductions() {}

    /** Normalized, sorted, duplicate-free dims; null or empty means all dims. */
    static boolean[] reducedMask(String op, Tensor x, int[] dims) {
        int r = x.shape.length;
        boolean[] mask = new boolean[r];
        if (dims == null || dims.length == 0) {
            java.util.Arrays.fill(mask, true);
            return mask;
        }
        for (int d : dims) {
            int n = Shapes.dim(op, x, d, r);
            if (mask[n]) throw Errors.shape(op, "dim " + d + " appears more than once", x);
            mask[n] = true;
        }
        return mask;
    }

    private static long[] outShape(long[] shape, boolean[] mask, boolean keepDim) {
        int kept = 0;
        for (boolean m : mask) if (!m) kept++;
        long[] out = new long[keepDim ? shape.length : kept];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (!mask[i]) out[j++] = shape[i];
            else if (keepDim) out[j++] = 1;
        }
        return out;
    }

    private static long extent(long[] shape, boolean[] mask) {
        long n = 1;
        for (int i = 0; i < shape.length; i++) if (mask[i]) n *= shape[i];
        return n;
    }

    /** One backend reduction over the masked dims, into a fresh tensor of dtype outType. */
    private static Tensor primitive(ReduceOp op, Tensor x, boolean[] mask, boolean keepDim, DType outType) {
        int r = x.shape.length, reduced = 0;
        int[] perm = new int[r];
        int j = 0;
        for (int i = 0; i < r; i++) if (!mask[i]) perm[j++] = i;
        for (int i = 0; i < r; i++) if (mask[i]) { perm[j++] = i; reduced++; }
        Layout xl = x.layout().permute(perm);
        Tensor out = Tensor.empty(outType, x.device(), outShape(x.shape, mask, keepDim));
        if (out.numel() > 0) x.backend().reduce(op, x.buffer(), xl, reduced, out.buffer());
        if (!Graph.tracked(x)) return out;
        return switch (op) {
            case SUM -> Graph.record(StructuralRules.sum(x.shape, mask, keepDim), out, x);
            case PROD -> Graph.record(StructuralRules.prod(mask, keepDim), out, x);
            case MAX -> Graph.record(StructuralRules.extreme("amax", mask, keepDim), out, x);
            case MIN -> Graph.record(StructuralRules.extreme("amin", mask, keepDim), out, x);
            case ARGMAX -> Graph.nonDifferentiable("argmax", out, x);
            case ARGMIN -> Graph.nonDifferentiable("argmin", out, x);
        };
    }

    static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
        x.live("sum");
        boolean[] mask = reducedMask("sum", x, dims);
        return primitive(ReduceOp.SUM, x, mask, keepDim, x.dtype.isFloating() ? x.dtype : DType.I64);
    }

    static Tensor prod(Tensor x, int[] dims, boolean keepDim) {
        x.live("prod");
        boolean[] mask = reducedMask("prod", x, dims);
        return primitive(ReduceOp.PROD, x, mask, keepDim, x.dtype.isFloating() ? x.dtype : DType.I64);
    }

    static Tensor extreme(String name, Tensor x, int[] dims, boolean keepDim, boolean max) {
        x.live(name);
        boolean[] mask = reducedMask(name, x, dims);
        checkNonEmpty(name, x, mask);
        return primitive(max ? ReduceOp.MAX : ReduceOp.MIN, x, mask, keepDim, x.dtype);
    }

    private static void checkNonEmpty(String name, Tensor x, boolean[] mask) {
        if (extent(x.shape, mask) == 0 && Layout.numel(outShape(x.shape, mask, false)) > 0
                || x.numel() == 0 && allTrue(mask)) {
            throw Errors.shape(name, "cannot reduce over an empty extent", x);
        }
    }

    private static boolean allTrue(boolean[] m) {
        for (boolean b : m) if (!b) return false;
        return true;
    }

    static Tensor arg(String name, Tensor x, int dim, boolean max) {
        x.live(name);
        boolean[] mask = reducedMask(name, x, new int[] {dim});
        checkNonEmpty(name, x, mask);
        return primitive(max ? ReduceOp.ARGMAX : ReduceOp.ARGMIN, x, mask, false, DType.I64);
    }

    static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        x.live("mean");
        boolean[] mask = reducedMask("mean", x, dims);
        Tensor xf = Elementwise.cast(x, x.dtype.toFloating());
        try (Tensor s = primitive(ReduceOp.SUM, xf, mask, keepDim, xf.dtype)) {
            return s.div((double) extent(x.shape, mask));
        } finally {
            if (xf != x) xf.close();
        }
    }

    static Tensor var(String name, Tensor x, int[] dims, boolean keepDim, double correction, boolean sqrt) {
        x.live(name);
        boolean[] mask = reducedMask(name, x, dims);
        long n = extent(x.shape, mask);
        try (Scope s = Scope.openInternal()) {
            Tensor xf = Elementwise.cast(x, x.dtype.toFloating());
            Tensor mu = primitive(ReduceOp.SUM, xf, mask, true, xf.dtype).div((double) n);
            Tensor ss = primitive(ReduceOp.SUM, xf.sub(mu).square(), mask, keepDim, xf.dtype);
            Tensor v = ss.div(Math.max(0, n - correction));
            return s.keep(sqrt ? v.sqrt() : v);
        }
    }

    static Tensor logsumexp(Tensor x, int[] dims, boolean keepDim) {
        x.live("logsumexp");
        boolean[] mask = reducedMask("logsumexp", x, dims);
        try (Scope s = Scope.openInternal()) {
            Tensor xf = Elementwise.cast(x, x.dtype.toFloating());
            if (extent(x.shape, mask) == 0) {
                return s.keep(Creation.full(xf.dtype, x.device(), Double.NEGATIVE_INFINITY, outShape(x.shape, mask, keepDim)));
            }
            // the shift is a constant to differentiation: d/dx [log Σ exp(x - c) + c] is softmax(x) for any c
            Tensor m = primitive(ReduceOp.MAX, xf.detach(), mask, true, xf.dtype);
            // rows whose maximum is infinite use 0, so inf - inf never makes a NaN
            Tensor infinite = m.abs().eq(Double.POSITIVE_INFINITY);
            Tensor shift = Tensor.where(infinite, Creation.full(xf.dtype, x.device(), 0, new long[0]), m);
            Tensor lse = primitive(ReduceOp.SUM, xf.sub(shift).exp(), mask, true, xf.dtype).log().add(shift);
            if (!keepDim) lse = lse.reshape(outShape(x.shape, mask, false));
            return s.keep(lse);
        }
    }

    static Tensor norm(Tensor x, double p, int[] dims, boolean keepDim) {
        x.live("norm");
        boolean[] mask = reducedMask("norm", x, dims);
        try (Scope s = Scope.openInternal()) {
            Tensor a = Elementwise.cast(x, x.dtype.toFloating()).abs();
            Tensor r;
            if (p == Double.POSITIVE_INFINITY || p == Double.NEGATIVE_INFINITY) {
                checkNonEmpty("norm", x, mask);
                r = primitive(p > 0 ? ReduceOp.MAX : ReduceOp.MIN, a, mask, keepDim, a.dtype);
            } else if (p == 0) {
                r = primitive(ReduceOp.SUM, a.ne(0).to(a.dtype), mask, keepDim, a.dtype);
            } else if (p == 1) {
                r = primitive(ReduceOp.SUM, a, mask, keepDim, a.dtype);
            } else if (p == 2) {
                r = primitive(ReduceOp.SUM, a.square(), mask, keepDim, a.dtype).sqrt();
            } else {
                r = primitive(ReduceOp.SUM, a.pow(p), mask, keepDim, a.dtype).pow(1.0 / p);
            }
            return s.keep(r);
        }
    }

    static Tensor softmax(Tensor x, int dim, boolean log) {
        String name = log ? "logSoftmax" : "softmax";
        x.live(name);
        if (x.shape.length == 0) dim = Shapes.dim(name, x, dim, 1);
        boolean[] mask = x.shape.length == 0 ? new boolean[0] : reducedMask(name, x, new int[] {dim});
        try (Scope s = Scope.openInternal()) {
            Tensor xf = Elementwise.cast(x, x.dtype.toFloating());
            if (x.numel() == 0) return s.keep(Elementwise.copyOf(xf));
            Tensor fused = fusedSoftmax(xf, mask, log);
            if (fused != null) return s.keep(fused);
            Tensor m = primitive(ReduceOp.MAX, xf.detach(), mask, true, xf.dtype);
            Tensor z = xf.sub(m);
            Tensor e = z.exp();
            Tensor sum = primitive(ReduceOp.SUM, e, mask, true, xf.dtype);
            return s.keep(log ? z.sub(sum.log()) : e.div(sum));
        }
    }

    /**
     * The backend's fused softmax over the last dim, recorded as one op; null when the dim is not
     * the last (the fused kernel reads rows) or the backend has no such kernel.
     */
    private static Tensor fusedSoftmax(Tensor xf, boolean[] mask, boolean log) {
        int r = xf.shape.length;
        if (r == 0 || !mask[r - 1]) return null;
        Tensor out = Tensor.empty(xf.dtype, xf.device(), xf.shape.clone());
        if (!xf.backend().softmax(xf.buffer(), xf.layout(), out.buffer(), log)) {
            out.close();
            return null;
        }
        return Graph.tracked(xf) ? Graph.record(Rules.softmax(r - 1, log), out, xf) : out;
    }
}
