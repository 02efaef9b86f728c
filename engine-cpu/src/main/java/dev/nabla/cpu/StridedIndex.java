package dev.nabla.cpu;

import dev.nabla.DType;
import dev.nabla.spi.Layout;

/**
 * A cursor over the elements of one (usually coalesced) layout in row-major order. It walks the
 * innermost dim as runs: {@link #offset} is the current element, {@link #runLeft()} how many
 * elements follow it at {@link #innerStride} before the outer index carries. Kernels take a run at a
 * time and keep their per-element loops free of index arithmetic. Several cursors over layouts of
 * one shape advance in lockstep, so their runs line up.
 */
final class StridedIndex {
    private final long[] shape;
    private final long[] strides;
    private final long[] idx;
    private final int last;
    private long base;
    /** Element offset of the current position. */
    long offset;
    final long innerStride;

    StridedIndex(Layout l) {
        this(l.shape(), l.strides(), l.offset());
    }

    StridedIndex(long[] shape, long[] strides, long base) {
        if (shape.length == 0) {
            shape = new long[] {1};
            strides = new long[] {0};
        }
        this.shape = shape;
        this.strides = strides;
        this.last = shape.length - 1;
        this.idx = new long[shape.length];
        this.innerStride = strides[last];
        this.base = base;
        this.offset = base;
    }

    /** Moves to row-major position {@code linear} of the layout. */
    void seek(long linear) {
        long off = base;
        for (int d = last; d >= 0; d--) {
            long q = linear / shape[d];
            idx[d] = linear - q * shape[d];
            off += idx[d] * strides[d];
            linear = q;
        }
        offset = off;
    }

    /** Re-bases the walk (the same shape and strides starting at another element) and seeks to 0. */
    void reset(long newBase) {
        base = newBase;
        java.util.Arrays.fill(idx, 0);
        offset = newBase;
    }

    /** Elements left in the current inner run, this one included. */
    long runLeft() {
        return shape[last] - idx[last];
    }

    /** Length of the innermost dim. */
    long innerLength() {
        return shape[last];
    }

    /** Advances by n ≤ {@link #runLeft()} elements. */
    void advance(long n) {
        idx[last] += n;
        offset += n * innerStride;
        if (idx[last] < shape[last]) return;
        offset -= shape[last] * innerStride;
        idx[last] = 0;
        for (int d = last - 1; d >= 0; d--) {
            idx[d]++;
            offset += strides[d];
            if (idx[d] < shape[d]) return;
            offset -= shape[d] * strides[d];
            idx[d] = 0;
        }
    }

    // ---- layout predicates on coalesced layouts -----------------------------------------------

    /** True when element i of the layout sits at offset + i. */
    static boolean isLinear(Layout l) {
        return l.isContiguous();
    }

    /** True when every element is the same one (all strides 0). */
    static boolean isConstant(Layout l) {
        for (int d = 0; d < l.rank(); d++) {
            if (l.strides()[d] != 0 && l.shape()[d] != 1) return false;
        }
        return true;
    }

    // ---- moving runs ----------------------------------------------------------------------------

    /**
     * Copies the next {@code len} elements of the walk into dst[dstOff...] (same dtype) and advances.
     */
    static void gather(DType t, Object src, StridedIndex c, Object dst, int dstOff, int len) {
        while (len > 0) {
            int run = (int) Math.min(len, c.runLeft());
            int so = (int) c.offset;
            int st = (int) c.innerStride;
            if (st == 1) {
                System.arraycopy(src, so, dst, dstOff, run);
            } else {
                switch (t) {
                    case F32 -> {
                        float[] s = (float[]) src, d = (float[]) dst;
                        for (int i = 0; i < run; i++) d[dstOff + i] = s[so + i * st];
                    }
                    case F64 -> {
                        double[] s = (double[]) src, d = (double[]) dst;
                        for (int i = 0; i < run; i++) d[dstOff + i] = s[so + i * st];
                    }
                    case I32 -> {
                        int[] s = (int[]) src, d = (int[]) dst;
                        for (int i = 0; i < run; i++) d[dstOff + i] = s[so + i * st];
                    }
                    case I64 -> {
                        long[] s = (long[]) src, d = (long[]) dst;
                        for (int i = 0; i < run; i++) d[dstOff + i] = s[so + i * st];
                    }
                    case BOOL -> {
                        boolean[] s = (boolean[]) src, d = (boolean[]) dst;
                        for (int i = 0; i < run; i++) d[dstOff + i] = s[so + i * st];
                    }
                }
            }
            c.advance(run);
            dstOff += run;
            len -= run;
        }
    }

    /** As {@link #gather} but widening I32, I64 or BOOL (1/0) elements into a long[]. */
    static void gatherAsLong(DType t, Object src, StridedIndex c, long[] d, int dstOff, int len) {
        while (len > 0) {
            int run = (int) Math.min(len, c.runLeft());
            int so = (int) c.offset;
            int st = (int) c.innerStride;
            switch (t) {
                case I32 -> {
                    int[] s = (int[]) src;
                    for (int i = 0; i < run; i++) d[dstOff + i] = s[so + i * st];
                }
                case I64 -> {
                    long[] s = (long[]) src;
                    for (int i = 0; i < run; i++) d[dstOff + i] = s[so + i * st];
                }
                case BOOL -> {
                    boolean[] s = (boolean[]) src;
                    for (int i = 0; i < run; i++) d[dstOff + i] = s[so + i * st] ? 1 : 0;
                }
                default -> throw new IllegalArgumentException("gatherAsLong: " + t);
            }
            c.advance(run);
            dstOff += run;
            len -= run;
        }
    }

    /** Copies {@code len} elements from the walk {@code sc} to the walk {@code dc} (same shape). */
    static void copyRuns(DType t, Object src, StridedIndex sc, Object dst, StridedIndex dc, long len) {
        while (len > 0) {
            int run = (int) Math.min(len, sc.runLeft());
            int so = (int) sc.offset, st = (int) sc.innerStride;
            int dof = (int) dc.offset, dt = (int) dc.innerStride;
            if (st == 1 && dt == 1) {
                System.arraycopy(src, so, dst, dof, run);
            } else {
                switch (t) {
                    case F32 -> {
                        float[] s = (float[]) src, d = (float[]) dst;
                        for (int i = 0; i < run; i++) d[dof + i * dt] = s[so + i * st];
                    }
                    case F64 -> {
                        double[] s = (double[]) src, d = (double[]) dst;
                        for (int i = 0; i < run; i++) d[dof + i * dt] = s[so + i * st];
                    }
                    case I32 -> {
                        int[] s = (int[]) src, d = (int[]) dst;
                        for (int i = 0; i < run; i++) d[dof + i * dt] = s[so + i * st];
                    }
                    case I64 -> {
                        long[] s = (long[]) src, d = (long[]) dst;
                        for (int i = 0; i < run; i++) d[dof + i * dt] = s[so + i * st];
                    }
                    case BOOL -> {
                        boolean[] s = (boolean[]) src, d = (boolean[]) dst;
                        for (int i = 0; i < run; i++) d[dof + i * dt] = s[so + i * st];
                    }
                }
            }
            sc.advance(run);
            dc.advance(run);
            len -= run;
        }
    }

    /** A new array of the dtype's Java element type. */
    static Object newArray(DType t, int n) {
        return switch (t) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            case I32 -> new int[n];
            case I64 -> new long[n];
            case BOOL -> new boolean[n];
        };
    }
}
