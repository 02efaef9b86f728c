package dev.nabla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * rand/randn reproduce the documented cross-device Philox4x32-10 stream (see dev.nabla.spi.Philox's
 * Javadoc), computed here by the test's own block function, itself checked against the Random123
 * known-answer vectors. This is what makes "same seed, same numbers on every device" testable.
 */
class RandomStreamTest {

    private static final long M0 = 0xD2511F53L, M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /** Philox4x32 with 10 rounds on counter c and key (k0, k1); unsigned 32-bit arithmetic. */
    static int[] block(int c0, int c1, int c2, int c3, int k0, int k1) {
        for (int round = 0; round < 10; round++) {
            if (round > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = M0 * (c0 & 0xFFFFFFFFL), p1 = M1 * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0, hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            int n0 = hi1 ^ c1 ^ k0, n1 = lo1, n2 = hi0 ^ c3 ^ k1, n3 = lo0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
        }
        return new int[] {c0, c1, c2, c3};
    }

    private static int[] block(long seed, long offset, long j) {
        return block((int) j, (int) (j >>> 32), (int) offset, (int) (offset >>> 32), (int) seed, (int) (seed >>> 32));
    }

    private static long u(int w) { return w & 0xFFFFFFFFL; }

    private static long u64(int a, int b) { return (u(a) << 32) | u(b); }

    static double uniform32(long seed, long offset, long i) {
        int[] w = block(seed, offset, i / 4);
        return (u(w[(int) (i % 4)]) >>> 8) * 0x1p-24;
    }

    static double uniform64(long seed, long offset, long i) {
        int[] w = block(seed, offset, i / 2);
        int r = (int) (i % 2);
        return (u64(w[2 * r], w[2 * r + 1]) >>> 11) * 0x1p-53;
    }

    static double normal32(long seed, long offset, long i) {
        int[] w = block(seed, offset, i / 4);
        int q = (int) ((i % 4) / 2);
        double u1 = (u(w[2 * q]) + 1.0) * 0x1p-32, u2 = u(w[2 * q + 1]) * 0x1p-32;
        double rad = StrictMath.sqrt(-2.0 * StrictMath.log(u1)), theta = 2 * Math.PI * u2;
        return (float) (i % 2 == 0 ? rad * StrictMath.cos(theta) : rad * StrictMath.sin(theta));
    }

    static double normal64(long seed, long offset, long i) {
        int[] w = block(seed, offset, i / 2);
        double u1 = ((u64(w[0], w[1]) >>> 11) + 1) * 0x1p-53, u2 = (u64(w[2], w[3]) >>> 11) * 0x1p-53;
        double rad = StrictMath.sqrt(-2.0 * StrictMath.log(u1)), theta = 2 * Math.PI * u2;
        return i % 2 == 0 ? rad * StrictMath.cos(theta) : rad * StrictMath.sin(theta);
    }

    @Test
    void blockFunctionMatchesRandom123KnownAnswers() {
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, block(0, 0, 0, 0, 0, 0));
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}, block(-1, -1, -1, -1, -1, -1));
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0));
    }

    @Test
    void uniformDrawsAreBitIdenticalToTheStream() {
        long seed = 0x0123_4567_89AB_CDEFL;
        Generator g = new Generator(seed);
        g.setOffset(5);
        int n = 1_000_003;                                 // large enough to be filled by several threads
        double[] f = Tensor.rand(g, n).toDoubleArray();    // offset 5
        double[] d = Tensor.rand(DType.F64, Device.cpu(), g, 3, 7).toDoubleArray();   // offset 6
        for (int i = 0; i < n; i++) {
            double e = uniform32(seed, 5, i);
            if (f[i] != e) assertEquals(e, f[i], "F32 uniform element " + i);
        }
        for (int i = 0; i < d.length; i++) assertEquals(uniform64(seed, 6, i), d[i], "F64 uniform element " + i);
    }

    @Test
    void normalDrawsFollowTheStreamToTheLastPlace() {
        long seed = -42;
        Generator g = new Generator(seed);
        int n = 100_003;
        double[] f = Tensor.randn(g, n).toDoubleArray();                       // offset 0
        double[] d = Tensor.randn(DType.F64, Device.cpu(), g, n).toDoubleArray(); // offset 1
        int far = 0;
        for (int i = 0; i < n; i++) {
            double e = normal32(seed, 0, i);
            if (Math.abs(f[i] - e) > Math.ulp((float) e)) far++;
            double e64 = normal64(seed, 1, i);
            assertTrue(Math.abs(d[i] - e64) <= 4 * Math.ulp(e64) + 1e-300, "F64 normal element " + i + ": " + d[i] + " vs " + e64);
        }
        assertEquals(0, far, "F32 normal elements more than one float ulp from the stream");
    }
}
