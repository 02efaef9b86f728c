package dev.nabla.cpu;

import dev.nabla.spi.UnaryOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import static jdk.incubator.vector.VectorOperators.COS;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.EXPM1;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.LOG;
import static jdk.incubator.vector.VectorOperators.LOG1P;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.SIN;
import static jdk.incubator.vector.VectorOperators.SQRT;
import static jdk.incubator.vector.VectorOperators.TANH;

/**
 * Contiguous F32 and F64 unary loops. Each op is its own small method holding one Vector API loop:
 * the JIT intrinsifies a vector op only when its operator is a constant and its calls are inlined,
 * and one big method holding every loop runs out of inlining budget (measured: relu went from
 * 3 ms to 27 ms on 16M floats that way). The dispatcher switches once and runs a float64 scalar
 * tail. Transcendentals map to the SVML-backed {@code VectorOperators}; erf and GELU compute in
 * F64 (see {@link Erf}); floor, ceil and round use the 2^23 / 2^52 add-subtract trick, which
 * rounds half to even like {@link Math#rint}, and then restore the sign so -0.0 survives.
 */
final class UnaryFloatKernels {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = FS.length(), DL = DS.length();
    private static final float TWO23 = 8388608f;
    private static final double TWO52 = 4503599627370496.0;

    private UnaryFloatKernels() {}

