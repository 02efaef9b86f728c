package dev.nabla.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transposes 16×16 blocks of floats in registers (512-bit vectors only). GEMM packs a transposed
 * B (nn.Linear's {@code x @ W.mT()}: B's columns are W's rows) through it: sixteen contiguous row
 * loads, four butterfly stages of two-vector selects, sixteen contiguous stores. A gather of the
 * same elements touches sixteen rows per vector, which on 4 KiB pages means sixteen TLB entries
 * per load: measured, the gathered pack ran the forward product at 130–170 GFLOP/s depending on
 * whether the fork got huge pages, against 190 for an untransposed B.
 *
 * <p>Stage d (8, 4, 2, 1) pairs vector i with vector i + d (bit d of i clear) and swaps the upper
 * d-lane half of each 2d-lane group of the first with the lower half of the second; after the
 * four stages lane l of vector i holds what was lane i of vector l.
 */
final class Transpose16 {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;

    /** Whether the vectors are 16 floats wide; callers fall back to gathers otherwise. */
    static final boolean SUPPORTED = FS.length() == 16;

    // selectFrom(a, b) index vectors: lanes 0..15 pick from a, 16..31 from b
    private static final FloatVector LO8 = indexes(8, true), HI8 = indexes(8, false);
    private static final FloatVector LO4 = indexes(4, true), HI4 = indexes(4, false);
    private static final FloatVector LO2 = indexes(2, true), HI2 = indexes(2, false);
    private static final FloatVector LO1 = indexes(1, true), HI1 = indexes(1, false);

    private Transpose16() {}

    private static FloatVector indexes(int d, boolean low) {
        if (!SUPPORTED) return null;
        float[] idx = new float[16];
        for (int l = 0; l < 16; l++) {
            boolean first = (l & d) == 0;
            idx[l] = low ? (first ? l : 16 + l - d) : (first ? l + d : 16 + l);
        }
        return FloatVector.fromArray(FS, idx, 0);
    }

    /**
     * Writes the transpose of the 16×16 block whose row r is {@code src[s + r*rowStride ..+16)}:
     * {@code dst[d + q*dstStride + r] = src[s + r*rowStride + q]}.
     */
    static void transpose(float[] src, int s, int rowStride, float[] dst, int d, int dstStride) {
        FloatVector v0 = FloatVector.fromArray(FS, src, s + 0 * rowStride);
        FloatVector v1 = FloatVector.fromArray(FS, src, s + 1 * rowStride);
        FloatVector v2 = FloatVector.fromArray(FS, src, s + 2 * rowStride);
        FloatVector v3 = FloatVector.fromArray(FS, src, s + 3 * rowStride);
        FloatVector v4 = FloatVector.fromArray(FS, src, s + 4 * rowStride);
        FloatVector v5 = FloatVector.fromArray(FS, src, s + 5 * rowStride);
        FloatVector v6 = FloatVector.fromArray(FS, src, s + 6 * rowStride);
        FloatVector v7 = FloatVector.fromArray(FS, src, s + 7 * rowStride);
        FloatVector v8 = FloatVector.fromArray(FS, src, s + 8 * rowStride);
        FloatVector v9 = FloatVector.fromArray(FS, src, s + 9 * rowStride);
        FloatVector v10 = FloatVector.fromArray(FS, src, s + 10 * rowStride);
        FloatVector v11 = FloatVector.fromArray(FS, src, s + 11 * rowStride);
        FloatVector v12 = FloatVector.fromArray(FS, src, s + 12 * rowStride);
        FloatVector v13 = FloatVector.fromArray(FS, src, s + 13 * rowStride);
        FloatVector v14 = FloatVector.fromArray(FS, src, s + 14 * rowStride);
        FloatVector v15 = FloatVector.fromArray(FS, src, s + 15 * rowStride);
        FloatVector t0_8 = LO8.selectFrom(v0, v8);
        v8 = HI8.selectFrom(v0, v8);
        v0 = t0_8;
        FloatVector t1_9 = LO8.selectFrom(v1, v9);
        v9 = HI8.selectFrom(v1, v9);
        v1 = t1_9;
        FloatVector t2_10 = LO8.selectFrom(v2, v10);
        v10 = HI8.selectFrom(v2, v10);
        v2 = t2_10;
        FloatVector t3_11 = LO8.selectFrom(v3, v11);
        v11 = HI8.selectFrom(v3, v11);
        v3 = t3_11;
        FloatVector t4_12 = LO8.selectFrom(v4, v12);
        v12 = HI8.selectFrom(v4, v12);
        v4 = t4_12;
        FloatVector t5_13 = LO8.selectFrom(v5, v13);
        v13 = HI8.selectFrom(v5, v13);
        v5 = t5_13;
        FloatVector t6_14 = LO8.selectFrom(v6, v14);
        v14 = HI8.selectFrom(v6, v14);
        v6 = t6_14;
        FloatVector t7_15 = LO8.selectFrom(v7, v15);
        v15 = HI8.selectFrom(v7, v15);
        v7 = t7_15;
        FloatVector t0_4 = LO4.selectFrom(v0, v4);
        v4 = HI4.selectFrom(v0, v4);
        v0 = t0_4;
        FloatVector t1_5 = LO4.selectFrom(v1, v5);
        v5 = HI4.selectFrom(v1, v5);
        v1 = t1_5;
        FloatVector t2_6 = LO4.selectFrom(v2, v6);
        v6 = HI4.selectFrom(v2, v6);
        v2 = t2_6;
        FloatVector t3_7 = LO4.selectFrom(v3, v7);
        v7 = HI4.selectFrom(v3, v7);
        v3 = t3_7;
        FloatVector t8_12 = LO4.selectFrom(v8, v12);
        v12 = HI4.selectFrom(v8, v12);
        v8 = t8_12;
        FloatVector t9_13 = LO4.selectFrom(v9, v13);
        v13 = HI4.selectFrom(v9, v13);
        v9 = t9_13;
        FloatVector t10_14 = LO4.selectFrom(v10, v14);
        v14 = HI4.selectFrom(v10, v14);
        v10 = t10_14;
        FloatVector t11_15 = LO4.selectFrom(v11, v15);
        v15 = HI4.selectFrom(v11, v15);
        v11 = t11_15;
        FloatVector t0_2 = LO2.selectFrom(v0, v2);
        v2 = HI2.selectFrom(v0, v2);
        v0 = t0_2;
        FloatVector t1_3 = LO2.selectFrom(v1, v3);
        v3 = HI2.selectFrom(v1, v3);
        v1 = t1_3;
        FloatVector t4_6 = LO2.selectFrom(v4, v6);
        v6 = HI2.selectFrom(v4, v6);
        v4 = t4_6;
        FloatVector t5_7 = LO2.selectFrom(v5, v7);
        v7 = HI2.selectFrom(v5, v7);
        v5 = t5_7;
        FloatVector t8_10 = LO2.selectFrom(v8, v10);
        v10 = HI2.selectFrom(v8, v10);
        v8 = t8_10;
        FloatVector t9_11 = LO2.selectFrom(v9, v11);
        v11 = HI2.selectFrom(v9, v11);
        v9 = t9_11;
        FloatVector t12_14 = LO2.selectFrom(v12, v14);
        v14 = HI2.selectFrom(v12, v14);
        v12 = t12_14;
        FloatVector t13_15 = LO2.selectFrom(v13, v15);
        v15 = HI2.selectFrom(v13, v15);
        v13 = t13_15;
        FloatVector t0_1 = LO1.selectFrom(v0, v1);
        v1 = HI1.selectFrom(v0, v1);
        v0 = t0_1;
        FloatVector t2_3 = LO1.selectFrom(v2, v3);
        v3 = HI1.selectFrom(v2, v3);
        v2 = t2_3;
        FloatVector t4_5 = LO1.selectFrom(v4, v5);
        v5 = HI1.selectFrom(v4, v5);
        v4 = t4_5;
        FloatVector t6_7 = LO1.selectFrom(v6, v7);
        v7 = HI1.selectFrom(v6, v7);
        v6 = t6_7;
        FloatVector t8_9 = LO1.selectFrom(v8, v9);
        v9 = HI1.selectFrom(v8, v9);
        v8 = t8_9;
        FloatVector t10_11 = LO1.selectFrom(v10, v11);
        v11 = HI1.selectFrom(v10, v11);
        v10 = t10_11;
        FloatVector t12_13 = LO1.selectFrom(v12, v13);
        v13 = HI1.selectFrom(v12, v13);
        v12 = t12_13;
        FloatVector t14_15 = LO1.selectFrom(v14, v15);
        v15 = HI1.selectFrom(v14, v15);
        v14 = t14_15;
        v0.intoArray(dst, d + 0 * dstStride);
        v1.intoArray(dst, d + 1 * dstStride);
        v2.intoArray(dst, d + 2 * dstStride);
        v3.intoArray(dst, d + 3 * dstStride);
        v4.intoArray(dst, d + 4 * dstStride);
        v5.intoArray(dst, d + 5 * dstStride);
        v6.intoArray(dst, d + 6 * dstStride);
        v7.intoArray(dst, d + 7 * dstStride);
        v8.intoArray(dst, d + 8 * dstStride);
        v9.intoArray(dst, d + 9 * dstStride);
        v10.intoArray(dst, d + 10 * dstStride);
        v11.intoArray(dst, d + 11 * dstStride);
        v12.intoArray(dst, d + 12 * dstStride);
        v13.intoArray(dst, d + 13 * dstStride);
        v14.intoArray(dst, d + 14 * dstStride);
        v15.intoArray(dst, d + 15 * dstStride);
    }
}
