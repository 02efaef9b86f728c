package dev.nabla.spi;

import dev.nabla.DType;

import java.util.List;
import java.util.Set;

/**
 * The small set of primitives a device implements; engine-core composes everything else from them.
 * Found with {@link java.util.ServiceLoader}; one instance serves every device of its kind.
 *
 * <p>Contract, for every compute call: the frontend has validated shapes, dtypes and devices, so a
 * backend never re-validates. Input layouts are already broadcast to the output shape (stride 0 on
 * broadcast dims); outputs are fresh contiguous buffers at offset 0 unless a layout says otherwise.
 * Backends know nothing of autodiff.
 *
 * <pre>{@code
 * Backend cpu = Backends.get("cpu");
 * Buffer b = cpu.allocate(0, DType.F32, 6);
 * }</pre>
 */
public interface Backend {

    /** "cpu", "cuda" or "opencl": the kind in {@code Device}'s spelling. */
    String kind();

    /** What each device index of this kind is, or why it cannot be used. Never throws. */
    List<DeviceInfo> probe();

    /** Element types this device computes in (F64 may be missing on some GPUs). */
    Set<DType> supportedDTypes(int deviceIndex);

    // ---- memory -------------------------------------------------------------------------------

    /** A buffer of {@code numel} elements, contents unspecified. Throws {@code OutOfMemoryException}. */
    Buffer allocate(int deviceIndex, DType dtype, long numel);

    /** Returns the buffer's memory; the buffer is not used again. */
    void free(Buffer buffer);

    /**
     * Copies a host array into the buffer from element 0. The array's type matches the dtype:
     * float[] F32, double[] F64, int[] I32, long[] I64, boolean[] BOOL.
     */
    void copyFromHost(Object hostArray, Buffer dst);

    /** A new host array (type as in {@link #copyFromHost}) of {@code count} elements from {@code offset}. */
    Object copyToHost(Buffer src, long offset, long count);

    /** Sets every element of the buffer to {@code value} converted to its dtype. */
    void fill(Buffer dst, double value);

    /** Waits for all queued work on the device. */
    void sync(int deviceIndex);

    MemoryStats memoryStats(int deviceIndex);

    // ---- compute ------------------------------------------------------------------------------

    /** out = op(x), elementwise; x and out share a dtype. */
    void unary(UnaryOp op, Buffer x, Layout xl, Buffer out);

    /** out = op(a, b), elementwise; a and b share a dtype; out is BOOL for comparisons. */
    void binary(BinaryOp op, Buffer a, Layout al, Buffer b, Layout bl, Buffer out);

    /** out = cond ? a : b, elementwise; cond is BOOL, a, b and out share a dtype. */
    void where(Buffer cond, Layout cl, Buffer a, Layout al, Buffer b, Layout bl, Buffer out);

    /** out = x converted to out's dtype (floats to integers truncate toward zero; nonzero to BOOL is true). */
    void cast(Buffer x, Layout xl, Buffer out);

    /** Copies x (any layout) into the elements of out that {@code ol} addresses; one dtype. */
    void copy(Buffer x, Layout xl, Buffer out, Layout ol);

    /**
     * Reduces the last {@code reducedDims} dims of {@code xl}; out is contiguous over the leading dims.
     * An empty reduction writes the identity (SUM 0, PROD 1); MAX/MIN/ARGMAX/ARGMIN are never
     * called on an empty one.
     */
    void reduce(ReduceOp op, Buffer x, Layout xl, int reducedDims, Buffer out);

    /** Batched C = A·B, see {@link Gemm}; a, b and c share a dtype. */
    void matmul(Gemm g, Buffer a, Buffer b, Buffer c);

    /**
     * out[i...] = x[i with dim replaced by index[i...]]; index is I64 with the layout's shape equal to
     * out's; {@code xl} is x's own layout. Returns -1, or the row-major position in the index of
     * the first value outside [0, x.shape[dim]).
     */
    long gather(Buffer x, Layout xl, int dim, Buffer index, Layout il, Buffer out, Layout ol);

