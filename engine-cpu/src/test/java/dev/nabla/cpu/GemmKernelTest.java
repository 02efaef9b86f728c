package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks {@link GemmKernel} against a plain float64 triple loop over the same strided layout.
 * Float results must be within {@code tol·sqrt(k)·Σ_p |a||b|} of the reference (tol = 1e-6 for F32,
 * 1e-12 for F64); integer results must be exact, wrapping included. Every test also checks that
 * nothing outside the output region of C was written.
 */
class GemmKernelTest {

    private static final float F_SENTINEL = -12345.5f;

    /** One call's shape and layout; C is contiguous at cOff. */
    private record Layout(int batch, int m, int n, int k,
                          long aOff, long aBatch, long aRow, long aCol,
                          long bOff, long bBatch, long bRow, long bCol, long cOff) {

        /** Plain contiguous row-major operands, one matrix after another. */
        static Layout dense(int batch, int m, int n, int k) {
            return new Layout(batch, m, n, k, 0, (long) m * k, k, 1, 0, (long) k * n, n, 1, 0);
        }

        int aLen() { return extent(aOff, aBatch, aRow, aCol, m, k); }

        int bLen() { return extent(bOff, bBatch, bRow, bCol, k, n); }

        int cLen() { return (int) (cOff + (long) batch * m * n) + 5; }

        private int extent(long off, long bs, long rs, long cs, int rows, int cols) {
            long hi = off;
            if (batch > 0 && rows > 0 && cols > 0) {
                hi += Math.max(0, (batch - 1) * bs) + Math.max(0, (rows - 1) * rs) + Math.max(0, (cols - 1) * cs);
            }
            return (int) hi + 3;
        }

        long aIndex(int b, int i, int p) { return aOff + b * aBatch + i * aRow + p * aCol; }

        long bIndex(int b, int p, int j) { return bOff + b * bBatch + p * bRow + j * bCol; }

        long cIndex(int b, int i, int j) { return cOff + ((long) b * m + i) * n + j; }
    }

    // ---------------------------------------------------------------------------------------
    // Independent references (float64 / exact integer triple loops) and checkers
    // ---------------------------------------------------------------------------------------

    /** ref[0] = Σ a·b, ref[1] = Σ |a|·|b|, per output element in C order. */
    private static double[][] reference(Layout l, double[] a, double[] b) {
        int total = l.batch() * l.m() * l.n();
        double[] sum = new double[total], mag = new double[total];
        for (int bt = 0; bt < l.batch(); bt++) {
            for (int i = 0; i < l.m(); i++) {
                int row = (bt * l.m() + i) * l.n();
                for (int p = 0; p < l.k(); p++) {
                    double x = a[(int) l.aIndex(bt, i, p)];
                    for (int j = 0; j < l.n(); j++) {
                        double y = b[(int) l.bIndex(bt, p, j)];
                        sum[row + j] += x * y;
                        mag[row + j] += Math.abs(x * y);
                    }
                }
            }
        }
        return new double[][] {sum, mag};
    }

    private static double[] randomValues(int len, long seed) {
        Random r = new Random(seed);
        double[] v = new double[len];
        for (int i = 0; i < len; i++) v[i] = r.nextDouble() * 2 - 1;
        return v;
    }

    private static void checkF32(Layout l) {
        double[] ad = randomValues(l.aLen(), 11), bd = randomValues(l.bLen(), 23);
        float[] a = new float[ad.length], b = new float[bd.length];
        for (int i = 0; i < a.length; i++) { a[i] = (float) ad[i]; ad[i] = a[i]; }
        for (int i = 0; i < b.length; i++) { b[i] = (float) bd[i]; bd[i] = b[i]; }
        float[] c = new float[l.cLen()];
        java.util.Arrays.fill(c, F_SENTINEL);
        GemmKernel.sgemm(l.batch(), l.m(), l.n(), l.k(), a, l.aOff(), l.aBatch(), l.aRow(), l.aCol(),
                b, l.bOff(), l.bBatch(), l.bRow(), l.bCol(), c, l.cOff());
        double[][] ref = reference(l, ad, bd);
        double tol = 1e-6 * Math.sqrt(Math.max(1, l.k()));
        int idx = 0;
        for (int bt = 0; bt < l.batch(); bt++) {
            for (int i = 0; i < l.m(); i++) {
                for (int j = 0; j < l.n(); j++, idx++) {
                    double got = c[(int) l.cIndex(bt, i, j)], want = ref[0][idx];
                    double bound = tol * ref[1][idx] + 1e-30;
                    if (!(Math.abs(got - want) <= bound)) {
                        fail("F32 " + l + " at [" + bt + "," + i + "," + j + "]: got " + got + ", want "
                                + want + " ± " + bound);
                    }
                }
            }
        }
        checkUntouched(l, i -> c[i] == F_SENTINEL, c.length);
    }

