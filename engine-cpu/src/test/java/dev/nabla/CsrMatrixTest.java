package dev.nabla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autodiff.Autodiff;
import dev.nabla.autodiff.GradCheck;
import dev.nabla.spi.Backends;
import dev.nabla.spi.SparseKeys;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * CsrMatrix on the CPU against float64 references written here: the exact structure each
 * constructor keeps (ties in row-major order, NaN on top), products and transposes, derivatives
 * through values and dense operands, ownership, and error messages. (The conformance suite checks
 * the same ops on every backend.)
 */
class CsrMatrixTest {
    private static final Device CPU = Device.cpu();

    private static Tensor matrix(double[][] a, DType t) {
        int n = a.length, m = a[0].length;
        double[] flat = new double[n * m];
        for (int i = 0; i < n; i++) System.arraycopy(a[i], 0, flat, i * m, m);
        return Tensor.of(t, CPU, flat, n, m);
    }

    @Test
    void keysOrderValuesAsDoubleCompare() {
        double[] v = {Double.NEGATIVE_INFINITY, -3.5, -Double.MIN_VALUE, -0.0, 0.0, Double.MIN_VALUE, 1, Double.MAX_VALUE,
                Double.POSITIVE_INFINITY};
        for (int i = 1; i < v.length; i++) {
            assertTrue(SparseKeys.f64(v[i - 1]) < SparseKeys.f64(v[i]), v[i - 1] + " < " + v[i]);
            assertTrue(SparseKeys.f32((float) v[i - 1]) <= SparseKeys.f32((float) v[i]), "F32 " + v[i - 1] + " <= " + v[i]);
            assertEquals(v[i], SparseKeys.valueF64(SparseKeys.f64(v[i])));
        }
        assertTrue(SparseKeys.f64(Double.NaN) > SparseKeys.f64(Double.POSITIVE_INFINITY));
        assertEquals(SparseKeys.f64(Double.NaN), SparseKeys.f64(Double.longBitsToDouble(0xfff8000000000001L)), "every NaN one key");
        assertEquals(SparseKeys.f32(0.3f), SparseKeys.above(DType.F32, 0.3), "0.3f is the first float above 0.3");
        assertEquals(SparseKeys.f32(Math.nextUp(0.25f)), SparseKeys.above(DType.F32, 0.25), "above an exact float: the next one");
        assertEquals(SparseKeys.f32(0.5f) + 1, SparseKeys.above(DType.F32, 0.5));
        assertEquals(SparseKeys.f64(Double.MIN_VALUE), SparseKeys.above(DType.F64, -0.0), "|x| > -0.0 means |x| > 0");
    }

    @Test
    void topKKeepsTheLargestWithTiesInRowMajorOrder() {
        double[][] a = {{1, 3, 2, 3}, {3, 0, Double.NaN, -1}, {2, 3, 3, 1}};
        try (Scope s = Scope.open()) {
            CsrMatrix top = CsrMatrix.topK(matrix(a, DType.F64), 5);
            // NaN ranks first; five 3s tie for the rest: the first four in row-major order
            assertArrayEquals(new long[] {0, 2, 4, 5}, top.rowPointers().toLongArray());
            assertArrayEquals(new long[] {1, 3, 0, 2, 1}, top.colIndices().toLongArray());
            assertArrayEquals(new long[] {0, 0, 1, 1, 2}, top.rowIndices().toLongArray());
            double[] v = top.values().toDoubleArray();
            assertEquals(3, v[0]);
            assertTrue(Double.isNaN(v[3]));
            assertEquals(5, top.nnz());
            assertEquals(12, CsrMatrix.topK(matrix(a, DType.F64), 40).nnz());
            assertEquals(0, CsrMatrix.topK(matrix(a, DType.F64), 0).nnz());

            CsrMatrix perRow = CsrMatrix.topKPerRow(matrix(a, DType.F32), 2);
            assertArrayEquals(new long[] {0, 2, 4, 6}, perRow.rowPointers().toLongArray());
            assertArrayEquals(new long[] {1, 3, 0, 2, 1, 2}, perRow.colIndices().toLongArray());

            CsrMatrix big = CsrMatrix.threshold(matrix(a, DType.F64), 2);
            assertArrayEquals(new long[] {1, 3, 0, 2, 1, 2}, big.colIndices().toLongArray(), "|x| > 2, NaN included");
        }
    }

