package dev.nabla.gpu;

import dev.nabla.DType;
import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelType;
import dev.nabla.spi.Layout;
import dev.nabla.spi.ReduceOp;


/**
 * Reductions over trailing dims on reduce.kc, deterministic (no atomics; see the kernel's
 * comment). Many outputs or short rows: one work item per output. Few long rows: two passes, P
 * partials per output (one work-group each, grid P × M: only fewer than 256 outputs take this path,
 * far inside any grid limit), then one work-group per output folds its partials. Integer MAX/MIN
 * accumulate in 64 bits and are narrowed to the dtype by a cast kernel. Callers hold the device's
 * lock.
 */
final class Reductions {
    /** Outputs from which one work item per output keeps the device busy. */
    private static final long MANY_OUTPUTS = 256;
    /** Rows this short are folded by one work item whatever their number. */
    private static final long SHORT_ROW = 256;
    /** Terms each work item of pass one folds, at least, before the tree. */
    private static final long TERMS_PER_ITEM = 16;
    private static final long MAX_PARTS = 1024;
    private static final int[] GROUP = {Launch.WG, 1};

    private Reductions() {}

    static void reduce(GpuDevice dev, ReduceOp op, GpuBuffer x, Layout xl, int reducedDims, GpuBuffer out) {
        long[] sh = xl.shape();
        Layout keptL = xl.leading(xl.rank() - reducedDims), redL = xl.trailing(reducedDims);
        long m = keptL.numel(), k = redL.numel();
        if (m == 0) return;
        if (k == 0) {
            Elementwise.fill(dev, out, op == ReduceOp.PROD ? 1 : 0);
            return;
        }
        Layout kc = Layout.coalesce(keptL)[0], rc = Layout.coalesce(redL)[0];
        if (kc.rank() > Launch.MAX_RANK || rc.rank() > Launch.MAX_RANK) {
            // a view the Lay struct cannot describe: reduce a contiguous copy instead
            GpuBuffer tmp = dev.allocate(x.dtype(), m * k);
            try {
                Elementwise.copy(dev, x, xl, tmp, Layout.contiguous(sh));
                reduce(dev, op, tmp, Layout.contiguous(m, k), 1, out);
            } finally {
                dev.release(tmp);
            }
            return;
        }
        if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) {
            // partials carry a value and its index
            fold(dev, "argreduce_", op == ReduceOp.ARGMAX ? 1 : 0, x, kc, rc, m, k, out, x.dtype(), DType.I64);
            return;
        }
        DType acc = x.dtype().isFloating() ? x.dtype() : DType.I64;
        if (acc == out.dtype()) {
            fold(dev, "reduce_", code(op), x, kc, rc, m, k, out, acc);
            return;
        }
        GpuBuffer wide = dev.allocate(DType.I64, m);
        try {
            fold(dev, "reduce_", code(op), x, kc, rc, m, k, wide, acc);
            Elementwise.cast(dev, wide, Layout.contiguous(m), out);
        } finally {
            dev.release(wide);
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
    static long parts(long m, long k) {
        if (m >= MANY_OUTPUTS || k <= SHORT_ROW) return 1;
        long p = (k + Launch.WG * TERMS_PER_ITEM - 1) / (Launch.WG * TERMS_PER_ITEM);
        return Math.max(2, Math.min(MAX_PARTS, p));
    }

    /**
     * Folds m rows of k terms into out with the family's kernels ({@code prefix} "reduce_" or
     * "argreduce_", {@code op} their first argument): {@code rows}, or {@code part} into partials of
     * the given dtypes and then {@code final}.
     */
    private static void fold(GpuDevice dev, String prefix, int op, GpuBuffer x, Layout kc, Layout rc, long m, long k,
                             GpuBuffer out, DType... partials) {
        KernelType t = Launch.type(x.dtype());
        long p = parts(m, k);
        if (p == 1) {
            Launch.of(dev, KernelFamily.REDUCE, t, prefix + "rows").i32(op).i64(m).i64(k).lay(kc).lay(rc).buf(x).buf(out).run(m);
            return;
        }
        long chunk = (k + p - 1) / p;
        GpuBuffer[] part = new GpuBuffer[partials.length];
        try {
            for (int i = 0; i < part.length; i++) part[i] = dev.allocate(partials[i], m * p);
            Launch pass1 = Launch.of(dev, KernelFamily.REDUCE, t, prefix + "part")
                    .i32(op).i64(k).i64(p).i64(chunk).lay(kc).lay(rc).buf(x);
            for (GpuBuffer b : part) pass1.buf(b);
            pass1.run(new long[] {p, m}, GROUP);
            Launch pass2 = Launch.of(dev, KernelFamily.REDUCE, t, prefix + "final").i32(op).i64(p);
            for (GpuBuffer b : part) pass2.buf(b);
            pass2.buf(out).run(new long[] {m}, new int[] {Launch.WG});
        } finally {
            for (GpuBuffer b : part) if (b != null) dev.release(b);
        }
    }
}