    private static void checkF64(Layout l) {
        double[] a = randomValues(l.aLen(), 31), b = randomValues(l.bLen(), 47);
        double[] c = new double[l.cLen()];
        java.util.Arrays.fill(c, F_SENTINEL);
        GemmKernel.dgemm(l.batch(), l.m(), l.n(), l.k(), a, l.aOff(), l.aBatch(), l.aRow(), l.aCol(),
                b, l.bOff(), l.bBatch(), l.bRow(), l.bCol(), c, l.cOff());
        double[][] ref = reference(l, a, b);
        double tol = 1e-12 * Math.sqrt(Math.max(1, l.k()));
        int idx = 0;
        for (int bt = 0; bt < l.batch(); bt++) {
            for (int i = 0; i < l.m(); i++) {
                for (int j = 0; j < l.n(); j++, idx++) {
                    double got = c[(int) l.cIndex(bt, i, j)], want = ref[0][idx];
                    double bound = tol * ref[1][idx] + 1e-300;
                    if (!(Math.abs(got - want) <= bound)) {
                        fail("F64 " + l + " at [" + bt + "," + i + "," + j + "]: got " + got + ", want "
                                + want + " ± " + bound);
                    }
                }
            }
        }
        checkUntouched(l, i -> c[i] == F_SENTINEL, c.length);
    }

    private static void checkI32(Layout l, int range) {
        Random r = new Random(5);
        int[] a = new int[l.aLen()], b = new int[l.bLen()];
        for (int i = 0; i < a.length; i++) a[i] = range == 0 ? r.nextInt() : r.nextInt(2 * range + 1) - range;
        for (int i = 0; i < b.length; i++) b[i] = range == 0 ? r.nextInt() : r.nextInt(2 * range + 1) - range;
        int[] c = new int[l.cLen()];
        java.util.Arrays.fill(c, 777);
        GemmKernel.igemm(l.batch(), l.m(), l.n(), l.k(), a, l.aOff(), l.aBatch(), l.aRow(), l.aCol(),
                b, l.bOff(), l.bBatch(), l.bRow(), l.bCol(), c, l.cOff());
        for (int bt = 0; bt < l.batch(); bt++) {
            for (int i = 0; i < l.m(); i++) {
                for (int j = 0; j < l.n(); j++) {
                    int want = 0;
                    for (int p = 0; p < l.k(); p++) {
                        want += a[(int) l.aIndex(bt, i, p)] * b[(int) l.bIndex(bt, p, j)];
                    }
                    assertEquals(want, c[(int) l.cIndex(bt, i, j)], "I32 " + l + " at " + bt + "," + i + "," + j);
                }
            }
        }
        checkUntouched(l, i -> c[i] == 777, c.length);
    }

    private static void checkI64(Layout l, long range) {
        Random r = new Random(6);
        long[] a = new long[l.aLen()], b = new long[l.bLen()];
        for (int i = 0; i < a.length; i++) a[i] = range == 0 ? r.nextLong() : r.nextLong(2 * range + 1) - range;
        for (int i = 0; i < b.length; i++) b[i] = range == 0 ? r.nextLong() : r.nextLong(2 * range + 1) - range;
        long[] c = new long[l.cLen()];
        java.util.Arrays.fill(c, 777L);
        GemmKernel.lgemm(l.batch(), l.m(), l.n(), l.k(), a, l.aOff(), l.aBatch(), l.aRow(), l.aCol(),
                b, l.bOff(), l.bBatch(), l.bRow(), l.bCol(), c, l.cOff());
        for (int bt = 0; bt < l.batch(); bt++) {
            for (int i = 0; i < l.m(); i++) {
                for (int j = 0; j < l.n(); j++) {
                    long want = 0;
                    for (int p = 0; p < l.k(); p++) {
                        want += a[(int) l.aIndex(bt, i, p)] * b[(int) l.bIndex(bt, p, j)];
                    }
                    assertEquals(want, c[(int) l.cIndex(bt, i, j)], "I64 " + l + " at " + bt + "," + i + "," + j);
                }
            }
        }
        checkUntouched(l, i -> c[i] == 777L, c.length);
    }

    /** Everything before cOff and after the batch×m×n output must still hold the sentinel. */
    private static void checkUntouched(Layout l, java.util.function.IntPredicate isSentinel, int len) {
        int start = (int) l.cOff(), end = (int) (l.cOff() + (long) l.batch() * l.m() * l.n());
        for (int i = 0; i < len; i++) {
            if (i < start || i >= end) {
                assertTrue(isSentinel.test(i), "C written outside its region at " + i + " for " + l);
            }
        }
    }

    private static void checkFloats(Layout l) {
        checkF32(l);
        checkF64(l);
    }