    /** Whether the op costs a transcendental per element (threads pay off sooner). */
    static boolean heavy(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, SIN, COS, TANH, SIGMOID, GELU, SOFTPLUS, LOG1P, EXPM1, ERF -> true;
            default -> false;
        };
    }

    /** The reference definition of each op, in float64; also the tail of every vector loop. */
    static double scalar(UnaryOp op, double v) {
        return switch (op) {
            case NEG -> -v;
            case ABS -> Math.abs(v);
            case SQUARE -> v * v;
            case EXP -> Math.exp(v);
            case LOG -> Math.log(v);
            case SQRT -> Math.sqrt(v);
            case RSQRT -> 1.0 / Math.sqrt(v);
            case RECIPROCAL -> 1.0 / v;
            case SIN -> Math.sin(v);
            case COS -> Math.cos(v);
            case TANH -> Math.tanh(v);
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-v));
            case RELU -> v > 0 || v != v ? v : 0.0;
            case GELU -> Erf.gelu(v);
            case SOFTPLUS -> Math.max(v, 0.0) + Math.log1p(Math.exp(-Math.abs(v)));
            case SIGN -> Math.signum(v);
            case FLOOR -> Math.floor(v);
            case CEIL -> Math.ceil(v);
            case ROUND -> Math.rint(v);
            case LOG1P -> Math.log1p(v);
            case EXPM1 -> Math.expm1(v);
            case ERF -> Erf.erf(v);
        };
    }

    // ---- F32 ----------------------------------------------------------------------------------

    static void f32(UnaryOp op, float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        int ub = FS.loopBound(n);
        switch (op) {
            case NEG -> i = negF32(x, xo, o, oo, ub);
            case ABS -> i = absF32(x, xo, o, oo, ub);
            case SQUARE -> i = squareF32(x, xo, o, oo, ub);
            case EXP -> i = expF32(x, xo, o, oo, ub);
            case LOG -> i = logF32(x, xo, o, oo, ub);
            case SQRT -> i = sqrtF32(x, xo, o, oo, ub);
            case RSQRT -> i = rsqrtF32(x, xo, o, oo, ub);
            case RECIPROCAL -> i = reciprocalF32(x, xo, o, oo, ub);
            case SIN -> i = sinF32(x, xo, o, oo, ub);
            case COS -> i = cosF32(x, xo, o, oo, ub);
            case TANH -> i = tanhF32(x, xo, o, oo, ub);
            case SIGMOID -> i = sigmoidF32(x, xo, o, oo, ub);
            case RELU -> i = reluF32(x, xo, o, oo, ub);
            case SOFTPLUS -> i = softplusF32(x, xo, o, oo, ub);
            case SIGN -> i = signF32(x, xo, o, oo, ub);
            case ROUND -> i = roundF32(x, xo, o, oo, ub);
            case FLOOR -> i = floorF32(x, xo, o, oo, ub);
            case CEIL -> i = ceilF32(x, xo, o, oo, ub);
            case LOG1P -> i = log1pF32(x, xo, o, oo, ub);
            case EXPM1 -> i = expm1F32(x, xo, o, oo, ub);
            case ERF -> { Erf.f32(false, x, xo, o, oo, n); return; }
            case GELU -> { Erf.f32(true, x, xo, o, oo, n); return; }
        }
        for (; i < n; i++) o[oo + i] = (float) scalar(op, x[xo + i]);
    }

    private static int negF32(float[] x, int xo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) lf(x, xo + i).neg().intoArray(o, oo + i);
        return i;
    }

    private static int absF32(float[] x, int xo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) lf(x, xo + i).abs().intoArray(o, oo + i);
        return i;
    }

    private static int squareF32(float[] x, int xo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) {
            FloatVector v = lf(x, xo + i);
            v.mul(v).intoArray(o, oo + i);
        }
        return i;
    }

    private static int expF32(float[] x, int xo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) lf(x, xo + i).lanewise(EXP).intoArray(o, oo + i);
        return i;
    }

    private static int logF32(float[] x, int xo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) lf(x, xo + i).lanewise(LOG).intoArray(o, oo + i);
        return i;
    }

    private static int sqrtF32(float[] x, int xo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) lf(x, xo + i).lanewise(SQRT).intoArray(o, oo + i);
        return i;
    }

    private static int rsqrtF32(float[] x, int xo, float[] o, int oo, int ub) {
        FloatVector one = FloatVector.broadcast(FS, 1f);
        int i = 0;
        for (; i < ub; i += FL) one.div(lf(x, xo + i).lanewise(SQRT)).intoArray(o, oo + i);
        return i;
    }

    private static int reciprocalF32(float[] x, int xo, float[] o, int oo, int ub) {
        FloatVector one = FloatVector.broadcast(FS, 1f);
        int i = 0;
        for (; i < ub; i += FL) one.div(lf(x, xo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int sinF32(float[] x, int xo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) lf(x, xo + i).lanewise(SIN).intoArray(o, oo + i);
        return i;
    }

    private static int cosF32(float[] x, int xo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) lf(x, xo + i).lanewise(COS).intoArray(o, oo + i);
        return i;
    }

    private static int tanhF32(float[] x, int xo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) lf(x, xo + i).lanewise(TANH).intoArray(o, oo + i);
        return i;
    }

    private static int sigmoidF32(float[] x, int xo, float[] o, int oo, int ub) {
        FloatVector one = FloatVector.broadcast(FS, 1f);
        int i = 0;
        // exp(-x) overflows to inf for x < -88: 1/(1+inf) = 0, never NaN
        for (; i < ub; i += FL) {
            one.div(one.add(lf(x, xo + i).neg().lanewise(EXP))).intoArray(o, oo + i);
        }
        return i;
    }

    private static int reluF32(float[] x, int xo, float[] o, int oo, int ub) {
        FloatVector zero = FloatVector.zero(FS);
        int i = 0;
        for (; i < ub; i += FL) {
            FloatVector v = lf(x, xo + i);
            v.blend(zero, v.compare(LE, 0f)).intoArray(o, oo + i);
        }
        return i;
    }

    private static int softplusF32(float[] x, int xo, float[] o, int oo, int ub) {
        FloatVector zero = FloatVector.zero(FS);
        int i = 0;
        for (; i < ub; i += FL) {
            FloatVector v = lf(x, xo + i);
            v.lanewise(MAX, zero).add(v.abs().neg().lanewise(EXP).lanewise(LOG1P))
                    .intoArray(o, oo + i);
        }
        return i;
    }

    private static int signF32(float[] x, int xo, float[] o, int oo, int ub) {
        FloatVector one = FloatVector.broadcast(FS, 1f);
        int i = 0;
        for (; i < ub; i += FL) {
            FloatVector v = lf(x, xo + i);
            v.blend(one, v.compare(GT, 0f)).blend(one.neg(), v.compare(LT, 0f))
                    .intoArray(o, oo + i);
        }
        return i;
    }

    private static int roundF32(float[] x, int xo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) rint(lf(x, xo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int floorF32(float[] x, int xo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) {
            FloatVector v = lf(x, xo + i), r = rint(v);
            copySign(r.sub(1f, r.compare(GT, v)), v).intoArray(o, oo + i);
        }
        return i;
    }

    private static int ceilF32(float[] x, int xo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) {
            FloatVector v = lf(x, xo + i), r = rint(v);
            copySign(r.add(1f, r.compare(LT, v)), v).intoArray(o, oo + i);
        }
        return i;
    }

    private static int log1pF32(float[] x, int xo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) lf(x, xo + i).lanewise(LOG1P).intoArray(o, oo + i);
        return i;
    }

    private static int expm1F32(float[] x, int xo, float[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += FL) lf(x, xo + i).lanewise(EXPM1).intoArray(o, oo + i);
        return i;
    }



    private static FloatVector lf(float[] a, int i) {
        return FloatVector.fromArray(FS, a, i);
    }

    /** Round half to even for |v| < 2^23 (larger floats are integers already; NaN stays). */
    private static FloatVector rint(FloatVector v) {
        FloatVector a = v.abs();
        FloatVector r = a.add(TWO23).sub(TWO23);
        return copySign(a.blend(r, a.compare(LT, TWO23)), v);
    }

    private static FloatVector copySign(FloatVector mag, FloatVector sign) {
        return mag.abs().reinterpretAsInts()
                .or(sign.reinterpretAsInts().and(0x80000000))
                .reinterpretAsFloats();
    }

    // ---- F64 ----------------------------------------------------------------------------------

    static void f64(UnaryOp op, double[] x, int xo, double[] o, int oo, int n) {
        int i = 0;
        int ub = DS.loopBound(n);
        switch (op) {
            case NEG -> i = negF64(x, xo, o, oo, ub);
            case ABS -> i = absF64(x, xo, o, oo, ub);
            case SQUARE -> i = squareF64(x, xo, o, oo, ub);
            case EXP -> i = expF64(x, xo, o, oo, ub);
            case LOG -> i = logF64(x, xo, o, oo, ub);
            case SQRT -> i = sqrtF64(x, xo, o, oo, ub);
            case RSQRT -> i = rsqrtF64(x, xo, o, oo, ub);
            case RECIPROCAL -> i = reciprocalF64(x, xo, o, oo, ub);
            case SIN -> i = sinF64(x, xo, o, oo, ub);
            case COS -> i = cosF64(x, xo, o, oo, ub);
            case TANH -> i = tanhF64(x, xo, o, oo, ub);
            case SIGMOID -> i = sigmoidF64(x, xo, o, oo, ub);
            case RELU -> i = reluF64(x, xo, o, oo, ub);
            case SOFTPLUS -> i = softplusF64(x, xo, o, oo, ub);
            case SIGN -> i = signF64(x, xo, o, oo, ub);
            case ROUND -> i = roundF64(x, xo, o, oo, ub);
            case FLOOR -> i = floorF64(x, xo, o, oo, ub);
            case CEIL -> i = ceilF64(x, xo, o, oo, ub);
            case LOG1P -> i = log1pF64(x, xo, o, oo, ub);
            case EXPM1 -> i = expm1F64(x, xo, o, oo, ub);
            case ERF -> { Erf.f64(false, x, xo, o, oo, n); return; }
            case GELU -> { Erf.f64(true, x, xo, o, oo, n); return; }
        }
        for (; i < n; i++) o[oo + i] = scalar(op, x[xo + i]);
    }

    private static int negF64(double[] x, int xo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) ld(x, xo + i).neg().intoArray(o, oo + i);
        return i;
    }

    private static int absF64(double[] x, int xo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) ld(x, xo + i).abs().intoArray(o, oo + i);
        return i;
    }

    private static int squareF64(double[] x, int xo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) {
            DoubleVector v = ld(x, xo + i);
            v.mul(v).intoArray(o, oo + i);
        }
        return i;
    }

    private static int expF64(double[] x, int xo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) ld(x, xo + i).lanewise(EXP).intoArray(o, oo + i);
        return i;
    }

    private static int logF64(double[] x, int xo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) ld(x, xo + i).lanewise(LOG).intoArray(o, oo + i);
        return i;
    }

    private static int sqrtF64(double[] x, int xo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) ld(x, xo + i).lanewise(SQRT).intoArray(o, oo + i);
        return i;
    }

    private static int rsqrtF64(double[] x, int xo, double[] o, int oo, int ub) {
        DoubleVector one = DoubleVector.broadcast(DS, 1.0);
        int i = 0;
        for (; i < ub; i += DL) one.div(ld(x, xo + i).lanewise(SQRT)).intoArray(o, oo + i);
        return i;
    }

    private static int reciprocalF64(double[] x, int xo, double[] o, int oo, int ub) {
        DoubleVector one = DoubleVector.broadcast(DS, 1.0);
        int i = 0;
        for (; i < ub; i += DL) one.div(ld(x, xo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int sinF64(double[] x, int xo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) ld(x, xo + i).lanewise(SIN).intoArray(o, oo + i);
        return i;
    }

    private static int cosF64(double[] x, int xo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) ld(x, xo + i).lanewise(COS).intoArray(o, oo + i);
        return i;
    }

    private static int tanhF64(double[] x, int xo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) ld(x, xo + i).lanewise(TANH).intoArray(o, oo + i);
        return i;
    }

    private static int sigmoidF64(double[] x, int xo, double[] o, int oo, int ub) {
        DoubleVector one = DoubleVector.broadcast(DS, 1.0);
        int i = 0;
        for (; i < ub; i += DL) {
            one.div(one.add(ld(x, xo + i).neg().lanewise(EXP))).intoArray(o, oo + i);
        }
        return i;
    }

    private static int reluF64(double[] x, int xo, double[] o, int oo, int ub) {
        DoubleVector zero = DoubleVector.zero(DS);
        int i = 0;
        for (; i < ub; i += DL) {
            DoubleVector v = ld(x, xo + i);
            v.blend(zero, v.compare(LE, 0.0)).intoArray(o, oo + i);
        }
        return i;
    }

    private static int softplusF64(double[] x, int xo, double[] o, int oo, int ub) {
        DoubleVector zero = DoubleVector.zero(DS);
        int i = 0;
        for (; i < ub; i += DL) {
            DoubleVector v = ld(x, xo + i);
            v.lanewise(MAX, zero).add(v.abs().neg().lanewise(EXP).lanewise(LOG1P))
                    .intoArray(o, oo + i);
        }
        return i;
    }

    private static int signF64(double[] x, int xo, double[] o, int oo, int ub) {
        DoubleVector one = DoubleVector.broadcast(DS, 1.0);
        int i = 0;
        for (; i < ub; i += DL) {
            DoubleVector v = ld(x, xo + i);
            v.blend(one, v.compare(GT, 0.0)).blend(one.neg(), v.compare(LT, 0.0))
                    .intoArray(o, oo + i);
        }
        return i;
    }

    private static int roundF64(double[] x, int xo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) rint(ld(x, xo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int floorF64(double[] x, int xo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) {
            DoubleVector v = ld(x, xo + i), r = rint(v);
            copySign(r.sub(1.0, r.compare(GT, v)), v).intoArray(o, oo + i);
        }
        return i;
    }

    private static int ceilF64(double[] x, int xo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) {
            DoubleVector v = ld(x, xo + i), r = rint(v);
            copySign(r.add(1.0, r.compare(LT, v)), v).intoArray(o, oo + i);
        }
        return i;
    }

    private static int log1pF64(double[] x, int xo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) ld(x, xo + i).lanewise(LOG1P).intoArray(o, oo + i);
        return i;
    }

    private static int expm1F64(double[] x, int xo, double[] o, int oo, int ub) {
        int i = 0;
        for (; i < ub; i += DL) ld(x, xo + i).lanewise(EXPM1).intoArray(o, oo + i);
        return i;
    }



    private static DoubleVector ld(double[] a, int i) {
        return DoubleVector.fromArray(DS, a, i);
    }

    private static DoubleVector rint(DoubleVector v) {
        DoubleVector a = v.abs();
        DoubleVector r = a.add(TWO52).sub(TWO52);
        return copySign(a.blend(r, a.compare(LT, TWO52)), v);
    }

    private static DoubleVector copySign(DoubleVector mag, DoubleVector sign) {
        return mag.abs().reinterpretAsLongs()
                .or(sign.reinterpretAsLongs().and(0x8000000000000000L))
                .reinterpretAsDoubles();
    }
}
