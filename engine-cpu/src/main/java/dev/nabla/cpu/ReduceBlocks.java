package dev.nabla.cpu;

import dev.nabla.spi.ReduceOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.IS_NAN;
import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.MIN;
import static jdk.incubator.vector.VectorOperators.MUL;

/**
 * Reductions of one contiguous run, the inner loops of {@link ReduceKernels}. Four independent
 * vector accumulators hide the add latency. F32 sums accumulate in float vectors over blocks of
 * {@value #F32_SUM_BLOCK} elements (each lane adds at most a few dozen values) and combine the
 * block totals in double, which keeps a 16M-element sum accurate to a few float ulps of Σ|x|.
 * Arg-reductions take two passes over a short block (max, then the first lane equal to it), both
 * vectorized; NaN counts as the extreme.
 */
final class ReduceBlocks {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = FS.length(), DL = DS.length();
    static final int F32_SUM_BLOCK = 2048;
    private static final int F32_PROD_BLOCK = 512;

    private ReduceBlocks() {}

    // ---- F32 ----------------------------------------------------------------------------------

    static double sumF32(float[] a, int off, int n) {
        double total = 0;
        int i = 0;
        int step = 4 * FL;
        while (n - i >= step) {
            int end = i + Math.min(F32_SUM_BLOCK, (n - i) / step * step);
            FloatVector s0 = lf(a, off + i), s1 = lf(a, off + i + FL);
            FloatVector s2 = lf(a, off + i + 2 * FL), s3 = lf(a, off + i + 3 * FL);
            for (i += step; i < end; i += step) {
                s0 = s0.add(lf(a, off + i));
                s1 = s1.add(lf(a, off + i + FL));
                s2 = s2.add(lf(a, off + i + 2 * FL));
                s3 = s3.add(lf(a, off + i + 3 * FL));
            }
            total += s0.add(s1).add(s2.add(s3)).reduceLanes(ADD);
        }
        for (; i < n; i++) total += a[off + i];
        return total;
    }

    static double prodF32(float[] a, int off, int n) {
        double total = 1;
        int i = 0;
        int step = 2 * FL;
        while (n - i >= step) {
            int end = i + Math.min(F32_PROD_BLOCK, (n - i) / step * step);
            FloatVector p0 = lf(a, off + i), p1 = lf(a, off + i + FL);
            for (i += step; i < end; i += step) {
                p0 = p0.mul(lf(a, off + i));
                p1 = p1.mul(lf(a, off + i + FL));
            }
            total *= p0.mul(p1).reduceLanes(MUL);
        }
        for (; i < n; i++) total *= a[off + i];
        return total;
    }

    /** max (isMax) or min of n ≥ 1 elements; NaN if any is NaN; Math.max's -0.0 &lt; 0.0. */
    static float extremeF32(boolean isMax, float[] a, int off, int n) {
        int i = 0;
        float r = isMax ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        if (n >= 4 * FL) {
            FloatVector m0 = lf(a, off), m1 = lf(a, off + FL), m2 = lf(a, off + 2 * FL), m3 = lf(a, off + 3 * FL);
            i = 4 * FL;
            if (isMax) {
                for (; i + 4 * FL <= n; i += 4 * FL) {
                    m0 = m0.lanewise(MAX, lf(a, off + i));
                    m1 = m1.lanewise(MAX, lf(a, off + i + FL));
                    m2 = m2.lanewise(MAX, lf(a, off + i + 2 * FL));
                    m3 = m3.lanewise(MAX, lf(a, off + i + 3 * FL));
                }
            } else {
                for (; i + 4 * FL <= n; i += 4 * FL) {
                    m0 = m0.lanewise(MIN, lf(a, off + i));
                    m1 = m1.lanewise(MIN, lf(a, off + i + FL));
                    m2 = m2.lanewise(MIN, lf(a, off + i + 2 * FL));
                    m3 = m3.lanewise(MIN, lf(a, off + i + 3 * FL));
                }
            }
            FloatVector m = isMax ? m0.lanewise(MAX, m1).lanewise(MAX, m2.lanewise(MAX, m3))
                    : m0.lanewise(MIN, m1).lanewise(MIN, m2.lanewise(MIN, m3));
            if (m.test(IS_NAN).anyTrue()) return Float.NaN;
            r = isMax ? m.reduceLanes(MAX) : m.reduceLanes(MIN);
        }
        if (isMax) {
            for (; i < n; i++) r = Math.max(r, a[off + i]);
        } else {
            for (; i < n; i++) r = Math.min(r, a[off + i]);
        }
        return r;
    }