    private static void checkAll(Layout l) {
        checkF32(l);
        checkF64(l);
        checkI32(l, 50);
        checkI64(l, 1000);
    }

    /** A stored as k×m and B as n×k: the operands are transposed views (row and column strides swapped). */
    private static Layout transposed(int m, int n, int k, boolean ta, boolean tb) {
        return new Layout(1, m, n, k,
                0, 0, ta ? 1 : k, ta ? m : 1,
                0, 0, tb ? 1 : n, tb ? k : 1, 0);
    }

    // ---------------------------------------------------------------------------------------
    // Tests
    // ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 16, 33, 64, 100, 257})
    void squareProductsMatchReference(int size) {
        checkAll(Layout.dense(1, size, size, size));
    }

    @Test
    void largeSquareF32ProductMatchesReference() {
        checkF32(Layout.dense(1, 1023, 1023, 1023));
    }

    @Test
    void largeSquareF64ProductMatchesReference() {
        checkF64(Layout.dense(1, 1023, 1023, 1023));
    }

    @Test
    void nonSquareProductsMatchReference() {
        checkFloats(Layout.dense(1, 128, 256, 784));
        checkFloats(Layout.dense(1, 128, 10, 256));
        checkFloats(Layout.dense(1, 10, 300, 64));
        checkFloats(Layout.dense(1, 300, 40, 20));
        checkI32(Layout.dense(1, 128, 10, 256), 50);
        // big enough to be split across threads, by columns (n > m) and by rows
        checkFloats(Layout.dense(1, 140, 300, 150));
        checkFloats(Layout.dense(1, 300, 140, 150));
    }

    @Test
    void oddEdgeTilesMatchReference() {
        // m, n around multiples of the 6-row and 2-vector tiles; k across one k-block boundary
        int[] ms = {5, 6, 7, 11, 13, 37};
        int[] ns = {15, 17, 31, 33, 47, 49, 65};
        for (int m : ms) {
            for (int n : ns) {
                checkFloats(Layout.dense(1, m, n, 70));
            }
        }
        checkFloats(Layout.dense(1, 50, 70, 257));
        checkFloats(Layout.dense(1, 50, 70, 513));
        checkFloats(Layout.dense(1, 97, 600, 40)); // n crosses the column block
    }

