package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.spi.Backend;
import dev.nabla.spi.Backends;
import dev.nabla.spi.Buffer;
import dev.nabla.spi.Gemm;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cuBLAS argument mapping without a GPU: each plan (transposes, leading dimensions, batch
 * strides, offsets, packing) is executed by a plain-Java column-major strided-batched GEMM that
 * follows cuBLAS's definition and refuses the arguments cuBLAS refuses, and the result is compared
 * with the CPU backend's matmul of the same {@link Gemm}.
 */
class CublasPlanTest {

    /** How one operand (rows × cols per matrix) sits in its buffer. */
    enum Mode { ROW_MAJOR, ROW_MAJOR_PADDED, COLUMN_MAJOR, COLUMN_MAJOR_PADDED, BOTH_STRIDED, ROWS_BROADCAST }

    private record Operand(long off, long bs, long rs, long cs, double[] data) {}

    private static Operand operand(Random rnd, Mode mode, long batch, boolean batchBroadcast, long rows, long cols) {
        long rs, cs;
        switch (mode) {
            case ROW_MAJOR -> { rs = cols; cs = 1; }
            case ROW_MAJOR_PADDED -> { rs = cols + 3; cs = 1; }
            case COLUMN_MAJOR -> { rs = 1; cs = rows; }
            case COLUMN_MAJOR_PADDED -> { rs = 1; cs = rows + 2; }
            case BOTH_STRIDED -> { rs = 2 * cols; cs = 2; }
            default -> { rs = 0; cs = 1; }   // every row the same (an expanded vector)
        }
        long span = (rows - 1) * rs + (cols - 1) * cs + 1;
        long bs = batchBroadcast ? 0 : span + rnd.nextInt(3);
        long off = rnd.nextInt(4);
        double[] data = new double[(int) (off + (batch - 1) * bs + span)];
        for (int i = 0; i < data.length; i++) data[i] = rnd.nextInt(19) - 9 + rnd.nextDouble();
        return new Operand(off, bs, rs, cs, data);
    }

    private static double[] cpuMatmul(Gemm g, double[] a, double[] b) {
        Backend cpu = Backends.get("cpu");
        Buffer ba = cpu.allocate(0, DType.F64, a.length), bb = cpu.allocate(0, DType.F64, b.length);
        Buffer bc = cpu.allocate(0, DType.F64, g.batch() * g.m() * g.n());
        try {
            cpu.copyFromHost(a, ba);
            cpu.copyFromHost(b, bb);
            cpu.matmul(g, ba, bb, bc);
            return (double[]) cpu.copyToHost(bc, 0, g.batch() * g.m() * g.n());
        } finally {
            cpu.free(ba);
            cpu.free(bb);
            cpu.free(bc);
        }
    }

    /** The plan run as cuBLAS would: packing first, then the strided-batched column-major GEMM. */
    private static double[] viaPlan(CublasPlan p, Gemm g, double[] a, double[] b) {
        Gemm h = p.gemm();
        double[] y = p.packA() ? pack(a, g.batch(), g.aBatchStride(), g.m(), g.k(), g.aOffset(), g.aRowStride(), g.aColStride()) : a;
        double[] x = p.packB() ? pack(b, g.batch(), g.bBatchStride(), g.k(), g.n(), g.bOffset(), g.bRowStride(), g.bColStride()) : b;
        double[] c = new double[(int) (g.batch() * g.m() * g.n())];
        assertEquals(p.packA() ? 0 : g.aOffset(), h.aOffset());
        gemmStridedBatched(p.transX(), p.transY(), p.m(), p.n(), p.k(), x, p.xOffset(), p.ldX(), p.strideX(),
                y, p.yOffset(), p.ldY(), p.strideY(), c, p.ldC(), p.strideC(), p.batch());
        return c;
    }

