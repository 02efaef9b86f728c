package dev.nabla.bench;

import java.util.Locale;

/** Number formatting for the report: three significant figures, errors as ±, durations with units. */
final class Fmt {
    private Fmt() {}

    static String sig(double v) {
        if (Double.isNaN(v)) return "-";
        double a = Math.abs(v);
        String pattern = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3g";
        return String.format(Locale.ROOT, pattern, v);
    }

    /** "v ± e" from a value and its absolute error (NaN: no error shown); "-" for null. */
    static String value(Timing t) {
        if (t == null) return "-";
        return Double.isNaN(t.error()) ? sig(t.seconds()) : sig(t.seconds()) + " ± " + sig(t.error());
    }

    /** A ratio with its error, as "1.23 ± 0.05"; "-" for null. */
    static String ratio(Timing r) {
        return value(r);
    }

    static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }

    /** A time per call with a unit chosen for its size, with its error. */
    static String duration(Timing t) {
        if (t == null) return "not measured";
        double s = Math.abs(t.seconds());
        double scale = s >= 1 ? 1 : s >= 1e-3 ? 1e3 : 1e6;
        String unit = s >= 1 ? " s" : s >= 1e-3 ? " ms" : " µs";
        String v = sig(t.seconds() * scale);
        return Double.isNaN(t.error()) ? v + unit : v + " ± " + sig(t.error() * scale) + unit;
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
