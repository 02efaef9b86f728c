package dev.nabla;

/**
 * Named tolerance presets: a value passes when {@code |actual - expected| <= atol + rtol * scale},
 * where scale is {@code |expected|} or, for sums, the magnitude the rounding errors grow with.
 * NaN matches only NaN and an infinity only the same infinity.
 *
 * <pre>{@code
 * Tolerance.of(DType.F32).accepts(1.0, 1.0000001);   // true
 * }</pre>
 */
record Tolerance(double rtol, double atol) {

    static final Tolerance F32 = new Tolerance(1.3e-6, 1e-5);
    static final Tolerance F64 = new Tolerance(1e-12, 1e-12);
    static final Tolerance EXACT = new Tolerance(0, 0);

    /** The elementwise preset for a dtype: integers and bools are exact. */
    static Tolerance of(DType dtype) {
        return switch (dtype) {
            case F32 -> F32;
            case F64 -> F64;
            default -> EXACT;
        };
    }

    /** Same preset widened for an accumulation over {@code k} terms: error grows like sqrt(k). */
    Tolerance forSumOf(long k) {
        return new Tolerance(rtol * Math.max(1, Math.sqrt(k)), atol);
    }

    boolean accepts(double expected, double actual) {
        return accepts(expected, actual, Math.abs(expected));
    }

    boolean accepts(double expected, double actual, double scale) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) return Double.isNaN(expected) && Double.isNaN(actual);
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) return expected == actual;
        return Math.abs(actual - expected) <= atol + rtol * Math.max(scale, Math.abs(expected));
    }
}
