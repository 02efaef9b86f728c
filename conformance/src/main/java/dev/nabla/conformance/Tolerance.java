package dev.nabla.conformance;

import dev.nabla.DType;

/**
 * The named tolerance presets: a value passes when |actual - expected| <= atol + rtol·scale, scale
 * being max(|expected|, the reference's magnitude for sums). NaN matches only NaN, an infinity only
 * the same infinity.
 * <ul>
 *   <li>cpu, F32: elementwise rtol 1.3e-6, atol 1e-5 (PyTorch's defaults); accumulations
 *   rtol = atol = 1e-6·√K;</li>
 *   <li>other backends, F32: elementwise rtol = atol = 1e-4; accumulations 1e-3 (their
 *   transcendentals and summation orders differ from the CPU's);</li>
 *   <li>F64 everywhere: rtol = atol = 1e-12·√K (K = 1 elementwise);</li>
 *   <li>integers, BOOL and {@link Kind#EXACT} ops: exact.</li>
 * </ul>
 */
public record Tolerance(double rtol, double atol) {
    public static final Tolerance EXACT = new Tolerance(0, 0);

    public static Tolerance of(String backendKind, DType dtype, Kind kind, long terms) {
        if (!dtype.isFloating() || kind == Kind.EXACT) return EXACT;
        double sk = Math.sqrt(Math.max(1, terms));
        if (dtype == DType.F64) return new Tolerance(1e-12 * sk, 1e-12 * sk);
        boolean cpu = backendKind.equals("cpu");
        if (kind == Kind.ELEMENTWISE) return cpu ? new Tolerance(1.3e-6, 1e-5) : new Tolerance(1e-4, 1e-4);
        return cpu ? new Tolerance(1e-6 * sk, 1e-6 * sk) : new Tolerance(1e-3, 1e-3);
    }

    public boolean accepts(double expected, double actual, double scale) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) return Double.isNaN(expected) && Double.isNaN(actual);
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) return expected == actual;
        if (rtol == 0 && atol == 0) return Double.doubleToLongBits(expected) == Double.doubleToLongBits(actual);
        return Math.abs(actual - expected) <= atol + rtol * Math.max(scale, Math.abs(expected));
    }

    @Override
    public String toString() {
        return rtol == 0 && atol == 0 ? "exact" : "rtol " + rtol + ", atol " + atol;
    }
}
