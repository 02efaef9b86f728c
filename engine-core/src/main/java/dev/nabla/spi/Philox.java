package dev.nabla.spi;

import java.util.Objects;

/**
 * Philox4x32-10 counter-based random numbers: the one random stream every backend reproduces.
 *
 * <p>This class is the reference definition of the cross-backend contract. A CPU, OpenCL or CUDA
 * kernel that fills a tensor for a draw {@code (seed, offset)} must produce exactly the values
 * defined here, element by element, independently of how the work is split across threads.
 *
 * <h2>The block function</h2>
 * {@link #block} is Philox4x32 with 10 rounds (Salmon et al., "Parallel random numbers: as easy as
 * 1, 2, 3", SC'11; identical to Random123's {@code philox4x32_R(10, ...)}). All arithmetic is
 * unsigned 32-bit. With counter {@code (c0, c1, c2, c3)} and key {@code (k0, k1)}, one round is
 * <pre>
 *   (hi0, lo0) = 0xD2511F53 * c0      (full 64-bit product, high and low 32-bit halves)
 *   (hi1, lo1) = 0xCD9E8D57 * c2
 *   (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
 * </pre>
 * and between consecutive rounds the key is bumped: {@code k0 += 0x9E3779B9, k1 += 0xBB67AE85}
 * (mod 2<sup>32</sup>). The first round uses the key as given; ten rounds, nine bumps. The four
 * output words {@code w[0..3]} are the final {@code (c0, c1, c2, c3)}.
 *
 * <h2>Stream layout for one draw {@code (seed, offset)}</h2>
 * <ul>
 *   <li>Key: {@code k0 = low32(seed)}, {@code k1 = high32(seed)}.</li>
 *   <li>Block {@code j} (j &ge; 0) uses counter {@code c0 = low32(j), c1 = high32(j),
 *       c2 = low32(offset), c3 = high32(offset)}. Its words are {@code w[0..3]}.</li>
 *   <li>In what follows {@code u(x)} is word {@code x} read as an unsigned 32-bit integer, and
 *       {@code u64(a, b) = (u(a) << 32) | u(b)} is an unsigned 64-bit integer.</li>
 * </ul>
 * Element {@code i} (the global, zero-based index into the contiguous output) is:
 * <dl>
 *   <dt>uniform float32</dt>
 *   <dd>block {@code j = i / 4}, word {@code w[i % 4]}; value {@code (u(w) >>> 8) * 2^-24},
 *       exactly representable, in [0, 1).</dd>
 *   <dt>uniform float64</dt>
 *   <dd>block {@code j = i / 2}, {@code r = i % 2}; value
 *       {@code (u64(w[2r], w[2r+1]) >>> 11) * 2^-53}, exactly representable, in [0, 1).</dd>
 *   <dt>normal float32</dt>
 *   <dd>block {@code j = i / 4} yields elements {@code 4j .. 4j+3} as two Box-Muller pairs.
 *       Pair {@code q = (i % 4) / 2} uses, in float64,
 *       {@code u1 = (u(w[2q]) + 1.0) * 2^-32} in (0, 1] and {@code u2 = u(w[2q+1]) * 2^-32} in
 *       [0, 1); {@code rad = sqrt(-2.0 * ln(u1))}, {@code theta = TWO_PI * u2} where
 *       {@code TWO_PI} is the double {@code 2 * Math.PI} (= 6.283185307179586); element
 *       {@code 4j + 2q} is {@code rad * cos(theta)} and element {@code 4j + 2q + 1} is
 *       {@code rad * sin(theta)}, each computed in float64 and then rounded to nearest
 *       float32.</dd>
 *   <dt>normal float64</dt>
 *   <dd>block {@code j = i / 2} yields elements {@code 2j, 2j+1}:
 *       {@code u1 = ((u64(w[0], w[1]) >>> 11) + 1) * 2^-53} in (0, 1],
 *       {@code u2 = (u64(w[2], w[3]) >>> 11) * 2^-53} in [0, 1); the same Box-Muller transform;
 *       element {@code 2j} is {@code rad * cos(theta)}, element {@code 2j+1} is
 *       {@code rad * sin(theta)}.</dd>
 * </dl>
 * Every multiplication by a power of two above is exact, and the integer-to-float conversions
 * are exact, so the uniform streams are bit-identical on every conforming backend. The normal
 * streams use {@link StrictMath#log}, {@link StrictMath#sqrt}, {@link StrictMath#cos} and
 * {@link StrictMath#sin} (fdlibm semantics; {@code sqrt} is correctly rounded); they are
 * bit-identical on a backend whose {@code log}, {@code cos} and {@code sin} match fdlibm, and
 * otherwise agree to within the last-place error of that backend's transcendental functions.
 *
 * <p>The value of element {@code i} depends only on {@code (seed, offset, i)}: the
 * {@code from}/{@code to} arguments only select which elements are written, so callers may split
 * a tensor into arbitrary chunks (even ones not aligned to blocks) and fill them in parallel.
 * Different offsets give disjoint counter ranges, hence independent streams; see
 * {@link dev.nabla.Generator}, which hands out one offset per random tensor.
 */
