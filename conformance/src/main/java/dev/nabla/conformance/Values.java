package dev.nabla.conformance;

import dev.nabla.DType;

import java.util.SplittableRandom;

/**
 * Seeded sample values drawn with the JDK's generator (never the engine's), rounded to the dtype
 * they will be stored in.
 */
public final class Values {
    private Values() {}

    /** Uniform in [lo, hi) rounded to the dtype; integers uniform in [ceil lo, floor hi]; BOOL fair coins. */
    public static Ref uniform(long seed, DType dtype, double lo, double hi, long... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[(int) Ref.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (dtype) {
                case F32 -> (float) (lo + (hi - lo) * r.nextDouble());
                case F64 -> lo + (hi - lo) * r.nextDouble();
                case I32, I64 -> (double) r.nextLong((long) Math.ceil(lo), (long) Math.floor(hi) + 1);
                case BOOL -> r.nextBoolean() ? 1 : 0;
            };
        }
        return Ref.of(v, shape);
    }

    /** Values with magnitude in [lo, hi] and a random sign (away from kinks at 0). */
    public static Ref signed(long seed, DType dtype, double lo, double hi, long... shape) {
        Ref m = uniform(seed, dtype, lo, hi, shape);
        SplittableRandom r = new SplittableRandom(~seed);
        double[] v = m.v().clone();
        for (int i = 0; i < v.length; i++) if (r.nextBoolean()) v[i] = -v[i];
        return Ref.of(v, shape);
    }

    /** The value as the dtype stores it. */
    public static double round(double v, DType dtype) {
        return switch (dtype) {
            case F32 -> (float) v;
            case F64 -> v;
            case I32 -> (int) v;
            case I64 -> (long) v;
            case BOOL -> v != 0 ? 1 : 0;
        };
    }
}
