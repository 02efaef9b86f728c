package dev.nabla;

import static dev.nabla.TensorAsserts.assertShape;
import static dev.nabla.TensorAsserts.assertTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** matmul (1-D, 2-D, batched with broadcasting, as torch.matmul), outer and dot against triple loops. */
class LinalgTest {

    /**
     * torch.matmul over references: 1-D operands get a dim prepended/appended and removed after;
     * batch dims broadcast. Also returns, per output element, sum |a||b| (the error scale).
     */
    static ReferenceArray[] matmul(ReferenceArray a, ReferenceArray b) {
        boolean aVec = a.rank() == 1, bVec = b.rank() == 1;
        ReferenceArray a2 = aVec ? a.reshape(1, a.shape()[0]) : a;
        ReferenceArray b2 = bVec ? b.reshape(b.shape()[0], 1) : b;
        long m = a2.shape()[a2.rank() - 2], k = a2.shape()[a2.rank() - 1], n = b2.shape()[b2.rank() - 1];
        long[] ab = Arrays.copyOf(a2.shape(), a2.rank() - 2), bb = Arrays.copyOf(b2.shape(), b2.rank() - 2);
        long[] batch = ReferenceArray.broadcastShape(ab, bb);
        long[] aFull = concat(batch, m, k), bFull = concat(batch, k, n);
        ReferenceArray ax = a2.broadcastTo(aFull), bx = b2.broadcastTo(bFull);
        int nb = (int) ReferenceArray.numel(batch);
        double[] c = new double[(int) (nb * m * n)], s = new double[c.length];
        for (int q = 0; q < nb; q++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0, abs = 0;
                    for (int p = 0; p < k; p++) {
                        double x = ax.values()[(int) ((q * m + i) * k + p)], y = bx.values()[(int) ((q * k + p) * n + j)];
                        acc += x * y;
                        abs += Math.abs(x * y);
                    }
                    c[(int) ((q * m + i) * n + j)] = acc;
                    s[(int) ((q * m + i) * n + j)] = abs;
                }
            }
        }
        long[] out = batch;
        if (!aVec) out = concat(out, m);
        if (!bVec) out = concat(out, n);
        return new ReferenceArray[] {ReferenceArray.of(c, out), ReferenceArray.of(s, out)};
    }

    static long[] concat(long[] a, long... b) {
        long[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static void assertMatmul(Tensor at, ReferenceArray a, Tensor bt, ReferenceArray b, DType dt) {
        ReferenceArray[] e = matmul(a, b);
        long k = a.shape()[a.rank() - 1];
        assertTensor(at.matmul(bt), dt, e[0], Tolerance.of(dt).forSumOf(k), e[1].values());
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void matmulOfOddSizesMatchesTripleLoop(DType dt) {
        int[] sizes = {1, 7, 33};
        long seed = 1;
        for (int m : sizes) {
            for (int k : sizes) {
                for (int n : sizes) {
                    var a = Inputs.random(seed++, dt, -1, 1, m, k);
                    var b = Inputs.random(seed++, dt, -1, 1, k, n);
                    assertMatmul(a.t(), a.ref(), b.t(), b.ref(), dt);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void matmulOfLargerMatricesCrossesBlockSizes(DType dt) {
        var a = Inputs.random(40, dt, -1, 1, 130, 257);
        var b = Inputs.random(41, dt, -1, 1, 257, 67);
        assertMatmul(a.t(), a.ref(), b.t(), b.ref(), dt);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void matmulOfTransposedViewMatchesReference(DType dt) {
        var a = Inputs.random(50, dt, -1, 1, 33, 7);
        var b = Inputs.random(51, dt, -1, 1, 12, 33);
        ReferenceArray at = a.ref().transpose(0, 1), bt = b.ref().transpose(0, 1);
        assertFalse(a.t().mT().isContiguous());
        assertMatmul(a.t().mT(), at, b.t().mT(), bt, dt);                    // [7,33] @ [33,12]
        assertMatmul(b.t(), b.ref(), a.t(), a.ref(), dt);                    // [12,33] @ [33,7]
        assertMatmul(a.t().mT(), at, a.t(), a.ref(), dt);                    // A^T A
        assertMatmul(b.t(), b.ref(), b.t().mT(), bt, dt);                    // B B^T
        var c = Inputs.random(52, dt, -1, 1, 3, 33, 20);
        Tensor sliced = c.t().slice(2, 0, 20, 3);                            // [3, 33, 7], column stride 3
        assertMatmul(b.t(), b.ref(), sliced, c.ref().slice(2, 0, 20, 3), dt);
        Tensor perm = c.t().permute(2, 0, 1);                                 // [20, 3, 33]
        assertMatmul(perm, c.ref().permute(2, 0, 1), a.t(), a.ref(), dt);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void matmulHandlesVectorOperandsLikeTorch(DType dt) {
        var v = Inputs.random(60, dt, -1, 1, 33);
        var w = Inputs.random(61, dt, -1, 1, 33);
        var m = Inputs.random(62, dt, -1, 1, 7, 33);
        var mt = Inputs.random(63, dt, -1, 1, 33, 5);
        var batched = Inputs.random(64, dt, -1, 1, 4, 33, 6);
        var batchedLeft = Inputs.random(65, dt, -1, 1, 2, 3, 33);
        Tensor dot = v.t().matmul(w.t());
        assertShape(dot);
        assertMatmul(v.t(), v.ref(), w.t(), w.ref(), dt);                    // [] 
        assertMatmul(m.t(), m.ref(), v.t(), v.ref(), dt);                    // [7]
        assertShape(m.t().matmul(v.t()), 7);
        assertMatmul(v.t(), v.ref(), mt.t(), mt.ref(), dt);                  // [5]
        assertShape(v.t().matmul(mt.t()), 5);
        assertMatmul(v.t(), v.ref(), batched.t(), batched.ref(), dt);        // [4, 6]
        assertShape(v.t().matmul(batched.t()), 4, 6);
        assertMatmul(batchedLeft.t(), batchedLeft.ref(), v.t(), v.ref(), dt); // [2, 3]
        assertShape(batchedLeft.t().matmul(v.t()), 2, 3);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void batchedMatmulBroadcastsBatchDims(DType dt) {
        long[][][] cases = {
                {{2, 1, 3, 4}, {5, 4, 2}}, {{3, 4}, {2, 4, 5}}, {{2, 3, 4}, {4, 5}}, {{1, 3, 4}, {6, 4, 2}},
                {{2, 1, 1, 7}, {1, 3, 7, 1}}, {{5, 2, 7}, {5, 7, 3}}};
        long seed = 70;
        for (long[][] c : cases) {
            var a = Inputs.random(seed++, dt, -1, 1, c[0]);
            var b = Inputs.random(seed++, dt, -1, 1, c[1]);
            assertMatmul(a.t(), a.ref(), b.t(), b.ref(), dt);
        }
        var a = Inputs.random(80, dt, -1, 1, 3, 1, 5);
        Tensor expanded = a.t().expand(3, 4, 5);                             // stride 0 rows
        var b = Inputs.random(81, dt, -1, 1, 5, 2);
        assertMatmul(expanded, a.ref().broadcastTo(new long[] {3, 4, 5}), b.t(), b.ref(), dt);
    }

    @Test
    void matmulWithZeroSizedDims() {
        assertTensor(Tensor.ones(3, 0).matmul(Tensor.ones(0, 4)), DType.F32, ReferenceArray.of(new double[12], 3, 4));
        assertShape(Tensor.ones(0, 5).matmul(Tensor.ones(5, 2)), 0, 2);
        assertShape(Tensor.ones(2, 0, 5).matmul(Tensor.ones(5, 3)), 2, 0, 3);
    }

    @Test
    void matmulMatchesExactSmallIntegersInFloat() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new float[] {7, 8, 9, 10, 11, 12}, 3, 2);
        assertArrayEquals(new float[] {58, 64, 139, 154}, a.matmul(b).toFloatArray());
        assertArrayEquals(new double[] {1 * 1 + 2 * 2 + 3 * 3}, new double[] {
                Tensor.of(new double[] {1, 2, 3}).matmul(Tensor.of(new double[] {1, 2, 3})).item()});
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"I32", "I64"})
    void integerMatmulIsExact(DType dt) {
        var a = Inputs.random(90, dt, -50, 50, 2, 7, 9);
        var b = Inputs.random(91, dt, -50, 50, 9, 5);
        assertTensor(a.t().matmul(b.t()), dt, matmul(a.ref(), b.ref())[0]);
    }

    @Test
    void matmulPropagatesNanAndInf() {
        Tensor a = Tensor.of(new double[] {Double.NaN, 1, 1, 1}, 2, 2);
        Tensor b = Tensor.of(new double[] {1, 0, Double.POSITIVE_INFINITY, 1}, 2, 2);
        double[] c = a.matmul(b).toDoubleArray();
        assertEquals(Double.NaN, c[0]);
        assertEquals(Double.NaN, c[1], "NaN * 0 is NaN");
        assertEquals(Double.POSITIVE_INFINITY, c[2]);
        assertEquals(1.0, c[3]);
    }

    // ---- outer and dot --------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64", "I32", "I64"})
    void outerIsEveryProduct(DType dt) {
        var a = Inputs.random(100, dt, -5, 5, 7);
        var b = Inputs.random(101, dt, -5, 5, 4);
        assertTensor(a.t().outer(b.t()), dt,
                ReferenceArray.zip(a.ref().reshape(7, 1), b.ref().reshape(1, 4), (x, y) -> x * y));
        assertTensor(a.t().slice(0, 0, 7, 2).outer(b.t()), dt,
                ReferenceArray.zip(a.ref().slice(0, 0, 7, 2).reshape(4, 1), b.ref().reshape(1, 4), (x, y) -> x * y));
    }

    @Test
    void outerPromotesItsOperands() {
        Tensor o = Tensor.of(new int[] {1, 2}).outer(Tensor.of(new double[] {0.5}));
        assertEquals(DType.F64, o.dtype());
        assertShape(o, 2, 1);
        assertArrayEquals(new double[] {0.5, 1}, o.toDoubleArray());
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void dotIsZeroDimSumOfProducts(DType dt) {
        for (int n : new int[] {1, 7, 33, 1000}) {
            var a = Inputs.random(110 + n, dt, -1, 1, n);
            var b = Inputs.random(111 + n, dt, -1, 1, n);
            Tensor d = a.t().dot(b.t());
            assertShape(d);
            assertMatmul(a.t(), a.ref(), b.t(), b.ref(), dt);
            ReferenceArray[] e = matmul(a.ref(), b.ref());
            assertTensor(d, dt, e[0], Tolerance.of(dt).forSumOf(n), e[1].values());
        }
        var a = Inputs.random(120, dt, -1, 1, 10);
        ReferenceArray as = a.ref().slice(0, 1, 10, 3);
        assertTensor(a.t().slice(0, 1, 10, 3).dot(a.t().slice(0, 0, 3, 1)), dt,
                matmul(as, a.ref().slice(0, 0, 3, 1))[0], Tolerance.of(dt).forSumOf(3), matmul(as, a.ref().slice(0, 0, 3, 1))[1].values());
    }

    @Test
    void dotRejectsNonVectorsAndLengthMismatch() {
        assertThrows(ShapeMismatchException.class, () -> Tensor.ones(3).dot(Tensor.ones(4)));
        assertThrows(ShapeMismatchException.class, () -> Tensor.ones(2, 2).dot(Tensor.ones(4)));
        assertThrows(ShapeMismatchException.class, () -> Tensor.ones(4).outer(Tensor.ones(2, 2)));
    }
}
