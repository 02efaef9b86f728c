package dev.nabla.cpu;

import dev.nabla.DType;
import dev.nabla.spi.Layout;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Data movement for the CPU backend: strided copy (materializes any view, or writes into one),
 * dtype conversion, where and fill. Copies walk both layouts in coalesced runs and use
 * {@link System#arraycopy} wherever both runs are unit-stride; conversions and where go through
 * {@link Elementwise} so they share its gather and threading.
 */
final class CopyKernels {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    /** Copies are memory-bound: one thread nearly saturates bandwidth below this size. */
    private static final long COPY_GRAIN = 1 << 18;

    private CopyKernels() {}

    /** Copies x into the elements of out that ol addresses (same dtype, same shape). */
    static void copy(CpuBuffer x, Layout xl, CpuBuffer out, Layout ol) {
        long n = xl.numel();
        if (n == 0) return;
        DType t = x.dtype;
        if (xl.isContiguous() && ol.isContiguous()) {
            int xo = (int) xl.offset(), oo = (int) ol.offset();
            Parallel.forRange(n, COPY_GRAIN,
                    (from, to) -> System.arraycopy(x.array, xo + (int) from, out.array, oo + (int) from,
                            (int) (to - from)));
            return;
        }
        Layout[] co = Layout.coalesce(xl, ol);
        Parallel.forRange(n, COPY_GRAIN, (from, to) -> {
            StridedIndex sc = new StridedIndex(co[0]), dc = new StridedIndex(co[1]);
            sc.seek(from);
            dc.seek(from);
            StridedIndex.copyRuns(t, x.array, sc, out.array, dc, to - from);
        });
    }

    /** out (contiguous) = x converted to out's dtype. */
    static void cast(CpuBuffer x, Layout xl, CpuBuffer out) {
        DType from = x.dtype, to = out.dtype;
        if (from == to) {
            copy(x, xl, out, Layout.contiguous(xl.shape()));
            return;
        }
        Object o = out.array;
        Elementwise.run(new CpuBuffer[] {x}, new Layout[] {xl}, xl.numel(), Elementwise.GRAIN_CHEAP,
                (in, off, oo, n) -> convert(from, in[0], off[0], to, o, oo, n));
    }

    /** Fills every element of out with v converted to its dtype (Java casts; nonzero is true). */
    static void fill(CpuBuffer out, double v) {
        Object a = out.array;
        DType t = out.dtype;
        Parallel.forRange(out.numel, COPY_GRAIN, (f, e) -> {
            int from = (int) f, to = (int) e;
            switch (t) {
                case F32 -> Arrays.fill((float[]) a, from, to, (float) v);
                case F64 -> Arrays.fill((double[]) a, from, to, v);
                case I32 -> Arrays.fill((int[]) a, from, to, (int) v);
                case I64 -> Arrays.fill((long[]) a, from, to, (long) v);
                case BOOL -> Arrays.fill((boolean[]) a, from, to, v != 0);
            }
        });
    }

    /** out (contiguous) = cond ? a : b; cond BOOL, a, b and out of one dtype, all of out's shape. */
    static void where(CpuBuffer cond, Layout cl, CpuBuffer a, Layout al, CpuBuffer b, Layout bl,
                      CpuBuffer out) {
        Object o = out.array;
        DType t = out.dtype;
        Elementwise.run(new CpuBuffer[] {cond, a, b}, new Layout[] {cl, al, bl}, cl.numel(),
                Elementwise.GRAIN_CHEAP,
                (in, off, oo, n) -> select(t, (boolean[]) in[0], off[0], in[1], off[1], in[2], off[2],
                        o, oo, n));
    }

    private static void select(DType t, boolean[] c, int co, Object a, int ao, Object b, int bo,
                               Object out, int oo, int n) {
        switch (t) {
            case F32 -> {
                float[] x = (float[]) a, y = (float[]) b, o = (float[]) out;
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FS.length()) {
                    VectorMask<Float> m = VectorMask.fromArray(FS, c, co + i);
                    FloatVector.fromArray(FS, y, bo + i).blend(FloatVector.fromArray(FS, x, ao + i), m)
                            .intoArray(o, oo + i);
                }
                for (; i < n; i++) o[oo + i] = c[co + i] ? x[ao + i] : y[bo + i];
            }
            case F64 -> {
                double[] x = (double[]) a, y = (double[]) b, o = (double[]) out;
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DS.length()) {
                    VectorMask<Double> m = VectorMask.fromArray(DS, c, co + i);
                    DoubleVector.fromArray(DS, y, bo + i).blend(DoubleVector.fromArray(DS, x, ao + i), m)
                            .intoArray(o, oo + i);
                }
                for (; i < n; i++) o[oo + i] = c[co + i] ? x[ao + i] : y[bo + i];
            }
            case I32 -> {
                int[] x = (int[]) a, y = (int[]) b, o = (int[]) out;
                for (int i = 0; i < n; i++) o[oo + i] = c[co + i] ? x[ao + i] : y[bo + i];
            }
            case I64 -> {
                long[] x = (long[]) a, y = (long[]) b, o = (long[]) out;
                for (int i = 0; i < n; i++) o[oo + i] = c[co + i] ? x[ao + i] : y[bo + i];
            }
            case BOOL -> {
                boolean[] x = (boolean[]) a, y = (boolean[]) b, o = (boolean[]) out;
                for (int i = 0; i < n; i++) o[oo + i] = c[co + i] ? x[ao + i] : y[bo + i];
            }
        }
    }

    /**
     * Converts n contiguous elements. Float to integer is Java's cast (toward zero, NaN to 0,
     * saturating); anything to BOOL is x != 0 (so NaN is true); BOOL to a number is 1 or 0.
     */
    static void convert(DType from, Object src, int so, DType to, Object dst, int oo, int n) {
        switch (from) {
            case F32 -> {
                float[] s = (float[]) src;
                switch (to) {
                    case F32 -> System.arraycopy(s, so, dst, oo, n);
                    case F64 -> { double[] d = (double[]) dst; for (int i = 0; i < n; i++) d[oo + i] = s[so + i]; }
                    case I32 -> { int[] d = (int[]) dst; for (int i = 0; i < n; i++) d[oo + i] = (int) s[so + i]; }
                    case I64 -> { long[] d = (long[]) dst; for (int i = 0; i < n; i++) d[oo + i] = (long) s[so + i]; }
                    case BOOL -> { boolean[] d = (boolean[]) dst; for (int i = 0; i < n; i++) d[oo + i] = s[so + i] != 0; }
                }
            }
            case F64 -> {
                double[] s = (double[]) src;
                switch (to) {
                    case F32 -> { float[] d = (float[]) dst; for (int i = 0; i < n; i++) d[oo + i] = (float) s[so + i]; }
                    case F64 -> System.arraycopy(s, so, dst, oo, n);
                    case I32 -> { int[] d = (int[]) dst; for (int i = 0; i < n; i++) d[oo + i] = (int) s[so + i]; }
                    case I64 -> { long[] d = (long[]) dst; for (int i = 0; i < n; i++) d[oo + i] = (long) s[so + i]; }
                    case BOOL -> { boolean[] d = (boolean[]) dst; for (int i = 0; i < n; i++) d[oo + i] = s[so + i] != 0; }
                }
            }
            case I32 -> {
                int[] s = (int[]) src;
                switch (to) {
                    case F32 -> { float[] d = (float[]) dst; for (int i = 0; i < n; i++) d[oo + i] = s[so + i]; }
                    case F64 -> { double[] d = (double[]) dst; for (int i = 0; i < n; i++) d[oo + i] = s[so + i]; }
                    case I32 -> System.arraycopy(s, so, dst, oo, n);
                    case I64 -> { long[] d = (long[]) dst; for (int i = 0; i < n; i++) d[oo + i] = s[so + i]; }
                    case BOOL -> { boolean[] d = (boolean[]) dst; for (int i = 0; i < n; i++) d[oo + i] = s[so + i] != 0; }
                }
            }
            case I64 -> {
                long[] s = (long[]) src;
                switch (to) {
                    case F32 -> { float[] d = (float[]) dst; for (int i = 0; i < n; i++) d[oo + i] = s[so + i]; }
                    case F64 -> { double[] d = (double[]) dst; for (int i = 0; i < n; i++) d[oo + i] = s[so + i]; }
                    case I32 -> { int[] d = (int[]) dst; for (int i = 0; i < n; i++) d[oo + i] = (int) s[so + i]; }
                    case I64 -> System.arraycopy(s, so, dst, oo, n);
                    case BOOL -> { boolean[] d = (boolean[]) dst; for (int i = 0; i < n; i++) d[oo + i] = s[so + i] != 0; }
                }
            }
            case BOOL -> {
                boolean[] s = (boolean[]) src;
                switch (to) {
                    case F32 -> { float[] d = (float[]) dst; for (int i = 0; i < n; i++) d[oo + i] = s[so + i] ? 1f : 0f; }
                    case F64 -> { double[] d = (double[]) dst; for (int i = 0; i < n; i++) d[oo + i] = s[so + i] ? 1.0 : 0.0; }
                    case I32 -> { int[] d = (int[]) dst; for (int i = 0; i < n; i++) d[oo + i] = s[so + i] ? 1 : 0; }
                    case I64 -> { long[] d = (long[]) dst; for (int i = 0; i < n; i++) d[oo + i] = s[so + i] ? 1L : 0L; }
                    case BOOL -> System.arraycopy(s, so, dst, oo, n);
                }
            }
        }
    }
}
