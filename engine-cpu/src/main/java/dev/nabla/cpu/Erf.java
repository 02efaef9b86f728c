package dev.nabla.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * erf, erfc and the exact GELU, in float64, scalar and vector. W. J. Cody's rational Chebyshev
 * approximations (Math. Comp. 23, 1969), relative error near 1e-16: erf itself on |x| ≤ 0.46875,
 * erfc(|x|)·e^{x²} on (0.46875, 4], and an asymptotic form in 1/x² beyond. Only the intervals that
 * some lane of a vector needs are evaluated. F32 kernels widen to these and round once, which is
 * within half an ulp of the true value.
 *
 * <p>GELU is x·Φ(x) = x/2·erfc(-x/√2): through erfc it keeps full relative accuracy in the left tail,
 * where 1 + erf(x/√2) would cancel.
 */
final class Erf {
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private static final double THRESH = 0.46875;
    private static final double SQRPI = 5.6418958354775628695e-1; // 1/sqrt(pi)
    private static final double INV_SQRT2 = 0.70710678118654752440;

    private static final double A0 = 3.16112374387056560e00, A1 = 1.13864154151050156e02,
            A2 = 3.77485237685302021e02, A3 = 3.20937758913846947e03, A4 = 1.85777706184603153e-1;
    private static final double B0 = 2.36012909523441209e01, B1 = 2.44024637934444173e02,
            B2 = 1.28261652607737228e03, B3 = 2.84423683343917062e03;
    private static final double[] C = {5.64188496988670089e-1, 8.88314979438837594e00,
            6.61191906371416295e01, 2.98635138197400131e02, 8.81952221241769090e02,
            1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03,
            2.15311535474403846e-8};
    private static final double[] D = {1.57449261107098347e01, 1.17693950891312499e02,
            5.37181101862009858e02, 1.62138957456669019e03, 3.29079923573345963e03,
            4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03};
    private static final double[] P = {3.05326634961232344e-1, 3.60344899949804439e-1,
            1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4,
            1.63153871373020978e-2};
    private static final double[] Q = {2.56852019228982242e00, 1.87295284992346047e00,
            5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3};

    private Erf() {}

    // ---- scalar ---------------------------------------------------------------------------------

    /** erf(x) for |x| ≤ THRESH. */
    private static double small(double x) {
        double z = x * x;
        double num = A4 * z, den = z;
        num = (num + A0) * z; den = (den + B0) * z;
        num = (num + A1) * z; den = (den + B1) * z;
        num = (num + A2) * z; den = (den + B2) * z;
        return x * (num + A3) / (den + B3);
    }

    /** erfc(y) for y > THRESH (NaN for NaN). */
    private static double tail(double y) {
        double r;
        if (y <= 4.0) {
            double num = C[8] * y, den = y;
            for (int i = 0; i < 7; i++) {
                num = (num + C[i]) * y;
                den = (den + D[i]) * y;
            }
            r = (num + C[7]) / (den + D[7]);
        } else {
            double z = 1.0 / (y * y);
            double num = P[5] * z, den = z;
            for (int i = 0; i < 4; i++) {
                num = (num + P[i]) * z;
                den = (den + Q[i]) * z;
            }
            r = (SQRPI - z * (num + P[4]) / (den + Q[4])) / y;
        }
        return r * Math.exp(-y * y);
    }

    static double erf(double x) {
        double y = Math.abs(x);
        if (y <= THRESH) return small(x);
        if (y != y) return x;
        double e = 1.0 - tail(y);
        return x < 0 ? -e : e;
    }

    static double erfc(double x) {
        double y = Math.abs(x);
        if (y <= THRESH) return 1.0 - small(x);
        if (y != y) return x;
        double e = tail(y);
        return x < 0 ? 2.0 - e : e;
    }

    /** gelu(-inf) is its limit -0.0 rather than -inf·0. */
    static double gelu(double x) {
        if (x == Double.NEGATIVE_INFINITY) return -0.0;
        return 0.5 * x * erfc(-x * INV_SQRT2);
    }

    // ---- vector ---------------------------------------------------------------------------------

    /** o[oo + i] = erf(x) or gelu(x) for i &lt; n; a float64 scalar tail. */
    static void f64(boolean gelu, double[] x, int xo, double[] o, int oo, int n) {
        int ub = S.loopBound(n);
        block(gelu, x, xo, o, oo, ub);
        for (int i = ub; i < n; i++) o[oo + i] = gelu ? gelu(x[xo + i]) : erf(x[xo + i]);
    }

