package dev.nabla.cuda;

import dev.nabla.spi.Gemm;

/**
 * The row-major product of the SPI's {@link Gemm} as one cuBLAS strided-batched call, which is
 * column-major: C = A·B is computed as Cᵀ = Bᵀ·Aᵀ, because a row-major m×n C is exactly a
 * column-major n×m matrix with leading dimension n. So cuBLAS's first operand X is our B (op(X) is
 * n×k) and its second, Y, is our A (op(Y) is k×m).
 *
 * <p>An operand maps without a copy when one of its two strides is 1: unit stride down op's
 * columns is cuBLAS's "N" with ld the other stride, unit stride along its rows is "T" (a transposed
 * view, as autodiff's backward makes them, costs nothing). A dim of size 1 takes whatever stride
 * fits. Otherwise (both strides above 1, or stride 0 inside a matrix, as an expanded vector) the
 * operand is first packed into a contiguous [batch, rows, cols] copy: {@link #packA()},
 * {@link #packB()}, and {@link #gemm()} then describes the packed operands. Batch strides pass
 * through, 0 included (one matrix broadcast over the batch).
 *
 * <pre>{@code
 * CublasPlan p = CublasPlan.of(g);      // null when a size exceeds cuBLAS's 32-bit arguments
 * cublasSgemmStridedBatched(h, p.transX(), p.transY(), p.m(), p.n(), p.k(), 1, B + p.xOffset(), p.ldX(), ...)
 * }</pre>
 *
 * @param transX cuBLAS's transa: op(X) = Xᵀ
 * @param transY cuBLAS's transb
 * @param m rows of op(X) and of the column-major result: our n
 * @param n columns of op(Y) and of the result: our m
 * @param k the inner dimension
 * @param xOffset element offset of X (our B) in its buffer; strideX its batch stride; ldX its leading dimension
 * @param yOffset element offset of Y (our A); strideY, ldY likewise
 * @param ldC leading dimension of the result (our n); strideC its batch stride (m·n)
 * @param packA whether our A must first be packed; packB likewise
 * @param gemm the product as executed: the original, or with packed operands contiguous at offset 0
 */
record CublasPlan(boolean transX, boolean transY, int m, int n, int k,
                  long xOffset, long strideX, int ldX, long yOffset, long strideY, int ldY,
                  int ldC, long strideC, int batch, boolean packA, boolean packB, Gemm gemm) {

    /** The plan of one product, or null when a size or leading dimension exceeds an int. */
    static CublasPlan of(Gemm g) {
        long m = g.m(), n = g.n(), k = g.k();
        // X = our B seen as op(X) (n×k): element (j, p) at j*bColStride + p*bRowStride
        Fit x = fit(n, k, g.bColStride(), g.bRowStride());
        // Y = our A seen as op(Y) (k×m): element (p, i) at p*aColStride + i*aRowStride
        Fit y = fit(k, m, g.aColStride(), g.aRowStride());
        boolean packB = x == null, packA = y == null;
        Gemm h = g;
        if (packA) {
            long bs = g.aBatchStride() == 0 && g.batch() > 1 ? 0 : m * k;
            h = new Gemm(h.batch(), m, n, k, 0, bs, k, 1, h.bOffset(), h.bBatchStride(), h.bRowStride(), h.bColStride());
            y = fit(k, m, 1, k);
        }
        if (packB) {
            long bs = g.bBatchStride() == 0 && g.batch() > 1 ? 0 : k * n;
            h = new Gemm(h.batch(), m, n, k, h.aOffset(), h.aBatchStride(), h.aRowStride(), h.aColStride(), 0, bs, n, 1);
            x = fit(n, k, 1, n);
        }
        long ldc = Math.max(1, n);
        if (!fitsInt(m, n, k, g.batch(), x.ld, y.ld, ldc)) return null;
        return new CublasPlan(x.trans, y.trans, (int) n, (int) m, (int) k,
                h.bOffset(), h.batch() == 1 ? 0 : h.bBatchStride(), (int) x.ld,
                h.aOffset(), h.batch() == 1 ? 0 : h.aBatchStride(), (int) y.ld,
                (int) ldc, m * n, (int) g.batch(), packA, packB, h);
    }

    /** How an operand op(M) of rows×cols, element (r, c) at r*sr + c*sc, is handed to cuBLAS. */
    private record Fit(boolean trans, long ld) {}

    /**
     * "N" when the column-major storage is op(M) itself (unit stride down a column, ld between
     * columns), "T" when it is op(M)ᵀ (unit stride along a row, ld between rows); null when
     * neither holds. cuBLAS requires ld ≥ max(1, rows of the stored matrix).
     */
    private static Fit fit(long rows, long cols, long sr, long sc) {
        long needN = Math.max(1, rows), needT = Math.max(1, cols);
        if (sr == 1 || rows <= 1) {
            long ld = cols <= 1 ? needN : sc;
            if (ld >= needN) return new Fit(false, ld);
        }
        if (sc == 1 || cols <= 1) {
            long ld = rows <= 1 ? needT : sr;
            if (ld >= needT) return new Fit(true, ld);
        }
        return null;
    }

    private static boolean fitsInt(long... vs) {
        for (long v : vs) if (v > Integer.MAX_VALUE) return false;
        return true;
    }
}
