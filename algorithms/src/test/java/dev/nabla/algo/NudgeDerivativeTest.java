package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The estimators of f'(0) from nudges on a circle, on functions with known Taylor series, and the
 * complex arithmetic they run on against java.lang.Math in float64.
 */
class NudgeDerivativeTest {

    private static final Tensor LIKE = Tensor.scalar(DType.F64, Device.cpu(), 0);

    private static double estimate(Function<Complex, Complex> f, double f0, double beta, int n) {
        return NudgeDerivative.estimate(f, Tensor.scalar(DType.F64, Device.cpu(), f0), beta, n).item();
    }

    @Test
    void cauchyEstimateOfExpAtBetaOneWithFourPointsIs1_0083361() {
        double est = estimate(Complex::exp, 1, 1.0, 4);
        assertEquals(1.0083361, est, 5e-8);
        // exactly: 1 + 1/5! + 1/9! + 1/13! + ...
        assertEquals(1 + 1 / factorial(5) + 1 / factorial(9) + 1 / factorial(13) + 1 / factorial(17), est, 1e-14);
    }

    /** (1/N) Σ (e^{βω^k} − 1)/(βω^k) keeps exactly the Taylor terms of degree 1 + mN: Σ_m β^{mN}/(1 + mN)!. */
    @Test
    void errorOfEveryEstimatorIsTheAliasedTaylorTerms() {
        for (double beta : new double[] {0.05, 0.5, 1.5}) {
            for (int n = 1; n <= 7; n++) {
                double expected = 0;
                for (int m = 0; m < 40; m++) expected += Math.pow(beta, (double) m * n) / factorial(1 + m * n);
                assertEquals(expected, estimate(Complex::exp, 1, beta, n), 1e-13 * expected, "beta " + beta + ", N " + n);
            }
        }
    }

    @Test
    void oneAndTwoNudgesAreTheFiniteDifferences() {
        double b = 0.3;
        assertEquals((Math.exp(b) - 1) / b, estimate(Complex::exp, 1, b, 1), 1e-15);
        assertEquals((Math.exp(b) - Math.exp(-b)) / (2 * b), estimate(Complex::exp, 1, b, 2), 1e-15);
        // a negative radius walks the circle from −|β|: the same estimates for N = 2 and up
        assertEquals(estimate(Complex::exp, 1, b, 4), estimate(Complex::exp, 1, -b, 4), 1e-15);
    }

    @Test
    void polynomialsOfDegreeBelowNPlusOneAreExact() {
        // f(z) = 2 + 3z + 5z² − z³: f'(0) = 3 exactly once N ≥ 3 (the z², z³ terms alias only for N ≤ 2)
        Function<Complex, Complex> f = z -> z.mul(z).mul(5.0).add(z.mul(3.0)).sub(z.mul(z).mul(z)).add(Complex.scalar(LIKE, 2, 0));
        for (int n = 3; n <= 6; n++) assertEquals(3, estimate(f, 2, 0.8, n), 1e-13, "N " + n);
        assertEquals(3 + 5 * 0.8 - 0.64, estimate(f, 2, 0.8, 1), 1e-13, "N = 1 keeps the z² and z³ terms");
        assertEquals(3 - 0.64, estimate(f, 2, 0.8, 2), 1e-13, "N = 2 keeps the z³ term");
    }

    @Test
    void complexFunctionsMatchMath() {
        double[][] points = {{0.3, -0.7}, {-2.5, 1.1}, {40, 2}, {-40, -2}, {0, 0}, {1.2, 3.0}, {-0.4, 0.0}};
        for (double[] p : points) {
            Complex z = Complex.scalar(LIKE, p[0], p[1]);
            double a = p[0], b = p[1];
            double ea = Math.exp(a);
            assertComplex(ea * Math.cos(b), ea * Math.sin(b), z.exp(), "exp", p);
            // 1/(1 + e^{-z}) by complex division in float64
            double wr = Math.exp(-a) * Math.cos(-b) + 1, wi = Math.exp(-a) * Math.sin(-b);
            double den = wr * wr + wi * wi;
            assertComplex(wr / den, -wi / den, z.sigmoid(), "sigmoid", p);
            Complex w = Complex.scalar(LIKE, 0.5, -1.5);
            assertComplex(a * 0.5 + b * 1.5, b * 0.5 - a * 1.5, z.mul(w), "mul", p);
            if (a != 0 || b != 0) assertComplex(a / (a * a + b * b), -b / (a * a + b * b), z.reciprocal(), "reciprocal", p);
        }
        // a real input stays real, on the real kernels
        assertNull(Complex.scalar(LIKE, 0.7, 0).sigmoid().im());
    }

    @Test
    void complexSoftmaxSumsToOneAndMatchesTheRealOneOnTheAxis() {
        Tensor re = Tensor.of(DType.F64, Device.cpu(), new double[] {1, 2, 3, -1, 0, 50}, 2, 3);
        Tensor im = Tensor.of(DType.F64, Device.cpu(), new double[] {0.1, -0.2, 0.3, 0.5, 0, -0.4}, 2, 3);
        Complex s = new Complex(re, im).softmax(1);
        double[] sr = s.re().sum(1).toDoubleArray(), si = s.im().sum(1).toDoubleArray();
        for (int i = 0; i < 2; i++) {
            assertEquals(1, sr[i], 1e-14);
            assertEquals(0, si[i], 1e-14);
        }
        // entry (0, 0) by hand: e^{z0} / Σ e^{zk}
        double[] zr = {1, 2, 3}, zi = {0.1, -0.2, 0.3};
        double dr = 0, di = 0;
        for (int k = 0; k < 3; k++) {
            dr += Math.exp(zr[k]) * Math.cos(zi[k]);
            di += Math.exp(zr[k]) * Math.sin(zi[k]);
        }
        double nr = Math.exp(1) * Math.cos(0.1), ni = Math.exp(1) * Math.sin(0.1), d2 = dr * dr + di * di;
        assertEquals((nr * dr + ni * di) / d2, s.re().toDoubleArray()[0], 1e-14);
        assertEquals((ni * dr - nr * di) / d2, s.im().toDoubleArray()[0], 1e-14);
        double[] real = Complex.real(re).softmax(1).re().toDoubleArray(), ref = re.softmax(1).toDoubleArray();
        for (int i = 0; i < ref.length; i++) assertEquals(ref[i], real[i], 0);
    }

    private static void assertComplex(double re, double im, Complex got, String what, double[] at) {
        String where = what + " at " + at[0] + (at[1] < 0 ? " - " : " + ") + Math.abs(at[1]) + "i";
        assertEquals(re, got.re().item(), 1e-13 * (1 + Math.abs(re)), where + " (real part)");
        double gi = got.im() == null ? 0 : got.im().item();
        assertEquals(im, gi, 1e-13 * (1 + Math.abs(im)), where + " (imaginary part)");
    }

    private static double factorial(int n) {
        double f = 1;
        for (int i = 2; i <= n; i++) f *= i;
        return f;
    }
}