public final class Philox {

    /** Philox round multipliers. */
    private static final long M0 = 0xD2511F53L;
    private static final long M1 = 0xCD9E8D57L;
    /** Weyl key-schedule increments. */
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;

    private static final long MASK32 = 0xFFFF_FFFFL;
    private static final float TWO_M24F = 0x1p-24f;
    private static final double TWO_M32 = 0x1p-32;
    private static final double TWO_M53 = 0x1p-53;
    /** 2&pi; as a double; exactly {@code 2 * Math.PI}. */
    private static final double TWO_PI = 2.0 * Math.PI;

    private Philox() {}

    /**
     * One Philox4x32-10 block.
     *
     * @param c0 counter word 0
     * @param c1 counter word 1
     * @param c2 counter word 2
     * @param c3 counter word 3
     * @param k0 key word 0
     * @param k1 key word 1
     * @param out4 receives the four output words in {@code out4[0..3]}
     */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out4) {
        for (int round = 0; round < 10; round++) {
            if (round != 0) {
                k0 += W0;
                k1 += W1;
            }
            // Unsigned 32x32 -> 64 products; the long may wrap to negative but its bits are exact.
            long p0 = M0 * (c0 & MASK32);
            long p1 = M1 * (c2 & MASK32);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
        }
        out4[0] = c0;
        out4[1] = c1;
        out4[2] = c2;
        out4[3] = c3;
    }

    /** Block {@code j} of the stream for {@code (seed, offset)}. */
    private static void streamBlock(long seed, long offset, long j, int[] w) {
        block((int) j, (int) (j >>> 32), (int) offset, (int) (offset >>> 32),
                (int) seed, (int) (seed >>> 32), w);
    }

    private static long u64(int hi, int lo) {
        return ((long) hi << 32) | (lo & MASK32);
    }

    private static float uF32(int w) {
        return (w >>> 8) * TWO_M24F;
    }

    private static double uF64(int hi, int lo) {
        return (u64(hi, lo) >>> 11) * TWO_M53;
    }

    /**
     * Fills {@code out[from, to)} with uniform float32 values in [0, 1); element {@code i} is
     * element {@code i} of the stream for {@code (seed, offset)} (see the class documentation)
     *
     * @param seed the key: {@code k0 = low32(seed)}, {@code k1 = high32(seed)}
     * @param offset the stream: counter words {@code c2 = low32(offset)},
     *     {@code c3 = high32(offset)}
     * @param out the destination
     * @param from first element index written (inclusive); also the global element index
     * @param to last element index written (exclusive)
     * @throws IndexOutOfBoundsException if {@code 0 <= from <= to <= out.length} does not hold
     */
    public static void uniformF32(long seed, long offset, float[] out, int from, int to) {
        Objects.checkFromToIndex(from, to, out.length);
        final int[] w = new int[4];
        int i = from;
        // Leading partial block.
        if ((i & 3) != 0 && i < to) {
            streamBlock(seed, offset, i >>> 2, w);
            int end = Math.min(to, (i | 3) + 1);
            for (; i < end; i++) {
                out[i] = uF32(w[i & 3]);
            }
        }
        // Whole blocks.
        for (; i + 4 <= to; i += 4) {
            streamBlock(seed, offset, i >>> 2, w);
            out[i] = uF32(w[0]);
            out[i + 1] = uF32(w[1]);
            out[i + 2] = uF32(w[2]);
            out[i + 3] = uF32(w[3]);
        }
        // Trailing partial block.
        if (i < to) {
            streamBlock(seed, offset, i >>> 2, w);
            for (; i < to; i++) {
                out[i] = uF32(w[i & 3]);
            }
        }
    }

    /**
     * Fills {@code out[from, to)} with uniform float64 values in [0, 1); element {@code i} is
     * element {@code i} of the stream for {@code (seed, offset)} (see the class documentation)
     *
     * @param seed the key: {@code k0 = low32(seed)}, {@code k1 = high32(seed)}
     * @param offset the stream: counter words {@code c2 = low32(offset)},
     *     {@code c3 = high32(offset)}
     * @param out the destination
     * @param from first element index written (inclusive); also the global element index
     * @param to last element index written (exclusive)
     * @throws IndexOutOfBoundsException if {@code 0 <= from <= to <= out.length} does not hold
     */
    public static void uniformF64(long seed, long offset, double[] out, int from, int to) {
        Objects.checkFromToIndex(from, to, out.length);
        final int[] w = new int[4];
        int i = from;
        if ((i & 1) != 0 && i < to) {
            streamBlock(seed, offset, i >>> 1, w);
            out[i] = uF64(w[2], w[3]);
            i++;
        }
        for (; i + 2 <= to; i += 2) {
            streamBlock(seed, offset, i >>> 1, w);
            out[i] = uF64(w[0], w[1]);
            out[i + 1] = uF64(w[2], w[3]);
        }
        if (i < to) {
            streamBlock(seed, offset, i >>> 1, w);
            out[i] = uF64(w[0], w[1]);
        }
    }

    /**
     * Fills {@code out[from, to)} with standard normal float32 values; element {@code i} is
     * element {@code i} of the stream for {@code (seed, offset)} (see the class documentation)
     *
     * @param seed the key: {@code k0 = low32(seed)}, {@code k1 = high32(seed)}
     * @param offset the stream: counter words {@code c2 = low32(offset)},
     *     {@code c3 = high32(offset)}
     * @param out the destination
     * @param from first element index written (inclusive); also the global element index
     * @param to last element index written (exclusive)
     * @throws IndexOutOfBoundsException if {@code 0 <= from <= to <= out.length} does not hold
     */
    public static void normalF32(long seed, long offset, float[] out, int from, int to) {
        Objects.checkFromToIndex(from, to, out.length);
        final int[] w = new int[4];
        int i = from;
        while (i < to) {
            long j = i >>> 2;
            streamBlock(seed, offset, j, w);
            int base = i & ~3;
            int end = Math.min(to, base + 4);
            // Pair q covers elements base+2q, base+2q+1; compute only the pairs that are needed.
            for (int q = (i - base) >>> 1; base + 2 * q < end; q++) {
                double u1 = ((w[2 * q] & MASK32) + 1.0) * TWO_M32;
                double u2 = (w[2 * q + 1] & MASK32) * TWO_M32;
                double rad = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
                double theta = TWO_PI * u2;
                int e = base + 2 * q;
                if (e >= i) {
                    out[e] = (float) (rad * StrictMath.cos(theta));
                }
                if (e + 1 < end) {
                    out[e + 1] = (float) (rad * StrictMath.sin(theta));
                }
            }
            i = end;
        }
    }

    /**
     * Fills {@code out[from, to)} with standard normal float64 values; element {@code i} is
     * element {@code i} of the stream for {@code (seed, offset)} (see the class documentation)
     *
     * @param seed the key: {@code k0 = low32(seed)}, {@code k1 = high32(seed)}
     * @param offset the stream: counter words {@code c2 = low32(offset)},
     *     {@code c3 = high32(offset)}
     * @param out the destination
     * @param from first element index written (inclusive); also the global element index
     * @param to last element index written (exclusive)
     * @throws IndexOutOfBoundsException if {@code 0 <= from <= to <= out.length} does not hold
     */
    public static void normalF64(long seed, long offset, double[] out, int from, int to) {
        Objects.checkFromToIndex(from, to, out.length);
        final int[] w = new int[4];
        int i = from;
        while (i < to) {
            long j = i >>> 1;
            streamBlock(seed, offset, j, w);
            double u1 = ((u64(w[0], w[1]) >>> 11) + 1) * TWO_M53;
            double u2 = (u64(w[2], w[3]) >>> 11) * TWO_M53;
            double rad = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
            double theta = TWO_PI * u2;
            int e = i & ~1;
            if (e >= i) {
                out[e] = rad * StrictMath.cos(theta);
            }
            if (e + 1 < to) {
                out[e + 1] = rad * StrictMath.sin(theta);
            }
            i = e + 2;
        }
    }
}
