package dev.nabla.cpu;

import dev.nabla.DType;
import dev.nabla.spi.Layout;
import dev.nabla.spi.ReduceOp;

import java.util.Arrays;

/**
 * Reductions over the trailing dims of a layout, for the CPU backend. Two walks:
 * <ul>
 *   <li>rows: each output reduces its own extent; a contiguous extent is reduced in place with
 *   vector accumulators ({@link ReduceBlocks}), a strided one is gathered a block at a time
 *   first. Threads split the outputs, or, when there are fewer outputs than threads, each long
 *   extent into per-thread partials combined in a fixed order;</li>
 *   <li>columns: when the kept dims are innermost and contiguous (sum over dim 0 of a row-major
 *   [N, M]), whole rows are accumulated into a vector of outputs, out[j] op= x[i, j], so memory is
 *   read in order. F32 sums go through a float tile flushed into double every
 *   {@value #FLUSH_ROWS} rows.</li>
 * </ul>
 * Integers and bools are widened to long blocks and reduced there.
 */
final class ReduceKernels {
    private static final int BLOCK = 4096;
    private static final long GRAIN = 1 << 16;
    private static final int MIN_COLUMNS = 16;
    private static final int COLUMN_TILE = 2048;
    private static final int FLUSH_ROWS = 256;

    private ReduceKernels() {}

    /** Running state of one output: value (d for floats, l for integers) and arg position. */
    private static final class Acc {
        double d;
        long l;
        long idx;
        boolean has;

        void reset(ReduceOp op) {
            has = false;
            idx = 0;
            switch (op) {
                case SUM -> { d = 0; l = 0; }
                case PROD -> { d = 1; l = 1; }
                case MAX -> { d = Double.NEGATIVE_INFINITY; l = Long.MIN_VALUE; }
                case MIN -> { d = Double.POSITIVE_INFINITY; l = Long.MAX_VALUE; }
                default -> { d = 0; l = 0; }
            }
        }

        /** Takes a candidate extreme at position pos if it beats the current one (floats). */
        void offer(boolean isMax, double v, long pos) {
            if (!has || (isMax ? v > d : v < d) || (v != v && d == d)) {
                d = v;
                idx = pos;
                has = true;
            }
        }

        void offerLong(boolean isMax, long v, long pos) {
            if (!has || (isMax ? v > l : v < l)) {
                l = v;
                idx = pos;
                has = true;
            }
        }

        /** Folds a later partial into this one. */
        void combine(ReduceOp op, boolean floating, Acc p) {
            switch (op) {
                case SUM -> { d += p.d; l += p.l; }
                case PROD -> { d *= p.d; l *= p.l; }
                case MAX -> { d = Math.max(d, p.d); l = Math.max(l, p.l); }
                case MIN -> { d = Math.min(d, p.d); l = Math.min(l, p.l); }
                case ARGMAX, ARGMIN -> {
                    if (!p.has) return;
                    if (floating) offer(op == ReduceOp.ARGMAX, p.d, p.idx);
                    else offerLong(op == ReduceOp.ARGMAX, p.l, p.idx);
                }
            }
        }
    }

    /**
     * Reduces the last {@code reducedDims} dims of xl into out (contiguous over the leading dims).
     * SUM/PROD of integers and bools write I64, ARGMAX/ARGMIN write I64, MAX/MIN keep the dtype.
     */
    static void reduce(ReduceOp op, CpuBuffer x, Layout xl, int reducedDims, CpuBuffer out) {
        Layout keptL = xl.leading(xl.rank() - reducedDims), redL = xl.trailing(reducedDims);
        long m = keptL.numel(), k = redL.numel();
        if (m == 0) return;
        boolean arg = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
        if (k == 0) {
            CopyKernels.fill(out, op == ReduceOp.PROD ? 1 : 0);
            return;
        }
        if (k == 1) {
            if (arg) CopyKernels.fill(out, 0);
            else CopyKernels.cast(x, keptL, out);
            return;
        }
        Layout kc = Layout.coalesce(keptL)[0], rc = Layout.coalesce(redL)[0];
        if (x.dtype.isFloating() && !arg && kc.rank() == 1 && kc.strides()[0] == 1 && m >= MIN_COLUMNS) {
            columns(op, x, (int) kc.offset(), (int) m, rc, k, out);
        } else {
            rows(op, x, kc, rc, m, k, out);
        }
    }

