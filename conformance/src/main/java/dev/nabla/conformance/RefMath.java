package dev.nabla.conformance;

/**
 * Float64 definitions the JDK lacks, written independently of any backend: erf and erfc (a Taylor
 * series below 1, a continued fraction for the tail, both to about 1e-15 relative), and the exact
 * GELU x·Φ(x) = x/2·erfc(-x/√2).
 */
public final class RefMath {
    private RefMath() {}

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

    /** erf by its Maclaurin series; |x| < 1 keeps the terms below 3, so the sum loses < 2 digits. */
    private static double erfSeries(double x) {
        if (x == 0) return x;   // keeps the sign of zero
        double x2 = x * x, term = x, sum = x;
        for (int n = 1; n < 60; n++) {
            term *= -x2 / n;
            double t = term / (2 * n + 1);
            sum += t;
            if (Math.abs(t) < 1e-18 * Math.abs(sum)) break;
        }
        return TWO_OVER_SQRT_PI * sum;
    }

    /** erfc(x) for x >= 1 by the continued fraction e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) (modified Lentz). */
    private static double erfcFraction(double x) {
        double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 5000; n++) {
            double a = n / 2.0;
            d = x + a * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = x + a / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
    }

    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        if (Math.abs(x) < 1) return erfSeries(x);
        if (Double.isInfinite(x)) return Math.signum(x);
        double e = 1 - erfcFraction(Math.abs(x));
        return x < 0 ? -e : e;
    }

    public static double erfc(double x) {
        if (Double.isNaN(x)) return x;
        if (x == Double.POSITIVE_INFINITY) return 0;
        if (x == Double.NEGATIVE_INFINITY) return 2;
        if (Math.abs(x) < 1) return 1 - erfSeries(x);
        double t = erfcFraction(Math.abs(x));
        return x < 0 ? 2 - t : t;
    }

    /** x·Φ(x); its limit -0.0 at -inf. */
    public static double gelu(double x) {
        if (x == Double.NEGATIVE_INFINITY) return -0.0;
        return 0.5 * x * erfc(-x / Math.sqrt(2));
    }

    public static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    public static double softplus(double x) { return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))); }

    public static double relu(double x) { return x > 0 || Double.isNaN(x) ? x : 0.0; }
}
