package dev.nabla.cpu;

import dev.nabla.spi.BinaryOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.MIN;
import static jdk.incubator.vector.VectorOperators.POW;

/**
 * Contiguous F32 and F64 binary loops, each op in its own small method (a constant operator and a
 * fresh inlining budget per loop, so the JIT intrinsifies every vector op), then a scalar tail.
 * Vector MAX/MIN follow {@link Math#max}: NaN propagates and -0.0 &lt; 0.0; vector POW follows
 * {@link Math#pow}, including pow(1, NaN) = NaN and pow(-1, ±inf) = NaN. Comparisons store their
 * masks straight into the boolean output.
 */
final class BinaryFloatKernels {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = FS.length(), DL = DS.length();

    private BinaryFloatKernels() {}

    static boolean heavy(BinaryOp op) {
        return op == BinaryOp.POW;
    }

    static double scalar(BinaryOp op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case POW -> Math.pow(x, y);
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            default -> throw new IllegalArgumentException(op + " is a comparison");
        };
    }

    static boolean compare(BinaryOp op, double x, double y) {
        return switch (op) {
            case EQ -> x == y;
            case NE -> x != y;
            case LT -> x < y;
            case LE -> x <= y;
            case GT -> x > y;
            case GE -> x >= y;
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        };
    }

    // ---- F32 ----------------------------------------------------------------------------------

    static void f32(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        int i = 0;
        int ub = FS.loopBound(n);
        switch (op) {
            case ADD -> i = addF32(a, ao, b, bo, o, oo, ub);
            case SUB -> i = subF32(a, ao, b, bo, o, oo, ub);
            case MUL -> i = mulF32(a, ao, b, bo, o, oo, ub);
            case DIV -> i = divF32(a, ao, b, bo, o, oo, ub);
            case POW -> i = powF32(a, ao, b, bo, o, oo, ub);
            case MAX -> i = maxF32(a, ao, b, bo, o, oo, ub);
            case MIN -> i = minF32(a, ao, b, bo, o, oo, ub);
            default -> throw new IllegalArgumentException(op + " is a comparison");
        }
        for (; i < n; i++) o[oo + i] = (float) scalar(op, a[ao + i], b[bo + i]);
    }

    private static int addF32(float[] a, int ao, float[] b, int bo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) lf(a, ao + i).add(lf(b, bo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int subF32(float[] a, int ao, float[] b, int bo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) lf(a, ao + i).sub(lf(b, bo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int mulF32(float[] a, int ao, float[] b, int bo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) lf(a, ao + i).mul(lf(b, bo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int divF32(float[] a, int ao, float[] b, int bo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) lf(a, ao + i).div(lf(b, bo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int powF32(float[] a, int ao, float[] b, int bo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) {
            FloatVector x = lf(a, ao + i), y = lf(b, bo + i);
            // pinned to Math.pow: intrinsified (SVML) POW says 1 for pow(1, NaN) and pow(-1, ±inf),
            // its Java fallback NaN, so without this the answer depended on JIT warm-up
            VectorMask<Float> nan = y.test(VectorOperators.IS_NAN)
                    .or(x.abs().compare(VectorOperators.EQ, 1f).and(y.test(VectorOperators.IS_INFINITE)));
            x.lanewise(POW, y).blend(Float.NaN, nan).intoArray(o, oo + i);
        }
        return i;
    }

    private static int maxF32(float[] a, int ao, float[] b, int bo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) lf(a, ao + i).lanewise(MAX, lf(b, bo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int minF32(float[] a, int ao, float[] b, int bo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) lf(a, ao + i).lanewise(MIN, lf(b, bo + i)).intoArray(o, oo + i);
        return i;
    }

    static void cmpF32(BinaryOp op, float[] a, int ao, float[] b, int bo, boolean[] o, int oo, int n) {
        int i = 0;
        int ub = FS.loopBound(n);
        switch (op) {
            case EQ -> i = eqF32(a, ao, b, bo, o, oo, ub);
            case LT -> i = ltF32(a, ao, b, bo, o, oo, ub);
            case NE -> i = neF32(a, ao, b, bo, o, oo, ub);
            case LE -> i = leF32(a, ao, b, bo, o, oo, ub);
            case GT -> i = gtF32(a, ao, b, bo, o, oo, ub);
            case GE -> i = geF32(a, ao, b, bo, o, oo, ub);
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        }
        for (; i < n; i++) o[oo + i] = compare(op, a[ao + i], b[bo + i]);
    }

    private static int eqF32(float[] a, int ao, float[] b, int bo, boolean[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) lf(a, ao + i).eq(lf(b, bo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int ltF32(float[] a, int ao, float[] b, int bo, boolean[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) lf(a, ao + i).lt(lf(b, bo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int neF32(float[] a, int ao, float[] b, int bo, boolean[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) {
            lf(a, ao + i).compare(VectorOperators.NE, lf(b, bo + i)).intoArray(o, oo + i);
        }
        return i;
    }

    private static int leF32(float[] a, int ao, float[] b, int bo, boolean[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) {
            lf(a, ao + i).compare(VectorOperators.LE, lf(b, bo + i)).intoArray(o, oo + i);
        }
        return i;
    }

    private static int gtF32(float[] a, int ao, float[] b, int bo, boolean[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) {
            lf(a, ao + i).compare(VectorOperators.GT, lf(b, bo + i)).intoArray(o, oo + i);
        }
        return i;
    }

    private static int geF32(float[] a, int ao, float[] b, int bo, boolean[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) {
            lf(a, ao + i).compare(VectorOperators.GE, lf(b, bo + i)).intoArray(o, oo + i);
        }
        return i;
    }

    private static FloatVector lf(float[] a, int i) {
        return FloatVector.fromArray(FS, a, i);
    }

    // ---- F64 ----------------------------------------------------------------------------------

    static void f64(BinaryOp op, double[] a, int ao, double[] b, int bo, double[] o, int oo, int n) {
        int i = 0;
        int ub = DS.loopBound(n);
        switch (op) {
            case ADD -> i = addF64(a, ao, b, bo, o, oo, ub);
            case SUB -> i = subF64(a, ao, b, bo, o, oo, ub);
            case MUL -> i = mulF64(a, ao, b, bo, o, oo, ub);
            case DIV -> i = divF64(a, ao, b, bo, o, oo, ub);
            case POW -> i = powF64(a, ao, b, bo, o, oo, ub);
            case MAX -> i = maxF64(a, ao, b, bo, o, oo, ub);
            case MIN -> i = minF64(a, ao, b, bo, o, oo, ub);
            default -> throw new IllegalArgumentException(op + " is a comparison");
        }
        for (; i < n; i++) o[oo + i] = scalar(op, a[ao + i], b[bo + i]);
    }

    private static int addF64(double[] a, int ao, double[] b, int bo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) ld(a, ao + i).add(ld(b, bo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int subF64(double[] a, int ao, double[] b, int bo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) ld(a, ao + i).sub(ld(b, bo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int mulF64(double[] a, int ao, double[] b, int bo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) ld(a, ao + i).mul(ld(b, bo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int divF64(double[] a, int ao, double[] b, int bo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) ld(a, ao + i).div(ld(b, bo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int powF64(double[] a, int ao, double[] b, int bo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) {
            DoubleVector x = ld(a, ao + i), y = ld(b, bo + i);
            // pinned to Math.pow, as in powF32
            VectorMask<Double> nan = y.test(VectorOperators.IS_NAN)
                    .or(x.abs().compare(VectorOperators.EQ, 1.0).and(y.test(VectorOperators.IS_INFINITE)));
            x.lanewise(POW, y).blend(Double.NaN, nan).intoArray(o, oo + i);
        }
        return i;
    }

    private static int maxF64(double[] a, int ao, double[] b, int bo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) ld(a, ao + i).lanewise(MAX, ld(b, bo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int minF64(double[] a, int ao, double[] b, int bo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) ld(a, ao + i).lanewise(MIN, ld(b, bo + i)).intoArray(o, oo + i);
        return i;
    }

    static void cmpF64(BinaryOp op, double[] a, int ao, double[] b, int bo, boolean[] o, int oo, int n) {
        int i = 0;
        int ub = DS.loopBound(n);
        switch (op) {
            case EQ -> i = eqF64(a, ao, b, bo, o, oo, ub);
            case LT -> i = ltF64(a, ao, b, bo, o, oo, ub);
            case NE -> i = neF64(a, ao, b, bo, o, oo, ub);
            case LE -> i = leF64(a, ao, b, bo, o, oo, ub);
            case GT -> i = gtF64(a, ao, b, bo, o, oo, ub);
            case GE -> i = geF64(a, ao, b, bo, o, oo, ub);
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        }
        for (; i < n; i++) o[oo + i] = compare(op, a[ao + i], b[bo + i]);
    }

    private static int eqF64(double[] a, int ao, double[] b, int bo, boolean[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) ld(a, ao + i).eq(ld(b, bo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int ltF64(double[] a, int ao, double[] b, int bo, boolean[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) ld(a, ao + i).lt(ld(b, bo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int neF64(double[] a, int ao, double[] b, int bo, boolean[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) {
            ld(a, ao + i).compare(VectorOperators.NE, ld(b, bo + i)).intoArray(o, oo + i);
        }
        return i;
    }

    private static int leF64(double[] a, int ao, double[] b, int bo, boolean[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) {
            ld(a, ao + i).compare(VectorOperators.LE, ld(b, bo + i)).intoArray(o, oo + i);
        }
        return i;
    }

    private static int gtF64(double[] a, int ao, double[] b, int bo, boolean[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) {
            ld(a, ao + i).compare(VectorOperators.GT, ld(b, bo + i)).intoArray(o, oo + i);
        }
        return i;
    }

    private static int geF64(double[] a, int ao, double[] b, int bo, boolean[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) {
            ld(a, ao + i).compare(VectorOperators.GE, ld(b, bo + i)).intoArray(o, oo + i);
        }
        return i;
    }

    private static DoubleVector ld(double[] a, int i) {
        return DoubleVector.fromArray(DS, a, i);
    }
}