    // ---- rows: each output reduces its own extent --------------------------------------------

    private static void rows(ReduceOp op, CpuBuffer x, Layout kc, Layout rc, long m, long k, CpuBuffer out) {
        boolean floating = x.dtype.isFloating();
        int threads = Parallel.threads();
        if (m >= threads || m * k < 2 * GRAIN) {
            Parallel.forRange(m, Math.max(1, GRAIN / k), (m0, m1) -> {
                Acc acc = new Acc();
                Segment seg = new Segment(x, rc);
                StridedIndex kcur = new StridedIndex(kc);
                kcur.seek(m0);
                for (long i = m0; i < m1; i++) {
                    acc.reset(op);
                    seg.reduce(op, kcur.offset, 0, k, acc);
                    write(op, out, (int) i, acc);
                    kcur.advance(1);
                }
            });
            return;
        }
        // fewer outputs than threads: split each extent into per-thread partials
        StridedIndex kcur = new StridedIndex(kc);
        long step = (k + threads - 1) / threads;
        Acc[] parts = new Acc[threads];
        for (int t = 0; t < threads; t++) parts[t] = new Acc();
        for (long i = 0; i < m; i++) {
            long base = kcur.offset;
            Parallel.forRange(threads, 1, (t0, t1) -> {
                Segment seg = new Segment(x, rc);
                for (int t = (int) t0; t < t1; t++) {
                    parts[t].reset(op);
                    long from = Math.min(k, t * step), to = Math.min(k, from + step);
                    if (from < to) seg.reduce(op, base, from, to, parts[t]);
                }
            });
            Acc acc = parts[0];
            for (int t = 1; t < threads; t++) acc.combine(op, floating, parts[t]);
            write(op, out, (int) i, acc);
            kcur.advance(1);
        }
    }

    /** Reduces ranges of one extent of a given layout (coalesced reduced dims), per thread. */
    private static final class Segment {
        private final CpuBuffer x;
        private final StridedIndex cur;
        private Object scratch;

        Segment(CpuBuffer x, Layout rc) {
            this.x = x;
            this.cur = rc.rank() == 1 && rc.strides()[0] == 1 ? null : new StridedIndex(rc);
        }

