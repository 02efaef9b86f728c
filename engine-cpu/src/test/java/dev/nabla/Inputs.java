package dev.nabla;

import java.util.SplittableRandom;

/**
 * Seeded test data, drawn with the JDK's generator (never the engine's) and already rounded to
 * the dtype it will be stored in, so the float64 reference sees exactly the stored inputs.
 */
final class Inputs {

    private Inputs() {}

    /** Uniform values in [lo, hi), rounded to the dtype (integers: uniform whole numbers in [lo, hi]). */
    static double[] uniform(long seed, int n, double lo, double hi, DType dtype) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (dtype) {
                case F32 -> (float) (lo + (hi - lo) * r.nextDouble());
                case F64 -> lo + (hi - lo) * r.nextDouble();
                case I32, I64 -> (double) r.nextLong((long) Math.ceil(lo), (long) Math.floor(hi) + 1);
                case BOOL -> r.nextBoolean() ? 1 : 0;
            };
        }
        return v;
    }

    /** Values rounded to the dtype (float rounding, integer truncation, nonzero to 1 for BOOL). */
    static double[] round(double[] v, DType dtype) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = switch (dtype) {
                case F32 -> (float) v[i];
                case F64 -> v[i];
                case I32 -> (int) v[i];
                case I64 -> (long) v[i];
                case BOOL -> v[i] != 0 ? 1 : 0;
            };
        }
        return out;
    }

    /** A tensor holding exactly {@code v} (rounded to dtype), made through the matching {@code Tensor.of} overload. */
    static Tensor tensor(double[] v, DType dtype, long... shape) {
        // of(data) without a shape means 1-D, so a 0-d tensor goes through scalar(...)
        if (shape.length == 0) return Tensor.scalar(dtype, Device.cpu(), round(v, dtype)[0]);
        return switch (dtype) {
            case F32 -> {
                float[] a = new float[v.length];
                for (int i = 0; i < v.length; i++) a[i] = (float) v[i];
                yield Tensor.of(a, shape);
            }
            case F64 -> Tensor.of(v.clone(), shape);
            case I32 -> {
                int[] a = new int[v.length];
                for (int i = 0; i < v.length; i++) a[i] = (int) v[i];
                yield Tensor.of(a, shape);
            }
            case I64 -> {
                long[] a = new long[v.length];
                for (int i = 0; i < v.length; i++) a[i] = (long) v[i];
                yield Tensor.of(a, shape);
            }
            case BOOL -> {
                boolean[] a = new boolean[v.length];
                for (int i = 0; i < v.length; i++) a[i] = v[i] != 0;
                yield Tensor.of(a, shape);
            }
        };
    }

    /** A seeded uniform tensor and its reference twin. */
    static Pair random(long seed, DType dtype, double lo, double hi, long... shape) {
        double[] v = uniform(seed, (int) ReferenceArray.numel(shape), lo, hi, dtype);
        return new Pair(tensor(v, dtype, shape), ReferenceArray.of(v, shape.clone()));
    }

    /** An engine tensor and the reference holding the same values. */
    record Pair(Tensor t, ReferenceArray ref) {}
}
