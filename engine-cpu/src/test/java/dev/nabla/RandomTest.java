package dev.nabla;

import static dev.nabla.TensorAsserts.assertShape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * rand/randn: shapes, dtypes, reproducibility from a seed, and statistics (moments within 5 sigma,
 * Kolmogorov-Smirnov against the exact CDF at the 0.1% level).
 */
class RandomTest {

    private static final int N = 200_000;

    /** KS critical value at alpha = 0.001: sqrt(-ln(alpha / 2) / 2) / sqrt(n). */
    private static double ksCritical(int n) {
        return Math.sqrt(-Math.log(0.001 / 2) / 2) / Math.sqrt(n);
    }

    private static double ksStatistic(double[] sample, DoubleUnaryOperator cdf) {
        double[] s = sample.clone();
        Arrays.sort(s);
        int n = s.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            double f = cdf.applyAsDouble(s[i]);
            d = Math.max(d, Math.max(f - (double) i / n, (double) (i + 1) / n - f));
        }
        return d;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    private static double variance(double[] v) {
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return s / (v.length - 1);
    }

    private static double lagCorrelation(double[] a, double[] b) {
        double ma = mean(a), mb = mean(b), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    private static Tensor rand(DType dt, Generator g, long... shape) {
        return dt == DType.F32 ? Tensor.rand(g, shape) : Tensor.rand(dt, Device.cpu(), g, shape);
    }

    private static Tensor randn(DType dt, Generator g, long... shape) {
        return dt == DType.F32 ? Tensor.randn(g, shape) : Tensor.randn(dt, Device.cpu(), g, shape);
    }

    @Test
    void shapesAndDtypes() {
        Generator g = new Generator(1);
        Tensor a = Tensor.rand(g, 3, 4, 5);
        assertShape(a, 3, 4, 5);
        assertEquals(DType.F32, a.dtype());
        assertEquals(Device.cpu(), a.device());
        Tensor b = Tensor.randn(DType.F64, Device.cpu(), g, 7);
        assertShape(b, 7);
        assertEquals(DType.F64, b.dtype());
        assertShape(Tensor.rand(g), new long[0]);
        assertShape(Tensor.randn(g, 2, 0), 2, 0);
        assertEquals(DType.F64, Tensor.rand(DType.F64, Device.cpu(), g, 2).dtype());
        assertEquals(DType.F32, Tensor.randn(g, 2).dtype());
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void sameSeedGivesIdenticalTensors(DType dt) {
        Generator g1 = new Generator(1234), g2 = new Generator(1234);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(rand(dt, g1, 17, 3).toDoubleArray(), rand(dt, g2, 17, 3).toDoubleArray());
            assertArrayEquals(randn(dt, g1, 1001).toDoubleArray(), randn(dt, g2, 1001).toDoubleArray());
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void successiveDrawsAndOtherSeedsDiffer(DType dt) {
        Generator g = new Generator(99);
        double[] a = randn(dt, g, 1000).toDoubleArray();
        double[] b = randn(dt, g, 1000).toDoubleArray();
        double[] c = randn(dt, new Generator(100), 1000).toDoubleArray();
        assertFalse(Arrays.equals(a, b), "successive draws");
        assertFalse(Arrays.equals(a, c), "different seeds");
        int same = 0;
        for (int i = 0; i < a.length; i++) if (a[i] == b[i]) same++;
        assertTrue(same < 5, same + " equal elements between successive draws");
        double[] u1 = rand(dt, g, N).toDoubleArray(), u2 = rand(dt, g, N).toDoubleArray();
        assertTrue(Math.abs(lagCorrelation(u1, u2)) < 5 / Math.sqrt(N), "draws are uncorrelated");
    }

    @Test
    void eachDrawConsumesOneGeneratorOffset() {
        Generator g = new Generator(5);
        assertEquals(0, g.offset());
        Tensor first = Tensor.rand(g, 10);
        Tensor.randn(g, 1000);
        assertEquals(2, g.offset());
        g.setOffset(0);
        assertArrayEquals(first.toFloatArray(), Tensor.rand(g, 10).toFloatArray(), "replaying offset 0");
        assertEquals(1, g.offset());
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void randIsUniformOnTheHalfOpenUnitInterval(DType dt) {
        double[] u = rand(dt, new Generator(7), N).toDoubleArray();
        for (double x : u) assertTrue(x >= 0 && x < 1, "value " + x + " outside [0, 1)");
        double m = mean(u), v = variance(u);
        assertEquals(0.5, m, 5 * Math.sqrt(1.0 / 12 / N), "mean");
        assertEquals(1.0 / 12, v, 5 * Math.sqrt(1.0 / 180 / N), "variance");
        double d = ksStatistic(u, x -> Math.min(1, Math.max(0, x)));
        assertTrue(d < ksCritical(N), "KS D = " + d + " >= " + ksCritical(N));
        double[] next = Arrays.copyOfRange(u, 1, N), prev = Arrays.copyOf(u, N - 1);
        assertTrue(Math.abs(lagCorrelation(prev, next)) < 5 / Math.sqrt(N), "neighbours are uncorrelated");
        long distinct = Arrays.stream(u).distinct().count();
        assertTrue(distinct > N * 0.98, distinct + " distinct values of " + N);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void randnIsStandardNormal(DType dt) {
        double[] z = randn(dt, new Generator(8), 400, 500).toDoubleArray();
        int n = z.length;
        for (double x : z) assertTrue(Double.isFinite(x), "finite");
        assertEquals(0, mean(z), 5 / Math.sqrt(n), "mean");
        assertEquals(1, variance(z), 5 * Math.sqrt(2.0 / n), "variance");
        double d = ksStatistic(z, NormalDistribution::cdf);
        assertTrue(d < ksCritical(n), "KS D = " + d + " >= " + ksCritical(n));
        double p = 2 * NormalDistribution.cdf(-3);
        long tails = Arrays.stream(z).filter(x -> Math.abs(x) > 3).count();
        assertEquals(p * n, tails, 5 * Math.sqrt(n * p * (1 - p)), "mass beyond 3 sigma");
        double[] next = Arrays.copyOfRange(z, 1, n), prev = Arrays.copyOf(z, n - 1);
        assertTrue(Math.abs(lagCorrelation(prev, next)) < 5 / Math.sqrt(n), "neighbours are uncorrelated");
    }

    @Test
    void normalCdfReferenceIsPrecise() {
        // the test's own CDF against known values (Abramowitz & Stegun tables, higher precision sources)
        assertEquals(0.5, NormalDistribution.cdf(0), 1e-16);
        assertEquals(0.8413447460685429, NormalDistribution.cdf(1), 1e-15);
        assertEquals(0.9772498680518208, NormalDistribution.cdf(2), 1e-15);
        assertEquals(0.0013498980316300946, NormalDistribution.cdf(-3), 1e-17);
        assertEquals(2.866515718791939e-7, NormalDistribution.cdf(-5), 1e-20);
        assertEquals(0.5204998778130465, NormalDistribution.erf(0.5), 2e-16);
        assertEquals(0.9999779095030014, NormalDistribution.erf(3), 1e-16);
        assertEquals(1.541725790028002e-8, NormalDistribution.erfc(4), 1e-22);
    }
}