        /** Folds reduced positions [from, to) of the extent starting at element base into acc. */
        void reduce(ReduceOp op, long base, long from, long to, Acc acc) {
            boolean isMax = op == ReduceOp.MAX || op == ReduceOp.ARGMAX;
            if (cur != null) {
                cur.reset(base);
                cur.seek(from);
            }
            long pos = from;
            while (pos < to) {
                int len = (int) Math.min(BLOCK, to - pos);
                switch (x.dtype) {
                    case F32 -> {
                        float[] a = x.f32();
                        int off = (int) (base + pos);
                        if (cur != null) {
                            if (scratch == null) scratch = new float[BLOCK];
                            StridedIndex.gather(DType.F32, a, cur, scratch, 0, len);
                            a = (float[]) scratch;
                            off = 0;
                        }
                        switch (op) {
                            case SUM -> acc.d += ReduceBlocks.sumF32(a, off, len);
                            case PROD -> acc.d *= ReduceBlocks.prodF32(a, off, len);
                            case MAX -> acc.d = Math.max(acc.d, ReduceBlocks.extremeF32(true, a, off, len));
                            case MIN -> acc.d = Math.min(acc.d, ReduceBlocks.extremeF32(false, a, off, len));
                            case ARGMAX, ARGMIN -> {
                                int j = ReduceBlocks.argF32(isMax, a, off, len);
                                acc.offer(isMax, a[off + j], pos + j);
                            }
                        }
                    }
                    case F64 -> {
                        double[] a = x.f64();
                        int off = (int) (base + pos);
                        if (cur != null) {
                            if (scratch == null) scratch = new double[BLOCK];
                            StridedIndex.gather(DType.F64, a, cur, scratch, 0, len);
                            a = (double[]) scratch;
                            off = 0;
                        }
                        switch (op) {
                            case SUM -> acc.d += ReduceBlocks.sumF64(a, off, len);
                            case PROD -> acc.d *= ReduceBlocks.prodF64(a, off, len);
                            case MAX -> acc.d = Math.max(acc.d, ReduceBlocks.extremeF64(true, a, off, len));
                            case MIN -> acc.d = Math.min(acc.d, ReduceBlocks.extremeF64(false, a, off, len));
                            case ARGMAX, ARGMIN -> {
                                int j = ReduceBlocks.argF64(isMax, a, off, len);
                                acc.offer(isMax, a[off + j], pos + j);
                            }
                        }
                    }
                    default -> {
                        long[] a;
                        int off;
                        if (cur == null && x.dtype == DType.I64) {
                            a = x.i64();
                            off = (int) (base + pos);
                        } else {
                            if (scratch == null) scratch = new long[BLOCK];
                            a = (long[]) scratch;
                            off = 0;
                            if (cur == null) {
                                widen(x, (int) (base + pos), a, len);
                            } else {
                                StridedIndex.gatherAsLong(x.dtype, x.array, cur, a, 0, len);
                            }
                        }
                        switch (op) {
                            case SUM -> acc.l += ReduceBlocks.sumL(a, off, len);
                            case PROD -> acc.l *= ReduceBlocks.prodL(a, off, len);
                            case MAX, MIN, ARGMAX, ARGMIN -> {
                                int j = ReduceBlocks.argL(isMax, a, off, len);
                                acc.offerLong(isMax, a[off + j], pos + j);
                            }
                        }
                    }
                }
                pos += len;
            }
        }
    }

    /** Copies len contiguous I32/I64/BOOL elements from offset off into a long block. */
    private static void widen(CpuBuffer x, int off, long[] d, int len) {
        switch (x.dtype) {
            case I32 -> {
                int[] s = x.i32();
                for (int i = 0; i < len; i++) d[i] = s[off + i];
            }
            case I64 -> System.arraycopy(x.i64(), off, d, 0, len);
            case BOOL -> {
                boolean[] s = x.bool();
                for (int i = 0; i < len; i++) d[i] = s[off + i] ? 1 : 0;
            }
            default -> throw new IllegalArgumentException("widen " + x.dtype);
        }
    }

    private static void write(ReduceOp op, CpuBuffer out, int i, Acc acc) {
        switch (op) {
            case ARGMAX, ARGMIN -> out.i64()[i] = acc.idx;
            default -> {
                switch (out.dtype) {
                    case F32 -> out.f32()[i] = (float) acc.d;
                    case F64 -> out.f64()[i] = acc.d;
                    case I32 -> out.i32()[i] = (int) acc.l;
                    case I64 -> out.i64()[i] = acc.l;
                    case BOOL -> out.bool()[i] = acc.l != 0;
                }
            }
        }
    }

    // ---- columns: kept dims innermost and contiguous -----------------------------------------