    /**
     * out (already holding a copy of the destination) gets src added at index positions along dim:
     * out[i with dim replaced by index[i...]] += src[i...]. Returns -1 or the first bad position.
     */
    long scatterAdd(Buffer out, Layout ol, int dim, Buffer index, Layout il, Buffer src, Layout sl);

    /** Fills out (contiguous) with Philox4x32-10 draws for (seed, offset); see {@link Philox}. */
    void random(RandomDist dist, Buffer out, long seed, long offset);

    // ---- optional fused kernels: a backend may leave them out --------------------------------

    /**
     * Softmax (or, when {@code log}, log-softmax) over the last dim of {@code xl}, F32 or F64, into
     * out, contiguous with xl's shape: out = exp(x − max) / Σ exp(x − max) per row, computed as
     * those ops would compute it (max, subtract, exp, sum, divide; log-softmax subtracts the log of
     * the sum from x − max), so special values come out as the composed form gives them. Returns
     * false, writing nothing, when the backend has no fused kernel; the frontend then composes it
     * from the primitives above.
     */
    default boolean softmax(Buffer x, Layout xl, Buffer out, boolean log) {
        return false;
    }

    // ---- sparse matrices (CSR), see dev.nabla.CsrMatrix ----------------------------------------
    // Values are F32 or F64; row pointers and column indices I64. Entries are ranked by SparseKeys:
    // the value order of Double.compare (NaN above +inf, -0.0 below +0.0), |x| when magnitude.
    // A backend without them throws; cpu, opencl and cuda implement all four.

    /**
     * For each row i of the 2-D {@code x} ([rows, cols], any strides): how many entries have a key
     * (see {@link SparseKeys}; of |x| when {@code magnitude}) of at least {@code thresholds[i]},
     * written as I64 to {@code counts[rows]}. {@code tl} is the thresholds' I64 layout [rows]
     * (stride 0: one threshold for every row).
     */
    default void sparseCount(Buffer x, Layout xl, boolean magnitude, Buffer thresholds, Layout tl, Buffer counts) {
        throw SparseKeys.unsupported(kind(), "sparseCount");
    }

    /**
     * Compresses x into CSR: row i keeps, in column order, its entries whose key is above
     * {@code thresholds[i]}, and of those whose key equals it the first {@code quota[i]} (I64,
     * layout {@code ql}, stride 0 allowed). {@code rowPtr} (I64 [rows + 1]) is given, computed by
     * the caller from the counts; the backend writes {@code colIdx} and {@code rowIdx} (I64 [nnz],
     * each entry's column and row) and {@code values} (x's dtype, [nnz]).
     */
    default void sparseCompress(Buffer x, Layout xl, boolean magnitude, Buffer thresholds, Layout tl, Buffer quota,
                                Layout ql, Buffer rowPtr, Buffer colIdx, Buffer rowIdx, Buffer values) {
        throw SparseKeys.unsupported(kind(), "sparseCompress");
    }

    /**
     * out = A·B with A in CSR ({@code rows} rows; rowPtr, colIdx as above; values of out's dtype) and
     * B of layout {@code bl} [cols, m] (any strides); out is contiguous [rows, m]. Each output sums
     * its row's entries in storage order, so every backend adds the same terms in the same order.
     */
    default void sparseMatmul(long rows, Buffer rowPtr, Buffer colIdx, Buffer values, Buffer b, Layout bl, Buffer out) {
        throw SparseKeys.unsupported(kind(), "sparseMatmul");
    }

    /**
     * The structure of Aᵀ for A in CSR ([rows, cols], rowPtr, colIdx, rowIdx): {@code tRowPtr}
     * (I64 [cols + 1]), {@code tColIdx} and {@code tRowIdx} (I64 [nnz]), each row of Aᵀ in
     * increasing column order, and {@code perm} (I64 [nnz]): entry s of Aᵀ is entry perm[s] of A,
     * so its values are A's gathered by perm.
     */
    default void sparseTranspose(long rows, long cols, Buffer rowPtr, Buffer colIdx, Buffer rowIdx, Buffer tRowPtr,
                                 Buffer tColIdx, Buffer tRowIdx, Buffer perm) {
        throw SparseKeys.unsupported(kind(), "sparseTranspose");
    }
}
