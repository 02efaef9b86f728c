package dev.nabla.cpu;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Transpose16Test {

    @Test
    void blockLandsTransposedAtStridesAndOffsetsLeavingTheRestAlone() {
        Assumptions.assumeTrue(Transpose16.SUPPORTED, "needs 512-bit vectors");
        int rowStride = 37, dstStride = 21, s = 5, d = 3;
        float[] src = new float[s + 15 * rowStride + 16];
        for (int i = 0; i < src.length; i++) src[i] = i * 0.5f - 7;
        float[] dst = new float[d + 15 * dstStride + 16 + 4];
        java.util.Arrays.fill(dst, Float.NaN);
        Transpose16.transpose(src, s, rowStride, dst, d, dstStride);
        for (int q = 0; q < 16; q++) {
            for (int r = 0; r < 16; r++) {
                assertEquals(src[s + r * rowStride + q], dst[d + q * dstStride + r], "row " + r + ", column " + q);
            }
            // lanes between the written runs are untouched
            for (int x = 16; x < dstStride && q < 15; x++) assertEquals(Float.NaN, dst[d + q * dstStride + x]);
        }
    }
}