    private static void columns(ReduceOp op, CpuBuffer x, int base, int m, Layout rc, long k, CpuBuffer out) {
        int threads = Parallel.threads();
        if (m >= 4096 || threads == 1 || (long) m * k < 2 * GRAIN) {
            Parallel.forRange(m, Math.max(64, GRAIN / k), (c0, c1) -> {
                double[] acc = new double[(int) (c1 - c0)];
                columnRange(op, x, base, rc, 0, k, (int) c0, (int) c1, acc);
                store(out, (int) c0, acc);
            });
            return;
        }
        // few columns, many rows: per-thread partials over row ranges, combined in order
        long step = (k + threads - 1) / threads;
        double[][] parts = new double[threads][];
        Parallel.forRange(threads, 1, (t0, t1) -> {
            for (int t = (int) t0; t < t1; t++) {
                long from = Math.min(k, t * step), to = Math.min(k, from + step);
                parts[t] = new double[m];
                columnRange(op, x, base, rc, from, to, 0, m, parts[t]);
            }
        });
        double[] acc = parts[0];
        for (int t = 1; t < threads; t++) {
            double[] p = parts[t];
            for (int j = 0; j < m; j++) {
                acc[j] = switch (op) {
                    case SUM -> acc[j] + p[j];
                    case PROD -> acc[j] * p[j];
                    case MAX -> Math.max(acc[j], p[j]);
                    default -> Math.min(acc[j], p[j]);
                };
            }
        }
        store(out, 0, acc);
    }

    private static void store(CpuBuffer out, int at, double[] acc) {
        if (out.dtype == DType.F64) {
            System.arraycopy(acc, 0, out.f64(), at, acc.length);
        } else {
            float[] o = out.f32();
            for (int j = 0; j < acc.length; j++) o[at + j] = (float) acc[j];
        }
    }

    private static double identity(ReduceOp op) {
        return switch (op) {
            case SUM -> 0;
            case PROD -> 1;
            case MAX -> Double.NEGATIVE_INFINITY;
            default -> Double.POSITIVE_INFINITY;
        };
    }

    /**
     * acc[j - c0] = op over reduced positions [r0, r1) of x[base + rowOffset + j], j in [c0, c1),
     * a tile of columns at a time so the running tile stays in cache while rows stream past.
     */
    private static void columnRange(ReduceOp op, CpuBuffer x, int base, Layout rc, long r0, long r1,
                                    int c0, int c1, double[] acc) {
        double id = identity(op);
        Arrays.fill(acc, id);
        if (r0 >= r1) return;
        StridedIndex rows = new StridedIndex(rc);
        boolean f32 = x.dtype == DType.F32;
        float[] tile = f32 ? new float[Math.min(COLUMN_TILE, c1 - c0)] : null;
        for (int t0 = c0; t0 < c1; t0 += COLUMN_TILE) {
            int w = Math.min(COLUMN_TILE, c1 - t0);
            int ao = t0 - c0;
            rows.seek(r0);
            if (f32) {
                float[] a = x.f32();
                Arrays.fill(tile, 0, w, (float) id);
                int pending = 0;
                for (long r = r0; r < r1; r++) {
                    ReduceBlocks.accumulateF32(op, tile, 0, a, base + (int) rows.offset + t0, w);
                    rows.advance(1);
                    if (++pending == FLUSH_ROWS || r + 1 == r1) {
                        flush(op, acc, ao, tile, w);
                        Arrays.fill(tile, 0, w, (float) id);
                        pending = 0;
                    }
                }
            } else {
                double[] a = x.f64();
                for (long r = r0; r < r1; r++) {
                    ReduceBlocks.accumulateF64(op, acc, ao, a, base + (int) rows.offset + t0, w);
                    rows.advance(1);
                }
            }
        }
    }

    private static void flush(ReduceOp op, double[] acc, int ao, float[] tile, int w) {
        switch (op) {
            case SUM -> { for (int j = 0; j < w; j++) acc[ao + j] += tile[j]; }
            case PROD -> { for (int j = 0; j < w; j++) acc[ao + j] *= tile[j]; }
            case MAX -> { for (int j = 0; j < w; j++) acc[ao + j] = Math.max(acc[ao + j], tile[j]); }
            default -> { for (int j = 0; j < w; j++) acc[ao + j] = Math.min(acc[ao + j], tile[j]); }
        }
    }
}