    /** Position of the first max (isMax) or min in a[off, off + n), n ≥ 1; a NaN wins. */
    static int argF32(boolean isMax, float[] a, int off, int n) {
        float m = extremeF32(isMax, a, off, n);
        int i = 0, ub = FS.loopBound(n);
        if (m != m) {
            for (; i < ub; i += FL) {
                VectorMask<Float> k = lf(a, off + i).test(IS_NAN);
                if (k.anyTrue()) return i + k.firstTrue();
            }
            for (; i < n; i++) if (a[off + i] != a[off + i]) return i;
        } else {
            for (; i < ub; i += FL) {
                VectorMask<Float> k = lf(a, off + i).eq(m);
                if (k.anyTrue()) return i + k.firstTrue();
            }
            for (; i < n; i++) if (a[off + i] == m) return i;
        }
        throw new IllegalStateException("arg-reduction lost its extreme");
    }

    /** acc[ao, ao + n) op= x[xo, xo + n) for SUM, PROD, MAX, MIN. */
    static void accumulateF32(ReduceOp op, float[] acc, int ao, float[] x, int xo, int n) {
        int i = 0, ub = FS.loopBound(n);
        switch (op) {
            case SUM -> {
                for (; i < ub; i += FL) lf(acc, ao + i).add(lf(x, xo + i)).intoArray(acc, ao + i);
                for (; i < n; i++) acc[ao + i] += x[xo + i];
            }
            case PROD -> {
                for (; i < ub; i += FL) lf(acc, ao + i).mul(lf(x, xo + i)).intoArray(acc, ao + i);
                for (; i < n; i++) acc[ao + i] *= x[xo + i];
            }
            case MAX -> {
                for (; i < ub; i += FL) lf(acc, ao + i).lanewise(MAX, lf(x, xo + i)).intoArray(acc, ao + i);
                for (; i < n; i++) acc[ao + i] = Math.max(acc[ao + i], x[xo + i]);
            }
            case MIN -> {
                for (; i < ub; i += FL) lf(acc, ao + i).lanewise(MIN, lf(x, xo + i)).intoArray(acc, ao + i);
                for (; i < n; i++) acc[ao + i] = Math.min(acc[ao + i], x[xo + i]);
            }
            default -> throw new IllegalArgumentException("accumulate " + op);
        }
    }

    private static FloatVector lf(float[] a, int i) {
        return FloatVector.fromArray(FS, a, i);
    }

    // ---- F64 ----------------------------------------------------------------------------------

    static double sumF64(double[] a, int off, int n) {
        int i = 0;
        double total = 0;
        int step = 4 * DL;
        if (n >= step) {
            DoubleVector s0 = ld(a, off), s1 = ld(a, off + DL), s2 = ld(a, off + 2 * DL), s3 = ld(a, off + 3 * DL);
            for (i = step; i + step <= n; i += step) {
                s0 = s0.add(ld(a, off + i));
                s1 = s1.add(ld(a, off + i + DL));
                s2 = s2.add(ld(a, off + i + 2 * DL));
                s3 = s3.add(ld(a, off + i + 3 * DL));
            }
            total = s0.add(s1).add(s2.add(s3)).reduceLanes(ADD);
        }
        for (; i < n; i++) total += a[off + i];
        return total;
    }

    static double prodF64(double[] a, int off, int n) {
        int i = 0;
        double total = 1;
        int step = 2 * DL;
        if (n >= step) {
            DoubleVector p0 = ld(a, off), p1 = ld(a, off + DL);
            for (i = step; i + step <= n; i += step) {
                p0 = p0.mul(ld(a, off + i));
                p1 = p1.mul(ld(a, off + i + DL));
            }
            total = p0.mul(p1).reduceLanes(MUL);
        }
        for (; i < n; i++) total *= a[off + i];
        return total;
    }