    /** F32 in and out, computed in F64 a block at a time and rounded once. */
    static void f32(boolean gelu, float[] x, int xo, float[] o, int oo, int n) {
        double[] buf = new double[Math.min(n, 1024)];
        for (int b = 0; b < n; b += buf.length) {
            int len = Math.min(buf.length, n - b);
            for (int j = 0; j < len; j++) buf[j] = x[xo + b + j];
            f64(gelu, buf, 0, buf, 0, len);
            for (int j = 0; j < len; j++) o[oo + b + j] = (float) buf[j];
        }
    }

    /**
     * The vector loop over ub (a multiple of the lane count) elements. Everything is in this one
     * method on purpose: a helper taking or returning vectors is too big for the JIT to inline,
     * and a vector crossing a call boundary is boxed (measured: 2-3x slower). Only the intervals
     * that some lane needs are evaluated.
     */
    private static void block(boolean gelu, double[] x, int xo, double[] o, int oo, int ub) {
        DoubleVector zero = DoubleVector.zero(S), one = DoubleVector.broadcast(S, 1.0);
        for (int i = 0; i < ub; i += S.length()) {
            DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
            // gelu(v) = v/2 · erfc(-v/√2); erf needs erf(v)
            DoubleVector t = gelu ? v.mul(-INV_SQRT2) : v;
            DoubleVector y = t.abs();
            VectorMask<Double> isSmall = y.compare(VectorOperators.LE, THRESH);
            DoubleVector s = zero; // erf(t) on small lanes
            if (isSmall.anyTrue()) {
                DoubleVector z = t.mul(t);
                DoubleVector num = z.mul(A4), den = z;
                num = num.add(A0).mul(z); den = den.add(B0).mul(z);
                num = num.add(A1).mul(z); den = den.add(B1).mul(z);
                num = num.add(A2).mul(z); den = den.add(B2).mul(z);
                s = t.mul(num.add(A3)).div(den.add(B3));
            }
            DoubleVector e = zero; // erfc(|t|) on the other lanes
            if (!isSmall.allTrue()) {
                VectorMask<Double> mid = y.compare(VectorOperators.LE, 4.0);
                DoubleVector r = zero;
                if (mid.anyTrue()) {
                    DoubleVector num = y.mul(C[8]), den = y;
                    num = num.add(C[0]).mul(y); den = den.add(D[0]).mul(y);
                    num = num.add(C[1]).mul(y); den = den.add(D[1]).mul(y);
                    num = num.add(C[2]).mul(y); den = den.add(D[2]).mul(y);
                    num = num.add(C[3]).mul(y); den = den.add(D[3]).mul(y);
                    num = num.add(C[4]).mul(y); den = den.add(D[4]).mul(y);
                    num = num.add(C[5]).mul(y); den = den.add(D[5]).mul(y);
                    num = num.add(C[6]).mul(y); den = den.add(D[6]).mul(y);
                    r = num.add(C[7]).div(den.add(D[7]));
                }
                if (!mid.allTrue()) {
                    DoubleVector z = one.div(y.mul(y));
                    DoubleVector num = z.mul(P[5]), den = z;
                    num = num.add(P[0]).mul(z); den = den.add(Q[0]).mul(z);
                    num = num.add(P[1]).mul(z); den = den.add(Q[1]).mul(z);
                    num = num.add(P[2]).mul(z); den = den.add(Q[2]).mul(z);
                    num = num.add(P[3]).mul(z); den = den.add(Q[3]).mul(z);
                    DoubleVector far = DoubleVector.broadcast(S, SQRPI)
                            .sub(z.mul(num.add(P[4])).div(den.add(Q[4]))).div(y);
                    r = far.blend(r, mid);
                }
                e = r.mul(y.mul(y).neg().lanewise(VectorOperators.EXP));
            }
            VectorMask<Double> negative = t.compare(VectorOperators.LT, 0.0);
            DoubleVector res;
            if (gelu) {
                DoubleVector c = e.blend(DoubleVector.broadcast(S, 2.0).sub(e), negative)
                        .blend(one.sub(s), isSmall);
                res = v.mul(0.5).mul(c).blend(-0.0, v.compare(VectorOperators.EQ, Double.NEGATIVE_INFINITY));
            } else {
                DoubleVector f = one.sub(e);
                res = f.blend(f.neg(), negative).blend(s, isSmall);
            }
            res.intoArray(o, oo + i);
        }
    }
}
