package dev.nabla.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class PhiloxTest {

    private static final int N = 1_000_000;
    private static final double KS_CRIT_0_1_PERCENT = 1.95;

    // ---------------------------------------------------------------- block known answers

    private static int[] block(int c0, int c1, int c2, int c3, int k0, int k1) {
        int[] out = new int[4];
        Philox.block(c0, c1, c2, c3, k0, k1, out);
        return out;
    }

    @Test
    void random123KnownAnswerZero() {
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
                block(0, 0, 0, 0, 0, 0));
    }

    @Test
    void random123KnownAnswerAllOnes() {
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
                block(-1, -1, -1, -1, -1, -1));
    }

    @Test
    void random123KnownAnswerPi() {
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0));
    }

    // ---------------------------------------------------------------- stream layout

    /** Seeds and offsets that exercise both 32-bit halves. */
    private static final long[] SEEDS = {0L, 42L, 0x1234_5678_9ABC_DEF0L, -1L};
    private static final long[] OFFSETS = {0L, 1L, 0x0000_0007_0000_0003L, Long.MIN_VALUE};

    private static int[] streamBlock(long seed, long offset, long j) {
        return block((int) j, (int) (j >>> 32), (int) offset, (int) (offset >>> 32),
                (int) seed, (int) (seed >>> 32));
    }

    private static long u(int w) {
        return Integer.toUnsignedLong(w);
    }

    /** Straightforward per-element reference of the documented layout. */
    private static float refUniformF32(long seed, long offset, int i) {
        int w = streamBlock(seed, offset, i / 4)[i % 4];
        return (float) ((u(w) >>> 8) * Math.pow(2, -24));
    }

    private static double refUniformF64(long seed, long offset, int i) {
        int[] w = streamBlock(seed, offset, i / 2);
        int r = i % 2;
        long v = (u(w[2 * r]) << 32) | u(w[2 * r + 1]);
        return (v >>> 11) * Math.pow(2, -53);
    }

    private static float refNormalF32(long seed, long offset, int i) {
        int[] w = streamBlock(seed, offset, i / 4);
        int q = (i % 4) / 2;
        double u1 = (u(w[2 * q]) + 1.0) * Math.pow(2, -32);
        double u2 = u(w[2 * q + 1]) * Math.pow(2, -32);
        double r = StrictMath.sqrt(-2 * StrictMath.log(u1));
        double t = 2 * Math.PI * u2;
        return (float) (i % 2 == 0 ? r * StrictMath.cos(t) : r * StrictMath.sin(t));
    }

    private static double refNormalF64(long seed, long offset, int i) {
        int[] w = streamBlock(seed, offset, i / 2);
        long a = (u(w[0]) << 32) | u(w[1]);
        long b = (u(w[2]) << 32) | u(w[3]);
        double u1 = ((a >>> 11) + 1) * Math.pow(2, -53);
        double u2 = (b >>> 11) * Math.pow(2, -53);
        double r = StrictMath.sqrt(-2 * StrictMath.log(u1));
        double t = 2 * Math.PI * u2;
        return i % 2 == 0 ? r * StrictMath.cos(t) : r * StrictMath.sin(t);
    }

    @Test
    void streamsMatchDocumentedLayout() {
        int n = 37;
        for (long seed : SEEDS) {
            for (long off : OFFSETS) {
                float[] uf = new float[n];
                double[] ud = new double[n];
                float[] nf = new float[n];
                double[] nd = new double[n];
                Philox.uniformF32(seed, off, uf, 0, n);
                Philox.uniformF64(seed, off, ud, 0, n);
                Philox.normalF32(seed, off, nf, 0, n);
                Philox.normalF64(seed, off, nd, 0, n);
                for (int i = 0; i < n; i++) {
                    assertEquals(Float.floatToRawIntBits(refUniformF32(seed, off, i)),
                            Float.floatToRawIntBits(uf[i]), "uniformF32 " + i);
                    assertEquals(Double.doubleToRawLongBits(refUniformF64(seed, off, i)),
                            Double.doubleToRawLongBits(ud[i]), "uniformF64 " + i);
                    assertEquals(Float.floatToRawIntBits(refNormalF32(seed, off, i)),
                            Float.floatToRawIntBits(nf[i]), "normalF32 " + i);
                    assertEquals(Double.doubleToRawLongBits(refNormalF64(seed, off, i)),
                            Double.doubleToRawLongBits(nd[i]), "normalF64 " + i);
                }
            }
        }
    }

    @Test
    void firstUniformF32IsTopBitsOfKnownAnswerBlock() {
        // seed 0, offset 0: block 0 is the all-zero Random123 vector.
        float[] out = new float[4];
        Philox.uniformF32(0L, 0L, out, 0, 4);
        assertEquals((0x6627e8d5 >>> 8) * 0x1p-24f, out[0]);
        assertEquals((0xe169c58d >>> 8) * 0x1p-24f, out[1]);
        assertEquals((0xbc57ac4c >>> 8) * 0x1p-24f, out[2]);
        assertEquals((0x9b00dbd8 >>> 8) * 0x1p-24f, out[3]);
        double[] d = new double[2];
        Philox.uniformF64(0L, 0L, d, 0, 2);
        assertEquals((0x6627e8d5e169c58dL >>> 11) * 0x1p-53, d[0]);
        assertEquals((0xbc57ac4c9b00dbd8L >>> 11) * 0x1p-53, d[1]);
    }

    // ---------------------------------------------------------------- range-split independence

    private interface F32Fill {
        void fill(long seed, long offset, float[] out, int from, int to);
    }

    private interface F64Fill {
        void fill(long seed, long offset, double[] out, int from, int to);
    }

    private static final int[] PIECES = {1, 3, 5, 2, 7, 1, 1, 9, 13, 4, 11, 6, 3};

    private static void splitF32(F32Fill f, long seed, long off, float[] out) {
        int i = 0;
        int p = 0;
        while (i < out.length) {
            int end = Math.min(out.length, i + PIECES[p++ % PIECES.length]);
            f.fill(seed, off, out, i, end);
            i = end;
        }
    }

    private static void splitF64(F64Fill f, long seed, long off, double[] out) {
        int i = 0;
        int p = 0;
        while (i < out.length) {
            int end = Math.min(out.length, i + PIECES[p++ % PIECES.length]);
            f.fill(seed, off, out, i, end);
            i = end;
        }
    }

    private static void checkSplitF32(F32Fill f) {
        for (int n : new int[] {0, 1, 2, 3, 5, 8, 101, 1000}) {
            for (long seed : SEEDS) {
                for (long off : OFFSETS) {
                    float[] whole = new float[n];
                    f.fill(seed, off, whole, 0, n);
                    float[] pieces = new float[n];
                    splitF32(f, seed, off, pieces);
                    assertArrayEquals(whole, pieces, "n=" + n);
                    // A sub-range must not touch anything outside it.
                    if (n >= 5) {
                        float[] sub = new float[n];
                        Arrays.fill(sub, -7f);
                        f.fill(seed, off, sub, 1, n - 2);
                        assertEquals(-7f, sub[0]);
                        assertEquals(-7f, sub[n - 2]);
                        assertEquals(-7f, sub[n - 1]);
                        assertArrayEquals(Arrays.copyOfRange(whole, 1, n - 2),
                                Arrays.copyOfRange(sub, 1, n - 2));
                    }
                }
            }
        }
    }

    private static void checkSplitF64(F64Fill f) {
        for (int n : new int[] {0, 1, 2, 3, 5, 8, 101, 1000}) {
            for (long seed : SEEDS) {
                for (long off : OFFSETS) {
                    double[] whole = new double[n];
                    f.fill(seed, off, whole, 0, n);
                    double[] pieces = new double[n];
                    splitF64(f, seed, off, pieces);
                    assertArrayEquals(whole, pieces, "n=" + n);
                    if (n >= 5) {
                        double[] sub = new double[n];
                        Arrays.fill(sub, -7.0);
                        f.fill(seed, off, sub, 1, n - 2);
                        assertEquals(-7.0, sub[0]);
                        assertEquals(-7.0, sub[n - 2]);
                        assertEquals(-7.0, sub[n - 1]);
                        assertArrayEquals(Arrays.copyOfRange(whole, 1, n - 2),
                                Arrays.copyOfRange(sub, 1, n - 2));
                    }
                }
            }
        }
    }

    @Test
    void rangeSplitIndependenceUniformF32() {
        checkSplitF32(Philox::uniformF32);
    }

    @Test
    void rangeSplitIndependenceUniformF64() {
        checkSplitF64(Philox::uniformF64);
    }

    @Test
    void rangeSplitIndependenceNormalF32() {
        checkSplitF32(Philox::normalF32);
    }

    @Test
    void rangeSplitIndependenceNormalF64() {
        checkSplitF64(Philox::normalF64);
    }

    @Test
    void parallelChunksEqualSequentialFill() throws Exception {
        int n = 1 << 20;
        float[] seq = new float[n];
        Philox.normalF32(7L, 3L, seq, 0, n);
        float[] par = new float[n];
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            int chunk = 12_345; // deliberately not a multiple of the block size
            Future<?>[] fs = new Future<?>[(n + chunk - 1) / chunk];
            for (int c = 0; c < fs.length; c++) {
                int from = c * chunk;
                int to = Math.min(n, from + chunk);
                fs[c] = pool.submit(() -> Philox.normalF32(7L, 3L, par, from, to));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertArrayEquals(seq, par);
    }

    @Test
    void badRangesAreRejected() {
        float[] f = new float[4];
        assertThrows(IndexOutOfBoundsException.class, () -> Philox.uniformF32(0, 0, f, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> Philox.uniformF32(0, 0, f, 3, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> Philox.normalF32(0, 0, f, 0, 5));
        double[] d = new double[4];
        assertThrows(IndexOutOfBoundsException.class, () -> Philox.uniformF64(0, 0, d, 0, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> Philox.normalF64(0, 0, d, -2, 1));
    }

    // ---------------------------------------------------------------- ranges

    @Test
    void uniformValuesInUnitInterval() {
        float[] f = new float[N];
        double[] d = new double[N];
        Philox.uniformF32(11L, 0L, f, 0, N);
        Philox.uniformF64(11L, 0L, d, 0, N);
        for (int i = 0; i < N; i++) {
            assertTrue(f[i] >= 0f && f[i] < 1f, "f32 " + f[i]);
            assertTrue(d[i] >= 0.0 && d[i] < 1.0, "f64 " + d[i]);
        }
    }

    @Test
    void normalValuesFiniteAndBounded() {
        float[] f = new float[N];
        double[] d = new double[N];
        Philox.normalF32(13L, 5L, f, 0, N);
        Philox.normalF64(13L, 5L, d, 0, N);
        // |z| <= sqrt(-2 ln u1_min): u1_min = 2^-32 (f32 path), 2^-53 (f64 path).
        double maxF = Math.sqrt(64 * Math.log(2)) + 1e-6;
        double maxD = Math.sqrt(106 * Math.log(2)) + 1e-9;
        for (int i = 0; i < N; i++) {
            assertTrue(Float.isFinite(f[i]) && Math.abs(f[i]) <= maxF, "f32 " + f[i]);
            assertTrue(Double.isFinite(d[i]) && Math.abs(d[i]) <= maxD, "f64 " + d[i]);
        }
        // Each Box-Muller pair lies on a circle of radius sqrt(-2 ln u1) > 0 or exactly 0.
        for (int i = 0; i < N; i += 2) {
            assertFalse(Double.isNaN(Math.hypot(d[i], d[i + 1])));
        }
    }

    // ---------------------------------------------------------------- statistics

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double variance(double[] x, double mean) {
        double s = 0;
        for (double v : x) {
            double d = v - mean;
            s += d * d;
        }
        return s / (x.length - 1);
    }

    /** Kolmogorov-Smirnov statistic D * sqrt(n) of x against cdf. */
    private static double ksStatistic(double[] x, DoubleUnaryOperator cdf) {
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            double fx = cdf.applyAsDouble(s[i]);
            d = Math.max(d, Math.max(fx - (double) i / n, (double) (i + 1) / n - fx));
        }
        return d * Math.sqrt(n);
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static void checkUniformStats(double[] x) {
        int n = x.length;
        double m = mean(x);
        double v = variance(x, m);
        // Var(X) = 1/12; Var((X - 1/2)^2) = 1/80 - 1/144 = 1/180.
        assertEquals(0.5, m, 5 * Math.sqrt(1.0 / 12 / n), "mean");
        assertEquals(1.0 / 12, v, 5 * Math.sqrt(1.0 / 180 / n), "variance");
        double ks = ksStatistic(x, t -> Math.min(1, Math.max(0, t)));
        assertTrue(ks < KS_CRIT_0_1_PERCENT, "KS D*sqrt(n) = " + ks);
    }

    private static void checkNormalStats(double[] x) {
        int n = x.length;
        double m = mean(x);
        double v = variance(x, m);
        // Var(Z) = 1; Var(Z^2) = 2.
        assertEquals(0.0, m, 5 * Math.sqrt(1.0 / n), "mean");
        assertEquals(1.0, v, 5 * Math.sqrt(2.0 / n), "variance");
        double ks = ksStatistic(x, PhiloxTest::normalCdf);
        assertTrue(ks < KS_CRIT_0_1_PERCENT, "KS D*sqrt(n) = " + ks);
    }

    @Test
    void uniformF32Statistics() {
        float[] f = new float[N];
        Philox.uniformF32(20240601L, 0L, f, 0, N);
        checkUniformStats(toDouble(f));
    }

    @Test
    void uniformF64Statistics() {
        double[] d = new double[N];
        Philox.uniformF64(20240601L, 1L, d, 0, N);
        checkUniformStats(d);
    }

    @Test
    void normalF32Statistics() {
        float[] f = new float[N];
        Philox.normalF32(20240601L, 2L, f, 0, N);
        checkNormalStats(toDouble(f));
    }

    @Test
    void normalF64Statistics() {
        double[] d = new double[N];
        Philox.normalF64(20240601L, 3L, d, 0, N);
        checkNormalStats(d);
    }

    @Test
    void normalPairsAreUncorrelated() {
        // cos/sin halves of each Box-Muller pair must be uncorrelated.
        double[] d = new double[N];
        Philox.normalF64(99L, 0L, d, 0, N);
        double s = 0;
        for (int i = 0; i < N; i += 2) {
            s += d[i] * d[i + 1];
        }
        double corr = s / (N / 2);
        assertEquals(0.0, corr, 5 / Math.sqrt(N / 2.0));
    }

    // ---------------------------------------------------------------- normal CDF for the KS test

    /**
     * Standard normal CDF, accurate to about 1e-15 absolute: Phi(x) = erfc(-x / sqrt 2) / 2, with
     * erf from its everywhere-positive Taylor series for |t| < 3 and erfc from its continued
     * fraction beyond.
     */
    static double normalCdf(double x) {
        double t = Math.abs(x) / Math.sqrt(2.0);
        double erfcT = erfc(t);
        return x >= 0 ? 1.0 - 0.5 * erfcT : 0.5 * erfcT;
    }

    /** erfc(t) for t >= 0. */
    static double erfc(double t) {
        if (t < 3.0) {
            // erf(t) = 2/sqrt(pi) * exp(-t^2) * sum_{n>=0} (2t^2)^n t / (1*3*...*(2n+1)).
            double term = t;
            double sum = t;
            double twoT2 = 2 * t * t;
            for (int k = 1; k < 200; k++) {
                term *= twoT2 / (2 * k + 1);
                sum += term;
                if (term < 1e-17 * sum) {
                    break;
                }
            }
            return 1.0 - 2.0 / Math.sqrt(Math.PI) * Math.exp(-t * t) * sum;
        }
        // erfc(t) = exp(-t^2)/sqrt(pi) * 1/(t + (1/2)/(t + 1/(t + (3/2)/(t + 2/(t + ...))))).
        double f = t;
        for (int k = 80; k >= 1; k--) {
            f = t + 0.5 * k / f;
        }
        return Math.exp(-t * t) / Math.sqrt(Math.PI) / f;
    }

    @Test
    void normalCdfIsAccurate() {
        // Reference values of Phi (high-precision tables).
        assertEquals(0.5, normalCdf(0.0), 1e-15);
        assertEquals(0.8413447460685429, normalCdf(1.0), 1e-13);
        assertEquals(0.15865525393145707, normalCdf(-1.0), 1e-13);
        assertEquals(0.9750021048517795, normalCdf(1.96), 1e-13);
        assertEquals(0.022750131948179195, normalCdf(-2.0), 1e-13);
        assertEquals(0.9986501019683699, normalCdf(3.0), 1e-13);
        assertEquals(0.0013498980316300946, normalCdf(-3.0), 1e-13);
        assertEquals(3.1671241833119863e-05, normalCdf(-4.0), 1e-15);
        assertEquals(2.866515718791939e-07, normalCdf(-5.0), 1e-17);
        // Continuity across the series / continued-fraction switch at t = 3.
        double x = 3.0 * Math.sqrt(2.0);
        assertEquals(normalCdf(-x * (1 - 1e-12)), normalCdf(-x * (1 + 1e-12)), 1e-14);
    }

    // ---------------------------------------------------------------- distinct streams

    @Test
    void differentOffsetsGiveDifferentStreams() {
        int n = 64;
        Set<String> seen = new HashSet<>();
        for (long off = 0; off < 16; off++) {
            float[] f = new float[n];
            Philox.uniformF32(42L, off, f, 0, n);
            assertTrue(seen.add(Arrays.toString(f)), "offset " + off);
        }
        double[] a = new double[n];
        double[] b = new double[n];
        Philox.normalF64(42L, 0L, a, 0, n);
        Philox.normalF64(42L, 1L << 32, b, 0, n); // differs only in the high offset word
        assertFalse(Arrays.equals(a, b));
        int equal = 0;
        for (int i = 0; i < n; i++) {
            if (a[i] == b[i]) {
                equal++;
            }
        }
        assertTrue(equal <= 1, "streams overlap in " + equal + " places");
    }

    @Test
    void differentSeedsGiveDifferentStreams() {
        int n = 64;
        float[] a = new float[n];
        float[] b = new float[n];
        float[] c = new float[n];
        Philox.uniformF32(1L, 0L, a, 0, n);
        Philox.uniformF32(2L, 0L, b, 0, n);
        Philox.uniformF32(1L | (1L << 32), 0L, c, 0, n); // differs only in the high key word
        assertFalse(Arrays.equals(a, b));
        assertFalse(Arrays.equals(a, c));
        assertFalse(Arrays.equals(b, c));
        double[] x = new double[n];
        double[] y = new double[n];
        Philox.uniformF64(1L, 0L, x, 0, n);
        Philox.uniformF64(2L, 0L, y, 0, n);
        assertFalse(Arrays.equals(x, y));
    }

    @Test
    void sameSeedAndOffsetReproduce() {
        double[] a = new double[100];
        double[] b = new double[100];
        Philox.normalF64(5L, 9L, a, 0, 100);
        Philox.normalF64(5L, 9L, b, 0, 100);
        assertArrayEquals(a, b);
    }

    // ---------------------------------------------------------------- Generator

    @Test
    void generatorSeedAndOffsets() {
        Generator g = new Generator(42L);
        assertEquals(42L, g.seed());
        assertEquals(0L, g.offset());
        assertEquals(0L, g.nextOffset());
        assertEquals(1L, g.nextOffset());
        assertEquals(2L, g.offset());
        g.setOffset(100L);
        assertEquals(100L, g.offset());
        assertEquals(100L, g.nextOffset());
        assertEquals(101L, g.offset());
        assertEquals(42L, g.seed());
        assertEquals(-5L, new Generator(-5L).seed());
    }

    @Test
    void generatorHandsOutDistinctOffsetsAcrossThreads() throws Exception {
        Generator g = new Generator(1L);
        int threads = 8;
        int per = 10_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Set<Long> all = new HashSet<>();
        try {
            List<Future<long[]>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    long[] got = new long[per];
                    for (int i = 0; i < per; i++) {
                        got[i] = g.nextOffset();
                    }
                    return got;
                }));
            }
            for (Future<long[]> f : fs) {
                for (long o : f.get()) {
                    assertTrue(all.add(o), "duplicate offset " + o);
                }
            }
        } finally {
            pool.shutdown();
        }
        assertEquals((long) threads * per, g.offset());
        assertEquals(threads * per, all.size());
    }

    @Test
    void successiveGeneratorDrawsAreIndependentStreams() {
        Generator g = new Generator(42L);
        float[] a = new float[16];
        float[] b = new float[16];
        Philox.uniformF32(g.seed(), g.nextOffset(), a, 0, 16);
        Philox.uniformF32(g.seed(), g.nextOffset(), b, 0, 16);
        assertNotEquals(Arrays.toString(a), Arrays.toString(b));
    }
}