    static double extremeF64(boolean isMax, double[] a, int off, int n) {
        int i = 0;
        double r = isMax ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        if (n >= 4 * DL) {
            DoubleVector m0 = ld(a, off), m1 = ld(a, off + DL), m2 = ld(a, off + 2 * DL), m3 = ld(a, off + 3 * DL);
            i = 4 * DL;
            if (isMax) {
                for (; i + 4 * DL <= n; i += 4 * DL) {
                    m0 = m0.lanewise(MAX, ld(a, off + i));
                    m1 = m1.lanewise(MAX, ld(a, off + i + DL));
                    m2 = m2.lanewise(MAX, ld(a, off + i + 2 * DL));
                    m3 = m3.lanewise(MAX, ld(a, off + i + 3 * DL));
                }
            } else {
                for (; i + 4 * DL <= n; i += 4 * DL) {
                    m0 = m0.lanewise(MIN, ld(a, off + i));
                    m1 = m1.lanewise(MIN, ld(a, off + i + DL));
                    m2 = m2.lanewise(MIN, ld(a, off + i + 2 * DL));
                    m3 = m3.lanewise(MIN, ld(a, off + i + 3 * DL));
                }
            }
            DoubleVector m = isMax ? m0.lanewise(MAX, m1).lanewise(MAX, m2.lanewise(MAX, m3))
                    : m0.lanewise(MIN, m1).lanewise(MIN, m2.lanewise(MIN, m3));
            if (m.test(IS_NAN).anyTrue()) return Double.NaN;
            r = isMax ? m.reduceLanes(MAX) : m.reduceLanes(MIN);
        }
        if (isMax) {
            for (; i < n; i++) r = Math.max(r, a[off + i]);
        } else {
            for (; i < n; i++) r = Math.min(r, a[off + i]);
        }
        return r;
    }

    static int argF64(boolean isMax, double[] a, int off, int n) {
        double m = extremeF64(isMax, a, off, n);
        int i = 0, ub = DS.loopBound(n);
        if (m != m) {
            for (; i < ub; i += DL) {
                VectorMask<Double> k = ld(a, off + i).test(IS_NAN);
                if (k.anyTrue()) return i + k.firstTrue();
            }
            for (; i < n; i++) if (a[off + i] != a[off + i]) return i;
        } else {
            for (; i < ub; i += DL) {
                VectorMask<Double> k = ld(a, off + i).eq(m);
                if (k.anyTrue()) return i + k.firstTrue();
            }
            for (; i < n; i++) if (a[off + i] == m) return i;
        }
        throw new IllegalStateException("arg-reduction lost its extreme");
    }

    static void accumulateF64(ReduceOp op, double[] acc, int ao, double[] x, int xo, int n) {
        int i = 0, ub = DS.loopBound(n);
        switch (op) {
            case SUM -> {
                for (; i < ub; i += DL) ld(acc, ao + i).add(ld(x, xo + i)).intoArray(acc, ao + i);
                for (; i < n; i++) acc[ao + i] += x[xo + i];
            }
            case PROD -> {
                for (; i < ub; i += DL) ld(acc, ao + i).mul(ld(x, xo + i)).intoArray(acc, ao + i);
                for (; i < n; i++) acc[ao + i] *= x[xo + i];
            }
            case MAX -> {
                for (; i < ub; i += DL) ld(acc, ao + i).lanewise(MAX, ld(x, xo + i)).intoArray(acc, ao + i);
                for (; i < n; i++) acc[ao + i] = Math.max(acc[ao + i], x[xo + i]);
            }
            case MIN -> {
                for (; i < ub; i += DL) ld(acc, ao + i).lanewise(MIN, ld(x, xo + i)).intoArray(acc, ao + i);
                for (; i < n; i++) acc[ao + i] = Math.min(acc[ao + i], x[xo + i]);
            }
            default -> throw new IllegalArgumentException("accumulate " + op);
        }
    }

    private static DoubleVector ld(double[] a, int i) {
        return DoubleVector.fromArray(DS, a, i);
    }

    // ---- integers (widened to long) -----------------------------------------------------------

    static long sumL(long[] a, int off, int n) {
        long s = 0;
        for (int i = 0; i < n; i++) s += a[off + i];
        return s;
    }

    static long prodL(long[] a, int off, int n) {
        long p = 1;
        for (int i = 0; i < n; i++) p *= a[off + i];
        return p;
    }

    /** Position of the first max (isMax) or min of n ≥ 1 longs. */
    static int argL(boolean isMax, long[] a, int off, int n) {
        int best = 0;
        long v = a[off];
        if (isMax) {
            for (int i = 1; i < n; i++) {
                if (a[off + i] > v) { v = a[off + i]; best = i; }
            }
        } else {
            for (int i = 1; i < n; i++) {
                if (a[off + i] < v) { v = a[off + i]; best = i; }
            }
        }
        return best;
    }
}
