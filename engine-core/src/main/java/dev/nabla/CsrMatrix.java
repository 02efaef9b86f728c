package dev.nabla;

import java.util.Arrays;

/**
 * A sparse matrix in compressed sparse row (CSR) form on a device: F32 or F64 values, I64 column
 * indices and row pointers (and each entry's row, kept so that products and their derivatives
 * are plain tensor ops). Made from a dense 2-D tensor by a threshold on magnitude, by keeping its k
 * largest entries overall, or its k largest per row; it multiplies dense vectors and matrices on
 * cpu, opencl and cuda with the engine's own kernels, and {@link #mT()} gives its transpose.
 *
 * <pre>{@code
 * try (Scope s = Scope.open()) {
 *     CsrMatrix a = CsrMatrix.topK(p, 2 * n);              // the 2n largest entries of p [n, n]
 *     Tensor y = a.matmul(v), z = a.mT().matmul(v);       // A v and Aᵀ v, dense [n]
 * }
 * }</pre>
 *
 * <p><b>Ranking.</b> Entries compare as {@link Double#compare} orders values: NaN above +∞, −0.0
 * below +0.0. {@link #topK} and {@link #topKPerRow} keep exactly k entries (fewer when the matrix
 * or row has fewer); among entries tied with the k-th largest, the first in row-major order win.
 * {@link #threshold} keeps the entries with |x| &gt; t (NaN counts as larger than any t), so
 * {@code threshold(x, 0)} drops exactly the zeros. Columns within a row are in increasing order.
 *
 * <p><b>Derivatives.</b> {@link #matmul} is differentiable, to any order and in both modes, with
 * respect to the dense operand and to the sparse values; {@link #mT()}, {@link #toDense()} and
 * {@link #withValues} pass derivatives through the values; the constructors pass them from the
 * kept entries back to the dense source. Which entries are kept is piecewise constant: no
 * derivative flows through the choice itself (as for a threshold or a sort).
 *
 * <p>A CsrMatrix owns its four tensors: close it, or make it inside a {@link Scope} (its tensors
 * belong to the scope as any other; {@link Scope#keep(CsrMatrix)} keeps them all).
 */
public final class CsrMatrix implements AutoCloseable {
    final long rows;
    final long cols;
    final Tensor values;
    final Tensor colIdx;
    final Tensor rowIdx;
    final Tensor rowPtr;

    CsrMatrix(long rows, long cols, Tensor values, Tensor colIdx, Tensor rowIdx, Tensor rowPtr) {
        this.rows = rows;
        this.cols = cols;
        this.values = values;
        this.colIdx = colIdx;
        this.rowIdx = rowIdx;
        this.rowPtr = rowPtr;
    }

    // ---- construction -------------------------------------------------------------------------

    /**
     * The entries of a 2-D floating tensor with |x| &gt; t; t = 0 drops exactly the zeros.
     *
     * <pre>{@code
     * CsrMatrix a = CsrMatrix.threshold(Tensor.of(new double[] {0, 2, -3, 0.1}, 2, 2), 0.5);   // 2 and -3
     * }</pre>
     */
    public static CsrMatrix threshold(Tensor dense, double t) { return SparseBuild.threshold(dense, t); }

    /**
     * The k largest entries of a 2-D floating tensor (all of them when k ≥ rows·cols); ties with the
     * k-th largest go to the first in row-major order.
     *
     * <pre>{@code
     * CsrMatrix a = CsrMatrix.topK(plan, 2 * plan.size(0));
     * }</pre>
     */
    public static CsrMatrix topK(Tensor dense, long k) { return SparseBuild.topK(dense, k); }

    /**
     * The k largest entries of every row (all of a row when k ≥ cols); ties go to the lower column.
     *
     * <pre>{@code
     * CsrMatrix knn = CsrMatrix.topKPerRow(similarity, 10);
     * }</pre>
     */
    public static CsrMatrix topKPerRow(Tensor dense, long k) { return SparseBuild.topKPerRow(dense, k); }

    // ---- metadata -----------------------------------------------------------------------------

    /** {rows, cols}. */
    public long[] shape() { return new long[] {rows, cols}; }
    public long rows() { return rows; }
    public long cols() { return cols; }
    /** The number of stored entries. */
    public long nnz() { return values.shape[0]; }
    public DType dtype() { return values.dtype; }
    public Device device() { return values.device(); }

    /** The stored values [nnz], row by row (tracked by autodiff when the source was). */
    public Tensor values() { return values; }
    /** Each entry's column, I64 [nnz]. */
    public Tensor colIndices() { return colIdx; }
    /** Each entry's row, I64 [nnz]. */
    public Tensor rowIndices() { return rowIdx; }
    /** Row i's entries are [rowPointers[i], rowPointers[i + 1]), I64 [rows + 1]. */
    public Tensor rowPointers() { return rowPtr; }

    /** "[3, 4] (F64, cpu, CSR nnz 5)": the form error messages use. */
    String describe() {
        return Arrays.toString(shape()) + " (" + dtype() + ", " + device() + ", CSR nnz " + nnz() + ")";
    }

    CsrMatrix live(String op) {
        for (Tensor t : new Tensor[] {values, colIdx, rowIdx, rowPtr}) {
            if (t.isClosed()) throw new ClosedTensorException(op + ": sparse matrix " + Arrays.toString(shape()) + " is closed");
        }
        return this;
    }

    // ---- operations ---------------------------------------------------------------------------

    /**
     * A·b for a dense b of shape [cols] (giving [rows]) or [cols, m] (giving [rows, m]), of this
     * matrix's dtype and device.
     *
     * <pre>{@code
     * Tensor av = a.matmul(v);
     * }</pre>
     */
    public Tensor matmul(Tensor b) { return SparseProducts.matmul(this, b); }

    /**
     * The transpose, a new CSR matrix [cols, rows] with the same values (gathered, so derivatives
     * pass through); Aᵀ·b is {@code a.mT().matmul(b)}. Costs O(nnz + cols): transpose once and
     * reuse it when multiplying repeatedly.
     */
    public CsrMatrix mT() { return SparseProducts.transpose(live("mT")); }

    /** The same sparsity pattern with other values ([nnz], floating, same device); shares the structure. */
    public CsrMatrix withValues(Tensor newValues) { return SparseProducts.withValues(live("withValues"), newValues); }

    /** The dense [rows, cols] tensor, zeros where nothing is stored. */
    public Tensor toDense() { return SparseProducts.toDense(live("toDense")); }

    /** This matrix on another device (itself when already there). */
    public CsrMatrix to(Device d) {
        live("to");
        if (d.equals(device())) return this;
        return new CsrMatrix(rows, cols, values.to(d), colIdx.to(d), rowIdx.to(d), rowPtr.to(d));
    }

    /** Closes the four tensors (a matrix from {@link #withValues} holds its own references to the structure). */
    @Override
    public void close() {
        values.close();
        colIdx.close();
        rowIdx.close();
        rowPtr.close();
    }

    @Override
    public String toString() {
        return "CsrMatrix" + describe();
    }
}