    @Test
    void selectionOnLongRowsMatchesASortInBothDtypes() {
        // rows longer than a vector, with a tail, so the Vector API count and its scalar tail both run
        Random rnd = new Random(3);
        int n = 37, m = 203;
        double[][] a = new double[n][m];
        for (double[] row : a) for (int j = 0; j < m; j++) row[j] = Math.round(rnd.nextGaussian() * 8) / 4.0;   // many ties
        for (DType t : new DType[] {DType.F32, DType.F64}) {
            for (long k : new long[] {1, 97, 1000, n * m - 1}) {
                try (Scope s = Scope.open()) {
                    double[] dense = CsrMatrix.topK(matrix(a, t), k).toDense().toDoubleArray();
                    boolean[] want = reference(a, k);
                    for (int p = 0; p < want.length; p++) {
                        assertEquals(want[p] ? a[p / m][p % m] : 0.0, dense[p], t + " k=" + k + " at " + p);
                    }
                }
            }
        }
    }

    /** The k largest entries, ties to the lower row-major position. */
    private static boolean[] reference(double[][] a, long k) {
        int n = a.length, m = a[0].length;
        Integer[] order = new Integer[n * m];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> {
            int c = Double.compare(a[y / m][y % m], a[x / m][x % m]);
            return c != 0 ? c : Integer.compare(x, y);
        });
        boolean[] keep = new boolean[n * m];
        for (int i = 0; i < k; i++) keep[order[i]] = true;
        return keep;
    }

    @Test
    void productsAndTransposedProductsMatchDenseLoops() {
        Random rnd = new Random(5);
        int n = 9, m = 13, q = 4;
        double[][] a = new double[n][m];
        for (double[] row : a) for (int j = 0; j < m; j++) row[j] = rnd.nextDouble() < 0.3 ? rnd.nextGaussian() : 0;
        double[] v = rnd.doubles(m).toArray(), w = rnd.doubles(n).toArray(), bm = rnd.doubles(m * q).toArray();
        try (Scope s = Scope.open()) {
            CsrMatrix sp = CsrMatrix.threshold(matrix(a, DType.F64), 0);
            double[] av = sp.matmul(Tensor.of(v)).toDoubleArray();
            double[] atw = sp.mT().matmul(Tensor.of(w)).toDoubleArray();
            double[] ab = sp.matmul(Tensor.of(bm, m, q)).toDoubleArray();
            double[] abT = sp.matmul(Tensor.of(bm, q, m).mT()).toDoubleArray();   // a transposed view as b
            for (int i = 0; i < n; i++) {
                double e = 0;
                for (int j = 0; j < m; j++) e += a[i][j] * v[j];
                assertEquals(e, av[i], 1e-14);
                for (int c = 0; c < q; c++) {
                    double f = 0, g = 0;
                    for (int j = 0; j < m; j++) {
                        f += a[i][j] * bm[j * q + c];
                        g += a[i][j] * bm[c * m + j];
                    }
                    assertEquals(f, ab[i * q + c], 1e-14);
                    assertEquals(g, abT[i * q + c], 1e-14);
                }
            }
            for (int j = 0; j < m; j++) {
                double e = 0;
                for (int i = 0; i < n; i++) e += a[i][j] * w[i];
                assertEquals(e, atw[j], 1e-14);
            }
            CsrMatrix tt = sp.mT().mT();
            assertArrayEquals(sp.colIndices().toLongArray(), tt.colIndices().toLongArray(), "transposing twice is the identity");
            assertArrayEquals(sp.values().toDoubleArray(), tt.values().toDoubleArray());
            assertArrayEquals(new long[] {m, n}, sp.mT().shape());
        }
    }

    @Test
    void derivativesFlowThroughValuesAndTheDenseOperand() {
        Random rnd = new Random(8);
        double[] a = rnd.doubles(12).map(x -> 0.2 + x).toArray(), b = rnd.doubles(8).toArray();
        Tensor ta = Tensor.of(a, 3, 4), tb = Tensor.of(b, 4, 2);
        // through topK's kept entries of a, the product, the transpose and toDense, to second order
        GradCheck.gradcheck(xs -> CsrMatrix.topK(xs.get(0), 7).matmul(xs.get(1)), List.of(ta, tb));
        GradCheck.gradgradcheck(xs -> CsrMatrix.topK(xs.get(0), 7).matmul(xs.get(1)), List.of(ta, tb));
        GradCheck.jvpcheck(xs -> CsrMatrix.topK(xs.get(0), 7).matmul(xs.get(1)), List.of(ta, tb));
        Tensor tc = Tensor.of(rnd.doubles(3).toArray(), 3);
        GradCheck.gradgradcheck(xs -> CsrMatrix.topKPerRow(xs.get(0), 2).mT().matmul(xs.get(1)).square().sum(), List.of(ta, tc));
        GradCheck.gradcheck(xs -> CsrMatrix.threshold(xs.get(0), 0.7).toDense().sin(), List.of(ta));

        // d/dv of sum(A(v) b) is the sampled product: Σ_q b[col_k, q] for each entry k
        try (Scope s = Scope.open()) {
            CsrMatrix sp = CsrMatrix.topK(ta, 5);
            Tensor g = Autodiff.grad(v -> sp.withValues(v).matmul(tb).sum(), sp.values());
            long[] col = sp.colIndices().toLongArray();
            double[] got = g.toDoubleArray();
            for (int k = 0; k < col.length; k++) assertEquals(b[(int) col[k] * 2] + b[(int) col[k] * 2 + 1], got[k], 1e-15);
        }
    }

    /** Live CPU buffers once the collector has freed what earlier tests dropped (until the count is stable). */
    private static long settle() {
        long last = -1;
        for (int i = 0, stable = 0; i < 60 && stable < 3; i++) {
            System.gc();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long now = Backends.get("cpu").memoryStats(0).liveBuffers();
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
        return last;
    }

    @Test
    void aScopeFreesTheMatrixUnlessKept() {
        long before = settle();
        Tensor x = Tensor.of(new double[] {1, 0, 2, 0, 3, 0}, 2, 3);
        CsrMatrix kept;
        try (Scope s = Scope.open()) {
            CsrMatrix gone = CsrMatrix.threshold(x, 0);
            gone.mT().matmul(Tensor.ones(DType.F64, CPU, 2));
            kept = s.keep(CsrMatrix.topK(x, 2));
        }
        assertEquals(before + 1 + 4, Backends.get("cpu").memoryStats(0).liveBuffers(), "x and the kept matrix's four tensors");
        assertArrayEquals(new double[] {0, 0, 2, 0, 3, 0}, kept.toDense().toDoubleArray());
        CsrMatrix other = kept.withValues(Tensor.of(new double[] {5, 6}));
        kept.close();
        assertArrayEquals(new double[] {0, 0, 5, 0, 6, 0}, other.toDense().toDoubleArray(), "withValues holds its own structure");
        assertThrows(ClosedTensorException.class, () -> kept.matmul(Tensor.ones(DType.F64, CPU, 3)));
        other.close();
    }

    @Test
    void badOperandsAreNamedInTheMessage() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        CsrMatrix sp = CsrMatrix.threshold(a, 0);
        ShapeMismatchException s = assertThrows(ShapeMismatchException.class, () -> sp.matmul(Tensor.zeros(DType.F64, CPU, 2)));
        assertEquals("sparse matmul: b must be [3] or [3, m]: a[2, 3] (F64, cpu) in CSR with 6 stored @ b[2] (F64, cpu)", s.getMessage());
        DTypeMismatchException d = assertThrows(DTypeMismatchException.class, () -> sp.matmul(Tensor.zeros(DType.F32, CPU, 3)));
        assertTrue(d.getMessage().startsWith("sparse matmul: operands must have the same dtype"), d.getMessage());
        ShapeMismatchException r = assertThrows(ShapeMismatchException.class, () -> CsrMatrix.topK(Tensor.zeros(DType.F64, CPU, 4), 2));
        assertEquals("topK: the dense source must be 2-D: input[4] (F64, cpu)", r.getMessage());
        DTypeMismatchException i = assertThrows(DTypeMismatchException.class, () -> CsrMatrix.threshold(Tensor.zeros(DType.I32, CPU, 2, 2), 0));
        assertEquals("threshold: only F32 and F64 matrices can be made sparse: input[2, 2] (I32, cpu)", i.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CsrMatrix.topKPerRow(a, -1));
        assertThrows(IllegalArgumentException.class, () -> CsrMatrix.threshold(a, Double.NaN));
        assertThrows(ShapeMismatchException.class, () -> sp.withValues(Tensor.zeros(DType.F64, CPU, 5)));
    }
}
