package dev.nabla.spi;

import dev.nabla.BackendUnavailableException;
import dev.nabla.DType;

/**
 * The order in which sparse compression ranks entries, shared by the frontend and every backend
 * (the GPU kernels compute the same keys in {@code sparse.kc}): a float's bit pattern mapped to a
 * signed 64-bit key whose order is the value order of {@link Double#compare}: −∞ lowest, −0.0
 * just below +0.0, +∞, then every NaN (one key). F32 keys are the float's 32 bits so mapped, widened;
 * they never pass {@link Integer#MAX_VALUE}. Working on keys instead of values lets the frontend
 * bisect over every representable threshold exactly, in at most 64 (F32: 32) steps.
 *
 * <pre>{@code
 * SparseKeys.f64(-0.0) < SparseKeys.f64(0.0);                      // true
 * SparseKeys.valueF64(SparseKeys.f64(0.25)) == 0.25;               // true
 * }</pre>
 */
public final class SparseKeys {
    private SparseKeys() {}

    /** The key of a double. */
    public static long f64(double v) {
        if (v != v) return Long.MAX_VALUE;
        long b = Double.doubleToRawLongBits(v);
        return b >= 0 ? b : b ^ Long.MAX_VALUE;
    }

    /** The key of a float. */
    public static long f32(float v) {
        if (v != v) return Integer.MAX_VALUE;
        int b = Float.floatToRawIntBits(v);
        return b >= 0 ? b : b ^ Integer.MAX_VALUE;
    }

    /** The double whose key is {@code key} (a NaN for the keys above +∞'s). */
    public static double valueF64(long key) {
        return Double.longBitsToDouble(key >= 0 ? key : key ^ Long.MAX_VALUE);
    }

    /** The float whose key is {@code key}, which must lie in the int range. */
    public static float valueF32(long key) {
        int k = (int) key;
        return Float.intBitsToFloat(k >= 0 ? k : k ^ Integer.MAX_VALUE);
    }

    /** The key of v as the dtype (F32 or F64) holds it: v rounded to float first for F32. */
    public static long of(DType t, double v) {
        return t == DType.F32 ? f32((float) v) : f64(v);
    }

    /** The value of a key as a double, for the dtype's key space. */
    public static double value(DType t, long key) {
        return t == DType.F32 ? valueF32(key) : valueF64(key);
    }

    /**
     * The smallest key whose values are all greater than t in the dtype: entries with |x| > t are
     * those whose magnitude key is at least this. t must not be NaN.
     */
    public static long above(DType t, double threshold) {
        double th = threshold == 0 ? 0.0 : threshold;   // -0.0: |x| > -0.0 means |x| > 0
        if (t == DType.F32) {
            float f = (float) th;
            if (f > th) f = Math.nextDown(f);            // the largest float not above the threshold
            return f32(f) + 1;
        }
        return f64(th) + 1;
    }

    /** What a backend without sparse kernels throws. */
    public static BackendUnavailableException unsupported(String kind, String op) {
        return new BackendUnavailableException(op + ": the " + kind + " backend has no sparse kernels");
    }
}
