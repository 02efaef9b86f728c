package dev.nabla;

import dev.nabla.spi.Layout;

import java.util.Arrays;

/**
 * The operations of {@link CsrMatrix}: the sparse × dense product (a primitive, with its derivative
 * rules), the transpose (the backend builds the structure, the values follow by a gather) and the
 * conversions, composed of tensor ops so that their derivatives come with them.
 */
final class SparseProducts {
    private SparseProducts() {}

    private static final String MATMUL = "sparse matmul";

    /** "a[3, 4] (F64, cpu) in CSR with 5 stored": names the sparse operand as errors name tensors. */
    static String describe(CsrMatrix a) {
        return Arrays.toString(a.shape()) + " (" + a.dtype() + ", " + a.device() + ") in CSR with " + a.nnz() + " stored";
    }

    static Tensor matmul(CsrMatrix a, Tensor b) {
        a.live(MATMUL);
        b.live(MATMUL);
        String operands = ": a" + describe(a) + " @ b" + b.describe();
        if (!b.device().equals(a.device())) throw new DeviceMismatchException(MATMUL + ": operands are on different devices" + operands);
        if (b.dtype != a.dtype()) throw new DTypeMismatchException(MATMUL + ": operands must have the same dtype" + operands);
        if ((b.shape.length != 1 && b.shape.length != 2) || b.shape[0] != a.cols) {
            throw new ShapeMismatchException(MATMUL + ": b must be [" + a.cols + "] or [" + a.cols + ", m]" + operands);
        }
        boolean vector = b.shape.length == 1;
        long m = vector ? 1 : b.shape[1];
        Tensor out = Tensor.empty(a.dtype(), a.device(), vector ? new long[] {a.rows} : new long[] {a.rows, m});
        if (out.numel() > 0) {
            if (a.nnz() == 0) {
                out.backend().fill(out.buffer(), 0);
            } else {
                Layout bl = vector ? new Layout(new long[] {a.cols, 1}, new long[] {b.strides[0], 0}, b.offset) : b.layout();
                out.backend().sparseMatmul(a.rows, a.rowPtr.buffer(), a.colIdx.buffer(), a.values.buffer(), b.buffer(), bl, out.buffer());
            }
        }
        if (!Graph.tracked(a.values, b)) return out;
        return Graph.record(MATMUL_RULE, out, a.values, b, a.colIdx, a.rowIdx, a.rowPtr);
    }

    /**
     * y = A(v)·b is linear in each of v and b: the gradient for b is Aᵀg, for v the sampled product
     * Σ_q g[row_k, q] b[col_k, q]; the tangent is A(t_v)·b + A·t_b. All written with sparse products
     * and gathers, which are themselves differentiable, so higher orders follow.
     */
    private static final Rule MATMUL_RULE = new Rule(MATMUL, true, false) {
        @Override
        Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) {
            CsrMatrix a = saved(in);
            Tensor b = in[1];
            Tensor dv = null, db = null;
            if (needs[0]) {
                Tensor prod = g.indexSelect(0, a.rowIdx).mul(b.indexSelect(0, a.colIdx));
                dv = prod.shape.length == 1 ? prod : prod.sum(1);
            }
            if (needs[1]) db = transpose(a).matmul(g);
            return new Tensor[] {dv, db, null, null, null};
        }

        @Override
        Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) {
            CsrMatrix a = saved(in);
            Tensor fromValues = t[0] == null ? null : a.withValues(t[0]).matmul(in[1]);
            Tensor fromB = t[1] == null ? null : a.matmul(t[1]);
            return Rules.plus(fromValues, fromB);
        }

        private CsrMatrix saved(Tensor[] in) {
            return new CsrMatrix(in[4].shape[0] - 1, in[1].shape[0], in[0], in[2], in[3], in[4]);
        }
    };

    static CsrMatrix transpose(CsrMatrix a) {
        long nnz = a.nnz();
        Device d = a.device();
        Tensor tRowPtr = Tensor.empty(DType.I64, d, new long[] {a.cols + 1});
        Tensor tColIdx = Tensor.empty(DType.I64, d, new long[] {nnz});
        Tensor tRowIdx = Tensor.empty(DType.I64, d, new long[] {nnz});
        Tensor values;
        try (Tensor perm = Tensor.empty(DType.I64, d, new long[] {nnz})) {
            if (nnz == 0) {
                tRowPtr.backend().fill(tRowPtr.buffer(), 0);
            } else {
                a.rowPtr.backend().sparseTranspose(a.rows, a.cols, a.rowPtr.buffer(), a.colIdx.buffer(), a.rowIdx.buffer(),
                        tRowPtr.buffer(), tColIdx.buffer(), tRowIdx.buffer(), perm.buffer());
            }
            values = a.values.indexSelect(0, perm);
        }
        return new CsrMatrix(a.cols, a.rows, values, tColIdx, tRowIdx, tRowPtr);
    }

    static CsrMatrix withValues(CsrMatrix a, Tensor v) {
        v.live("withValues");
        String operands = ": a" + describe(a) + ", values" + v.describe();
        if (!v.device().equals(a.device())) throw new DeviceMismatchException("withValues: values are on another device" + operands);
        if (!v.dtype.isFloating()) throw new DTypeMismatchException("withValues: values must be F32 or F64" + operands);
        if (v.shape.length != 1 || v.shape[0] != a.nnz()) {
            throw new ShapeMismatchException("withValues: values must be [" + a.nnz() + "]" + operands);
        }
        // the matrix closes what it holds: its own handles, never the caller's tensors
        Tensor own = v.isContiguous() && v.offset == 0 ? Graph.handle(v) : Elementwise.copyOf(v);
        return new CsrMatrix(a.rows, a.cols, own, a.colIdx.detach(), a.rowIdx.detach(), a.rowPtr.detach());
    }

    static Tensor toDense(CsrMatrix a) {
        try (Tensor flat = a.rowIdx.mul((double) a.cols);
             Tensor pos = flat.add(a.colIdx);
             Tensor zeros = Tensor.zeros(a.dtype(), a.device(), a.rows * a.cols);
             Tensor filled = zeros.scatterAdd(0, pos, a.values)) {
            return filled.reshape(a.rows, a.cols);
        }
    }
}
