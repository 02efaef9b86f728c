package dev.nabla.opencl;

import dev.nabla.DType;
import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelType;
import dev.nabla.spi.Layout;
import dev.nabla.spi.ReduceOp;

import java.util.Arrays;

/**
 * Reductions over trailing dims on reduce.kc, deterministic (no atomics; see the kernel's
 * comment). Many outputs or short rows: one work item per output. Few long rows: two passes, P
 * partials per output, then a fold of the partials. Integer MAX/MIN accumulate in 64 bits and are
 * narrowed to the dtype by a cast kernel. Callers hold the device's lock.
 */
final class ReduceCl {
    /** Outputs from which one work item per output keeps the device busy. */
    private static final long MANY_OUTPUTS = 256;
    /** Rows this short are folded by one work item whatever their number. */
    private static final long SHORT_ROW = 256;
    /** Terms each work item of pass one folds, at least, before the tree. */
    private static final long TERMS_PER_ITEM = 16;
    private static final long MAX_PARTS = 1024;

    private ReduceCl() {}

    static void reduce(OpenClBackend be, OpenClDevice dev, ReduceOp op, OpenClBuffer x, Layout xl, int reducedDims,
                       OpenClBuffer out) {
        int r = xl.rank(), kept = r - reducedDims;
        long[] sh = xl.shape(), st = xl.strides();
        Layout keptL = new Layout(Arrays.copyOfRange(sh, 0, kept), Arrays.copyOfRange(st, 0, kept), xl.offset());
        Layout redL = new Layout(Arrays.copyOfRange(sh, kept, r), Arrays.copyOfRange(st, kept, r), 0);
        long m = keptL.numel(), k = redL.numel();
        if (m == 0) return;
        if (k == 0) {
            ElementwiseCl.fill(dev, out, op == ReduceOp.PROD ? 1 : 0);
            return;
        }
        Layout kc = Layout.coalesce(keptL)[0], rc = Layout.coalesce(redL)[0];
        if (kc.rank() > Launch.MAX_RANK || rc.rank() > Launch.MAX_RANK) {
            // a view the Lay struct cannot describe: reduce a contiguous copy instead
            OpenClBuffer tmp = be.allocateOn(dev, x.dtype, m * k);
            try {
                ElementwiseCl.copy(dev, x, xl, tmp, Layout.contiguous(sh));
                reduce(be, dev, op, tmp, Layout.contiguous(m, k), 1, out);
            } finally {
                be.release(tmp);
            }
            return;
        }
        boolean arg = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
        if (arg) {
            argReduce(be, dev, op == ReduceOp.ARGMAX, x, kc, rc, m, k, out);
            return;
        }
        DType acc = x.dtype.isFloating() ? x.dtype : DType.I64;
        if (acc == out.dtype) {
            fold(be, dev, op, x, kc, rc, m, k, out);
            return;
        }
        OpenClBuffer wide = be.allocateOn(dev, DType.I64, m);
        try {
            fold(be, dev, op, x, kc, rc, m, k, wide);
            ElementwiseCl.cast(dev, wide, Layout.contiguous(m), out);
        } finally {
            be.release(wide);
        }
    }

    private static int code(ReduceOp op) {
        return switch (op) {
            case SUM -> 0;
            case PROD -> 1;
            case MAX -> 2;
            case MIN -> 3;
            default -> throw new IllegalArgumentException(op + " is not a folding reduction");
        };
    }

    /** Number of partials per output for the two-pass path, or 1 for one work item per output. */
    private static long parts(long m, long k) {
        if (m >= MANY_OUTPUTS || k <= SHORT_ROW) return 1;
        long p = (k + Launch.WG * TERMS_PER_ITEM - 1) / (Launch.WG * TERMS_PER_ITEM);
        return Math.max(2, Math.min(MAX_PARTS, p));
    }

    private static void fold(OpenClBackend be, OpenClDevice dev, ReduceOp op, OpenClBuffer x, Layout kc, Layout rc,
                             long m, long k, OpenClBuffer acc) {
        KernelType t = Launch.type(x.dtype);
        int code = code(op);
        long p = parts(m, k);
        if (p == 1) {
            Launch.of(dev, KernelFamily.REDUCE, t, "reduce_rows").i32(code).i64(m).i64(k).lay(kc).lay(rc).buf(x).buf(acc).run(m);
            return;
        }
        long chunk = (k + p - 1) / p;
        OpenClBuffer part = be.allocateOn(dev, acc.dtype, m * p);
        try {
            Launch.of(dev, KernelFamily.REDUCE, t, "reduce_part").i32(code).i64(k).i64(p).i64(chunk).lay(kc).lay(rc)
                    .buf(x).buf(part).run(new long[] {p * Launch.WG, m}, new long[] {Launch.WG, 1});
            Launch.of(dev, KernelFamily.REDUCE, t, "reduce_final").i32(code).i64(p).buf(part).buf(acc)
                    .run(new long[] {m * Launch.WG}, new long[] {Launch.WG});
        } finally {
            be.release(part);
        }
    }

    private static void argReduce(OpenClBackend be, OpenClDevice dev, boolean isMax, OpenClBuffer x, Layout kc,
                                  Layout rc, long m, long k, OpenClBuffer out) {
        KernelType t = Launch.type(x.dtype);
        int flag = isMax ? 1 : 0;
        long p = parts(m, k);
        if (p == 1) {
            Launch.of(dev, KernelFamily.REDUCE, t, "argreduce_rows").i32(flag).i64(m).i64(k).lay(kc).lay(rc).buf(x).buf(out).run(m);
            return;
        }
        long chunk = (k + p - 1) / p;
        OpenClBuffer pv = be.allocateOn(dev, x.dtype, m * p);
        OpenClBuffer pi = null;
        try {
            pi = be.allocateOn(dev, DType.I64, m * p);
            Launch.of(dev, KernelFamily.REDUCE, t, "argreduce_part").i32(flag).i64(k).i64(p).i64(chunk).lay(kc).lay(rc)
                    .buf(x).buf(pv).buf(pi).run(new long[] {p * Launch.WG, m}, new long[] {Launch.WG, 1});
            Launch.of(dev, KernelFamily.REDUCE, t, "argreduce_final").i32(flag).i64(p).buf(pv).buf(pi).buf(out)
                    .run(new long[] {m * Launch.WG}, new long[] {Launch.WG});
        } finally {
            be.release(pv);
            if (pi != null) be.release(pi);
        }
    }
}
