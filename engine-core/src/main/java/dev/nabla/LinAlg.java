package dev.nabla;

import dev.nabla.spi.BinaryOp;
import dev.nabla.spi.Gemm;
import dev.nabla.spi.Layout;

import java.util.Arrays;

/** matmul with torch.matmul's rank rules, mapped onto one strided batched GEMM call. */
final class LinAlg {
    private LinAlg() {}

    static Tensor matmul(Tensor a, Tensor b) {
        a.live("matmul");
        b.live("matmul");
        Errors.sameDevice("matmul", a, b);
        if (a.shape.length == 0 || b.shape.length == 0) {
            throw Errors.shape("matmul", "both operands need at least 1 dim", a, b);
        }
        if (a.dtype != b.dtype) {
            throw new DTypeMismatchException(Errors.message("matmul", "operands must have the same dtype", a, b));
        }
        if (a.dtype == DType.BOOL) throw Errors.dtype("matmul", "not defined for BOOL", a, b);
        long ka = a.shape[a.shape.length - 1];
        long kb = b.shape.length == 1 ? b.shape[0] : b.shape[b.shape.length - 2];
        if (ka != kb) {
            throw new ShapeMismatchException("matmul: inner dimensions differ: a" + a.describe() + " @ b" + b.describe());
        }
        boolean va = a.shape.length == 1, vb = b.shape.length == 1;
        // a vector operand becomes a 1-row (or 1-column) matrix; that dim is dropped from the result
        long[] as = va ? new long[] {1, a.shape[0]} : a.shape;
        long[] ast = va ? new long[] {0, a.strides[0]} : a.strides;
        long[] bs = vb ? new long[] {b.shape[0], 1} : b.shape;
        long[] bst = vb ? new long[] {b.strides[0], 0} : b.strides;
        int ra = as.length, rb = bs.length;
        long m = as[ra - 2], k = as[ra - 1], n = bs[rb - 1];
        long[] batchShape = broadcastBatch(a, b, Arrays.copyOf(as, ra - 2), Arrays.copyOf(bs, rb - 2));
        long batch = Layout.numel(batchShape);

        long[] outShape = new long[batchShape.length + (va ? 0 : 1) + (vb ? 0 : 1)];
        System.arraycopy(batchShape, 0, outShape, 0, batchShape.length);
        int at = batchShape.length;
        if (!va) outShape[at++] = m;
        if (!vb) outShape[at] = n;
        Tensor out = Tensor.empty(a.dtype, a.device(), outShape);
        if (out.numel() == 0) return Graph.tracked(a, b) ? Graph.record(Rules.MATMUL, out, a, b) : out;

        Operand pa = operand(a, as, ast, batchShape);
        Operand pb = operand(b, bs, bst, batchShape);
        try {
            Gemm g = new Gemm(batch, m, n, k,
                    pa.offset, pa.batchStride, pa.rowStride, pa.colStride,
                    pb.offset, pb.batchStride, pb.rowStride, pb.colStride);
            a.backend().matmul(g, pa.tensor.buffer(), pb.tensor.buffer(), out.buffer());
        } finally {
            if (pa.tensor != a) pa.tensor.close();
            if (pb.tensor != b) pb.tensor.close();
        }
        return Graph.tracked(a, b) ? Graph.record(Rules.MATMUL, out, a, b) : out;
    }

    private static long[] broadcastBatch(Tensor a, Tensor b, long[] x, long[] y) {
        int r = Math.max(x.length, y.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            int ix = i - (r - x.length), iy = i - (r - y.length);
            long dx = ix >= 0 ? x[ix] : 1, dy = iy >= 0 ? y[iy] : 1;
            if (dx != dy && dx != 1 && dy != 1) {
                throw Errors.shape("matmul", "batch dims cannot broadcast", a, b);
            }
            out[i] = dx == 1 ? dy : dx;
        }
        return out;
    }

    /** A GEMM operand: the tensor whose buffer is read, and its offset and strides. */
    private record Operand(Tensor tensor, long offset, long batchStride, long rowStride, long colStride) {}

    /**
     * The operand's batch dims, broadcast to the batch shape, walked with one stride when they
     * coalesce (or are all broadcast); otherwise the expanded operand is copied contiguous.
     */
    private static Operand operand(Tensor t, long[] shape, long[] strides, long[] batchShape) {
        int r = shape.length, nb = batchShape.length, off = nb - (r - 2);
        long[] bst = new long[nb];
        for (int i = 0; i < nb; i++) {
            int j = i - off;
            bst[i] = j >= 0 && shape[j] == batchShape[i] ? strides[j] : 0;
        }
        long rs = strides[r - 2], cs = strides[r - 1];
        Layout batch = Layout.coalesce(new Layout(batchShape, bst, 0))[0];
        if (batch.rank() <= 1) {
            return new Operand(t, t.offset, batch.rank() == 0 ? 0 : batch.strides()[0], rs, cs);
        }
        long[] full = Arrays.copyOf(batchShape, nb + 2);
        full[nb] = shape[r - 2];
        full[nb + 1] = shape[r - 1];
        long[] fullStrides = Arrays.copyOf(bst, nb + 2);
        fullStrides[nb] = rs;
        fullStrides[nb + 1] = cs;
        Tensor c = Tensor.empty(t.dtype, t.device(), full);
        t.backend().copy(t.buffer(), new Layout(full, fullStrides, t.offset), c.buffer(), c.layout());
        long mk = full[nb] * full[nb + 1];
        return new Operand(c, 0, mk, full[nb + 1], 1);
    }

    static Tensor outer(Tensor a, Tensor b) {
        a.live("outer");
        b.live("outer");
        if (a.shape.length != 1 || b.shape.length != 1) throw Errors.shape("outer", "both operands must be 1-D", a, b);
        try (Tensor col = a.unsqueeze(1); Tensor row = b.unsqueeze(0)) {
            return Elementwise.binary("outer", BinaryOp.MUL, col, row);
        }
    }

    static Tensor dot(Tensor a, Tensor b) {
        a.live("dot");
        b.live("dot");
        if (a.shape.length != 1 || b.shape.length != 1 || a.shape[0] != b.shape[0]) {
            throw Errors.shape("dot", "both operands must be 1-D of one length", a, b);
        }
        return matmul(a, b);
    }
}
