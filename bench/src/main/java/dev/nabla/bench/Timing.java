package dev.nabla.bench;

/**
 * Seconds per call and its absolute error (JMH's 99.9% half-width; NaN when unknown). Ratios
 * propagate relative errors as if the two measurements were independent.
 */
record Timing(double seconds, double error) {

    double relError() {
        return Double.isNaN(error) || seconds == 0 ? Double.NaN : Math.abs(error / seconds);
    }

    Timing minus(Timing o) {
        return new Timing(seconds - o.seconds, Math.hypot(nanToZero(error), nanToZero(o.error)));
    }

    /** This time over o's, for "nabla takes x times PyTorch's time". */
    Timing over(Timing o) {
        double r = seconds / o.seconds;
        return new Timing(r, Math.abs(r) * combined(relError(), o.relError()));
    }

    /** This call's throughput over o's (o's time over this one's): above 1 when this is faster. */
    Timing speedupOver(Timing o) {
        return o.over(this);
    }

    Timing divide(double d) {
        return new Timing(seconds / d, error / d);
    }

    /** work / seconds, with the same relative error: a rate such as GFLOP/s when work is in 10⁹. */
    Timing rate(double work) {
        double r = work / seconds;
        return new Timing(r, r * relError());
    }

    private static double nanToZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static double combined(double a, double b) {
        if (Double.isNaN(a) && Double.isNaN(b)) return Double.NaN;
        return Math.hypot(nanToZero(a), nanToZero(b));
    }
}