    @Test
    void transposedOperandsMatchReference() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                checkAll(transposed(5, 9, 7, ta, tb));       // direct path
                checkAll(transposed(70, 90, 130, ta, tb));   // packed path, ragged tiles
                checkFloats(transposed(200, 300, 270, ta, tb)); // several k-blocks, parallel split
            }
        }
    }

    @Test
    void slicedOperandsWithOffsetsMatchReference() {
        // A is a 40×30 window at (3, 5) of a 50-column matrix; B a 30×45 window at (2, 7) of a
        // 64-column matrix; C written at an offset.
        checkAll(new Layout(1, 40, 45, 30, 3 * 50 + 5, 0, 50, 1, 2 * 64 + 7, 0, 64, 1, 17));
        // every other row and column of bigger matrices (non-unit strides on both axes)
        checkFloats(new Layout(1, 70, 80, 90, 9, 0, 2 * 190, 2, 4, 0, 2 * 170, 2, 3));
        // batched windows: row stride > cols, batch stride > rows·row stride
        checkAll(new Layout(3, 13, 21, 17, 1, 13 * 20 + 7, 20, 1, 2, 17 * 25 + 1, 25, 1, 9));
        checkFloats(new Layout(3, 130, 210, 170, 1, 130 * 200 + 7, 200, 1, 2, 170 * 250 + 1, 250, 1, 9));
        // negative column stride (a reversed view of B's rows)
        checkFloats(new Layout(1, 33, 40, 50, 0, 0, 50, 1, 39, 0, 40, -1, 0));
    }

    @Test
    void broadcastOperandsMatchReference() {
        // the same A for every batch element; the same B for every batch element
        checkAll(new Layout(4, 12, 14, 9, 0, 0, 9, 1, 0, 9 * 14, 14, 1, 0));
        checkAll(new Layout(4, 12, 14, 9, 0, 12 * 9, 9, 1, 0, 0, 14, 1, 0));
        checkFloats(new Layout(5, 100, 120, 90, 0, 0, 90, 1, 0, 90 * 120, 120, 1, 0));
        checkFloats(new Layout(5, 100, 120, 90, 0, 100 * 90, 90, 1, 0, 0, 120, 1, 0));
        // column stride 0: every column of B equals its first column; every row of A one value per row
        checkAll(new Layout(1, 20, 30, 25, 0, 0, 25, 1, 0, 0, 1, 0, 0));
        checkFloats(new Layout(1, 80, 90, 100, 0, 0, 100, 1, 0, 0, 1, 0, 0));
        checkFloats(new Layout(1, 80, 90, 100, 0, 0, 1, 0, 0, 0, 90, 1, 0));
        // row stride 0 on B (every row the same) and A broadcast across rows
        checkFloats(new Layout(2, 64, 96, 48, 0, 0, 0, 1, 0, 0, 0, 1, 0));
    }

    @Test
    void batchedSmallProductsMatchReference() {
        checkAll(Layout.dense(64, 17, 23, 19));
        checkFloats(Layout.dense(200, 64, 64, 64));
        checkFloats(Layout.dense(3, 150, 170, 160)); // batch not a multiple of the thread count
        checkF32(Layout.dense(3, 200, 210, 160));    // ... with each matrix split across threads
        checkFloats(Layout.dense(2, 1, 1, 1));
    }

    @Test
    void skinnyProductsMatchReference() {
        checkAll(Layout.dense(1, 1, 300, 200));    // row vector × matrix
        checkAll(Layout.dense(1, 300, 1, 200));    // matrix × column vector
        checkAll(Layout.dense(1, 300, 200, 1));    // outer product
        checkFloats(Layout.dense(1, 500, 600, 3)); // k tiny
        checkFloats(Layout.dense(1, 2, 700, 500)); // m below the tile height
    }

    @Test
    void zeroInnerDimensionWritesZeros() {
        for (Layout l : new Layout[] {Layout.dense(1, 5, 7, 0), Layout.dense(3, 40, 50, 0),
                new Layout(2, 4, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11)}) {
            float[] fc = new float[l.cLen()];
            java.util.Arrays.fill(fc, F_SENTINEL);
            GemmKernel.sgemm(l.batch(), l.m(), l.n(), 0, new float[1], 0, 0, 0, 0, new float[1], 0, 0, 0, 0,
                    fc, l.cOff());
            double[] dc = new double[l.cLen()];
            java.util.Arrays.fill(dc, F_SENTINEL);
            GemmKernel.dgemm(l.batch(), l.m(), l.n(), 0, new double[1], 0, 0, 0, 0, new double[1], 0, 0, 0, 0,
                    dc, l.cOff());
            int[] ic = new int[l.cLen()];
            java.util.Arrays.fill(ic, 777);
            GemmKernel.igemm(l.batch(), l.m(), l.n(), 0, new int[1], 0, 0, 0, 0, new int[1], 0, 0, 0, 0,
                    ic, l.cOff());
            long[] lc = new long[l.cLen()];
            java.util.Arrays.fill(lc, 777L);
            GemmKernel.lgemm(l.batch(), l.m(), l.n(), 0, new long[1], 0, 0, 0, 0, new long[1], 0, 0, 0, 0,
                    lc, l.cOff());
            int start = (int) l.cOff(), end = start + l.batch() * l.m() * l.n();
            for (int i = 0; i < fc.length; i++) {
                boolean in = i >= start && i < end;
                assertEquals(in ? 0f : F_SENTINEL, fc[i], "F32 at " + i);
                assertEquals(in ? 0d : F_SENTINEL, dc[i], "F64 at " + i);
                assertEquals(in ? 0 : 777, ic[i], "I32 at " + i);
                assertEquals(in ? 0L : 777L, lc[i], "I64 at " + i);
            }
        }
    }

    @Test
    void emptyOutputLeavesArraysUntouched() {
        checkAll(Layout.dense(1, 0, 5, 3));
        checkAll(Layout.dense(1, 5, 0, 3));
        checkAll(Layout.dense(0, 5, 5, 3));
        checkAll(Layout.dense(2, 0, 0, 0));
    }

    @Test
    void integerProductsWrapLikeJavaArithmetic() {
        checkI32(Layout.dense(1, 9, 11, 13), 0);
        checkI64(Layout.dense(1, 9, 11, 13), 0);
        checkI32(transposed(20, 30, 40, true, true), 0);
        checkI64(new Layout(3, 7, 8, 9, 0, 0, 9, 1, 0, 72, 8, 1, 0), 0);
        checkI32(Layout.dense(1, 100, 120, 140), 1000);
    }

    @Test
    void repeatedCallsFromManyThreadsAreIndependent() throws Exception {
        // scratch buffers are per thread: concurrent callers with different shapes must not interfere
        Thread[] ts = new Thread[4];
        Throwable[] err = new Throwable[ts.length];
        for (int t = 0; t < ts.length; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                try {
                    for (int rep = 0; rep < 3; rep++) {
                        checkF32(Layout.dense(1 + id, 60 + 7 * id, 90 - 5 * id, 300 + 11 * id));
                        checkF64(Layout.dense(2, 45 + id, 70 + id, 200 - id));
                    }
                } catch (Throwable e) {
                    err[id] = e;
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) t.join();
        for (Throwable e : err) {
            if (e != null) throw new AssertionError(e);
        }
    }
}
