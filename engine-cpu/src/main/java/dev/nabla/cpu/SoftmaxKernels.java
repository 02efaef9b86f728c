package dev.nabla.cpu;

import dev.nabla.spi.Layout;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.MAX;

/**
 * Softmax and log-softmax over the last dim, fused, row by row: the maximum, then exp(x − max)
 * written out while it is summed, then the division (or x − max − log sum). The composed form
 * (max, sub, exp, sum, div as separate ops) reads and writes a whole tensor per op, five passes
 * over memory; here a row is read from memory once and written once, and its second and third
 * passes hit L1/L2 (a row of 4096 floats is 16 KiB). The arithmetic is the composed form's, op for
 * op, so results and special values (a NaN, an infinite maximum, a row of −∞) match it: the sum
 * accumulates float vectors over blocks of {@value #SUM_BLOCK} elements and adds the block totals
 * in double, as the F32 sum reduction does. Rows are split over threads; a strided row is gathered
 * into a scratch row first.
 */
final class SoftmaxKernels {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = FS.length(), DL = DS.length();
    private static final int SUM_BLOCK = ReduceBlocks.F32_SUM_BLOCK;
    /** Elements per thread hand-off: exp costs a few ns an element, so threads pay from here. */
    private static final long GRAIN = 1 << 14;

    private SoftmaxKernels() {}

    /** out (contiguous, xl's shape) = softmax or log-softmax of each last-dim row of x. */
    static void softmax(CpuBuffer x, Layout xl, CpuBuffer out, boolean log) {
        int rank = xl.rank();
        int cols = (int) xl.shape()[rank - 1];
        long rows = xl.numel() / cols;
        long colStride = xl.strides()[rank - 1];
        Layout lead = new Layout(java.util.Arrays.copyOf(xl.shape(), rank - 1),
                java.util.Arrays.copyOf(xl.strides(), rank - 1), xl.offset());
        Parallel.forRange(rows, Math.max(1, GRAIN / cols), (r0, r1) -> {
            StridedIndex row = new StridedIndex(lead);
            row.seek(r0);
            Object scratch = colStride == 1 ? null : StridedIndex.newArray(x.dtype, cols);
            StridedIndex gather = colStride == 1 ? null : new StridedIndex(new long[] {cols}, new long[] {colStride}, 0);
            for (long r = r0; r < r1; r++, row.advance(1)) {
                Object src = x.array;
                int off = (int) row.offset;
                if (scratch != null) {
                    gather.reset(row.offset);
                    StridedIndex.gather(x.dtype, x.array, gather, scratch, 0, cols);
                    src = scratch;
                    off = 0;
                }
                int o = (int) (r * cols);
                switch (x.dtype) {
                    case F32 -> rowF32((float[]) src, off, out.f32(), o, cols, log);
                    case F64 -> rowF64((double[]) src, off, out.f64(), o, cols, log);
                    default -> throw new IllegalArgumentException("cpu softmax: " + x.dtype + " reached the backend");
                }
            }
        });
    }

    static void rowF32(float[] x, int xo, float[] o, int oo, int n, boolean log) {
        int ub = FS.loopBound(n);
        FloatVector vmax = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i < ub; i += FL) vmax = vmax.lanewise(MAX, FloatVector.fromArray(FS, x, xo + i));
        float m = vmax.reduceLanes(MAX);
        for (; i < n; i++) m = Math.max(m, x[xo + i]);

        double sum = 0;
        i = 0;
        while (i < ub) {
            int end = Math.min(ub, i + SUM_BLOCK);
            FloatVector acc = FloatVector.zero(FS);
            for (; i < end; i += FL) {
                FloatVector e = FloatVector.fromArray(FS, x, xo + i).sub(m).lanewise(EXP);
                if (!log) e.intoArray(o, oo + i);
                acc = acc.add(e);
            }
            sum += acc.reduceLanes(ADD);
        }
        for (; i < n; i++) {
            float e = (float) Math.exp(x[xo + i] - m);
            if (!log) o[oo + i] = e;
            sum += e;
        }
        float s = (float) sum;

        i = 0;
        if (log) {
            float ls = (float) Math.log(s);
            for (; i < ub; i += FL) FloatVector.fromArray(FS, x, xo + i).sub(m).sub(ls).intoArray(o, oo + i);
            for (; i < n; i++) o[oo + i] = (x[xo + i] - m) - ls;
        } else {
            for (; i < ub; i += FL) FloatVector.fromArray(FS, o, oo + i).div(s).intoArray(o, oo + i);
            for (; i < n; i++) o[oo + i] = o[oo + i] / s;
        }
    }

    static void rowF64(double[] x, int xo, double[] o, int oo, int n, boolean log) {
        int ub = DS.loopBound(n);
        DoubleVector vmax = DoubleVector.broadcast(DS, Double.NEGATIVE_INFINITY);
        int i = 0;
        for (; i < ub; i += DL) vmax = vmax.lanewise(MAX, DoubleVector.fromArray(DS, x, xo + i));
        double m = vmax.reduceLanes(MAX);
        for (; i < n; i++) m = Math.max(m, x[xo + i]);

        DoubleVector acc = DoubleVector.zero(DS);
        for (i = 0; i < ub; i += DL) {
            DoubleVector e = DoubleVector.fromArray(DS, x, xo + i).sub(m).lanewise(EXP);
            if (!log) e.intoArray(o, oo + i);
            acc = acc.add(e);
        }
        double s = acc.reduceLanes(ADD);
        for (; i < n; i++) {
            double e = Math.exp(x[xo + i] - m);
            if (!log) o[oo + i] = e;
            s += e;
        }

        i = 0;
        if (log) {
            double ls = Math.log(s);
            for (; i < ub; i += DL) DoubleVector.fromArray(DS, x, xo + i).sub(m).sub(ls).intoArray(o, oo + i);
            for (; i < n; i++) o[oo + i] = (x[xo + i] - m) - ls;
        } else {
            for (; i < ub; i += DL) DoubleVector.fromArray(DS, o, oo + i).div(s).intoArray(o, oo + i);
            for (; i < n; i++) o[oo + i] = o[oo + i] / s;
        }
    }
}
