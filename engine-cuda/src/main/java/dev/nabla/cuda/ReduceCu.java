package dev.nabla.cuda;

import dev.nabla.DType;
import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelType;
import dev.nabla.spi.Layout;
import dev.nabla.spi.ReduceOp;

import java.util.Arrays;

/**
 * Reductions over trailing dims on reduce.kc, as the OpenCL backend: deterministic (no atomics; see
 * the kernel's comment). Many outputs or short rows: one thread per output. Few long rows: two
 * passes, P partials per output (one block each, grid P × M: only fewer than 256 outputs take this
 * path, far inside the grid's y limit), then one block per output folds its partials. Integer
 * MAX/MIN accumulate in 64 bits and are narrowed to the dtype by a cast kernel. Callers hold the
 * device's lock.
 */
final class ReduceCu {
    /** Outputs from which one thread per output keeps the device busy. */
    private static final long MANY_OUTPUTS = 256;
    /** Rows this short are folded by one thread whatever their number. */
    private static final long SHORT_ROW = 256;
    /** Terms each thread of pass one folds, at least, before the tree. */
    private static final long TERMS_PER_ITEM = 16;
    private static final long MAX_PARTS = 1024;
    private static final int[] BLOCK = {Launch.WG, 1, 1};

    private ReduceCu() {}

    static void reduce(CudaBackend be, CudaDevice dev, ReduceOp op, CudaBuffer x, Layout xl, int reducedDims,
                       CudaBuffer out) {
        int r = xl.rank(), kept = r - reducedDims;
        long[] sh = xl.shape(), st = xl.strides();
        Layout keptL = new Layout(Arrays.copyOfRange(sh, 0, kept), Arrays.copyOfRange(st, 0, kept), xl.offset());
        Layout redL = new Layout(Arrays.copyOfRange(sh, kept, r), Arrays.copyOfRange(st, kept, r), 0);
        long m = keptL.numel(), k = redL.numel();
        if (m == 0) return;
        if (k == 0) {
            ElementwiseCu.fill(dev, out, op == ReduceOp.PROD ? 1 : 0);
            return;
        }
        Layout kc = Layout.coalesce(keptL)[0], rc = Layout.coalesce(redL)[0];
        if (kc.rank() > Launch.MAX_RANK || rc.rank() > Launch.MAX_RANK) {
            // a view the Lay struct cannot describe: reduce a contiguous copy instead
            CudaBuffer tmp = be.allocateOn(dev, x.dtype, m * k);
            try {
                ElementwiseCu.copy(dev, x, xl, tmp, Layout.contiguous(sh));
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
        CudaBuffer wide = be.allocateOn(dev, DType.I64, m);
        try {
            fold(be, dev, op, x, kc, rc, m, k, wide);
            ElementwiseCu.cast(dev, wide, Layout.contiguous(m), out);
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

    /** Number of partials per output for the two-pass path, or 1 for one thread per output. */
    private static long parts(long m, long k) {
        if (m >= MANY_OUTPUTS || k <= SHORT_ROW) return 1;
        long p = (k + Launch.WG * TERMS_PER_ITEM - 1) / (Launch.WG * TERMS_PER_ITEM);
        return Math.max(2, Math.min(MAX_PARTS, p));
    }

    private static void fold(CudaBackend be, CudaDevice dev, ReduceOp op, CudaBuffer x, Layout kc, Layout rc,
                             long m, long k, CudaBuffer acc) {
        KernelType t = Launch.type(x.dtype);
        int code = code(op);
        long p = parts(m, k);
        if (p == 1) {
            Launch.of(dev, KernelFamily.REDUCE, t, "reduce_rows").i32(code).i64(m).i64(k).lay(kc).lay(rc).buf(x).buf(acc).run(m);
            return;
        }
        long chunk = (k + p - 1) / p;
        CudaBuffer part = be.allocateOn(dev, acc.dtype, m * p);
        try {
            Launch.of(dev, KernelFamily.REDUCE, t, "reduce_part").i32(code).i64(k).i64(p).i64(chunk).lay(kc).lay(rc)
                    .buf(x).buf(part).run(new long[] {p, m, 1}, BLOCK);
            Launch.of(dev, KernelFamily.REDUCE, t, "reduce_final").i32(code).i64(p).buf(part).buf(acc)
                    .run(new long[] {m, 1, 1}, BLOCK);
        } finally {
            be.release(part);
        }
    }

    private static void argReduce(CudaBackend be, CudaDevice dev, boolean isMax, CudaBuffer x, Layout kc,
                                  Layout rc, long m, long k, CudaBuffer out) {
        KernelType t = Launch.type(x.dtype);
        int flag = isMax ? 1 : 0;
        long p = parts(m, k);
        if (p == 1) {
            Launch.of(dev, KernelFamily.REDUCE, t, "argreduce_rows").i32(flag).i64(m).i64(k).lay(kc).lay(rc).buf(x).buf(out).run(m);
            return;
        }
        long chunk = (k + p - 1) / p;
        CudaBuffer pv = be.allocateOn(dev, x.dtype, m * p);
        CudaBuffer pi = null;
        try {
            pi = be.allocateOn(dev, DType.I64, m * p);
            Launch.of(dev, KernelFamily.REDUCE, t, "argreduce_part").i32(flag).i64(k).i64(p).i64(chunk).lay(kc).lay(rc)
                    .buf(x).buf(pv).buf(pi).run(new long[] {p, m, 1}, BLOCK);
            Launch.of(dev, KernelFamily.REDUCE, t, "argreduce_final").i32(flag).i64(p).buf(pv).buf(pi).buf(out)
                    .run(new long[] {m, 1, 1}, BLOCK);
        } finally {
            be.release(pv);
            if (pi != null) be.release(pi);
        }
    }
}