    private static double[] pack(double[] s, long batch, long bs, long rows, long cols, long off, long rs, long cs) {
        long nb = bs == 0 ? 1 : batch;
        double[] t = new double[(int) (nb * rows * cols)];
        for (int bi = 0; bi < nb; bi++)
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) t[(int) ((bi * rows + r) * cols + c)] = s[(int) (off + bi * bs + r * rs + c * cs)];
        return t;
    }

    /**
     * cublasDgemmStridedBatched's definition: for each batch i, C_i = op(A_i)·op(B_i) (alpha 1, beta 0),
     * column-major, A_i at A + offA + i·strideA with element (r, c) of the stored matrix at r + c·lda.
     * Arguments cuBLAS rejects with CUBLAS_STATUS_INVALID_VALUE fail here too.
     */
    static void gemmStridedBatched(boolean ta, boolean tb, int m, int n, int k, double[] a, long offA, int lda, long strideA,
                                   double[] b, long offB, int ldb, long strideB, double[] c, int ldc, long strideC, int batch) {
        assertTrue(m >= 0 && n >= 0 && k >= 0 && batch >= 0, "sizes");
        assertTrue(lda >= Math.max(1, ta ? k : m), "lda " + lda + " for " + (ta ? "T" : "N") + " m=" + m + " k=" + k);
        assertTrue(ldb >= Math.max(1, tb ? n : k), "ldb " + ldb + " for " + (tb ? "T" : "N") + " k=" + k + " n=" + n);
        assertTrue(ldc >= Math.max(1, m), "ldc");
        for (int i = 0; i < batch; i++) {
            for (int col = 0; col < n; col++) {
                for (int row = 0; row < m; row++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        double av = a[(int) (offA + i * strideA + (ta ? p + (long) row * lda : row + (long) p * lda))];
                        double bv = b[(int) (offB + i * strideB + (tb ? col + (long) p * ldb : p + (long) col * ldb))];
                        s += av * bv;
                    }
                    c[(int) (i * strideC + row + (long) col * ldc)] = s;
                }
            }
        }
    }

    @Test
    void everyLayoutMapsToCublasAndMatchesTheCpuMatmul() {
        Random rnd = new Random(7);
        int cases = 0, direct = 0;
        List<String> failures = new ArrayList<>();
        for (Mode ma : Mode.values()) {
            for (Mode mb : Mode.values()) {
                for (long[] dims : new long[][] {{1, 1, 1, 1}, {1, 5, 3, 4}, {3, 2, 7, 5}, {2, 1, 6, 3}, {2, 4, 1, 6}, {2, 3, 5, 1}}) {
                    for (int bcast = 0; bcast < 4; bcast++) {
                        long batch = dims[0], m = dims[1], n = dims[2], k = dims[3];
                        Operand a = operand(rnd, ma, batch, (bcast & 1) != 0, m, k);
                        Operand b = operand(rnd, mb, batch, (bcast & 2) != 0, k, n);
                        Gemm g = new Gemm(batch, m, n, k, a.off, a.bs, a.rs, a.cs, b.off, b.bs, b.rs, b.cs);
                        CublasPlan p = CublasPlan.of(g);
                        assertNotNull(p, g.toString());
                        double[] want = cpuMatmul(g, a.data, b.data);
                        double[] got = viaPlan(p, g, a.data, b.data);
                        for (int i = 0; i < want.length; i++) {
                            if (Math.abs(want[i] - got[i]) > 1e-9 * Math.max(1, Math.abs(want[i]))) {
                                failures.add(g + " -> " + p + ": element " + i + " " + got[i] + " != " + want[i]);
                                break;
                            }
                        }
                        boolean unitStride = ma != Mode.BOTH_STRIDED && ma != Mode.ROWS_BROADCAST
                                && mb != Mode.BOTH_STRIDED && mb != Mode.ROWS_BROADCAST;
                        if (unitStride) {
                            assertFalse(p.packA() || p.packB(), "a transposed or padded operand needs no copy: " + g + " -> " + p);
                            direct++;
                        }
                        cases++;
                    }
                }
            }
        }
        int all = cases;
        assertTrue(failures.isEmpty(), () -> failures.size() + " of " + all + " mappings wrong, e.g. " + failures.get(0));
        assertTrue(direct > 300, "cases mapped without packing: " + direct);
    }

    @Test
    void theTransposesAndLeadingDimensionsAreCublasOwn() {
        // C[2×3] = A[2×4]·B[4×3], both row-major: Cᵀ = Bᵀ·Aᵀ, no transposes, ld = the row strides
        CublasPlan p = CublasPlan.of(new Gemm(1, 2, 3, 4, 0, 0, 4, 1, 0, 0, 3, 1));
        assertEquals(List.of(false, false, 3, 2, 4, 3, 4, 3), List.of(p.transX(), p.transY(), p.m(), p.n(), p.k(), p.ldX(), p.ldY(), p.ldC()));
        // A given transposed (a column-major 2×4, as A.mT() of a 4×2): Y is transposed, ld = A's column stride
        p = CublasPlan.of(new Gemm(1, 2, 3, 4, 0, 0, 1, 2, 0, 0, 3, 1));
        assertEquals(List.of(false, true, 2), List.of(p.transX(), p.transY(), p.ldY()));
        // B transposed with a padded leading dimension 7, and A broadcast over a batch of 5
        p = CublasPlan.of(new Gemm(5, 2, 3, 4, 1, 0, 4, 1, 2, 21, 1, 7));
        assertEquals(List.of(true, 7, 21L, 0L, 2L, 1L, 6L, 5), List.of(p.transX(), p.ldX(), p.strideX(), p.strideY(),
                p.xOffset(), p.yOffset(), p.strideC(), p.batch()));
    }

    @Test
    void sizesBeyondCublasIntArgumentsAreLeftToTheSharedKernel() {
        assertNull(CublasPlan.of(new Gemm(1, 1L << 31, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1)));
        assertNull(CublasPlan.of(new Gemm(1, 2, 2, 2, 0, 0, 1L << 32, 1, 0, 0, 2, 1)));
    }
}
