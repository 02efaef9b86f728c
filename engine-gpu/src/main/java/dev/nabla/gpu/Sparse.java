package dev.nabla.gpu;

import dev.nabla.DType;
import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelType;
import dev.nabla.spi.Layout;

/**
 * The CSR primitives on sparse.kc. Counting runs one work-group per row; compression one work item
 * per row; the product one work item per output element. The transpose's structure takes four
 * launches and one round trip: column counts by integer atomics, downloaded and summed here into
 * the row pointers of Aᵀ (cols + 1 values), then slots, a sort of each segment (which makes the
 * order deterministic), and the gather of rows and columns. Callers hold the device's lock.
 */
final class Sparse {
    private Sparse() {}

    private static Launch kernel(GpuDevice dev, DType values, String name) {
        return Launch.of(dev, KernelFamily.SPARSE, Launch.type(values), name);
    }

    /** The structure kernels do not use T: any variant serves, and F32 is on every device. */
    private static Launch structure(GpuDevice dev, String name) {
        return Launch.of(dev, KernelFamily.SPARSE, KernelType.F32, name);
    }

    static void count(GpuDevice dev, GpuBuffer x, Layout xl, boolean magnitude, GpuBuffer thr, Layout tl, GpuBuffer counts) {
        long rows = xl.shape()[0], cols = xl.shape()[1];
        // about four columns per work item: a short row does not keep 256 items waiting at the barriers
        int group = 32;
        while (group < Launch.WG && 4L * group < cols) group *= 2;
        kernel(dev, x.dtype(), "sparse_count").i64(cols).i64(xl.offset()).i64(xl.strides()[0]).i64(xl.strides()[1])
                .buf(x).i32(magnitude ? 1 : 0).i64(tl.offset()).i64(tl.strides()[0]).buf(thr).buf(counts)
                .run(new long[] {rows}, new int[] {group});
    }

    static void compress(GpuDevice dev, GpuBuffer x, Layout xl, boolean magnitude, GpuBuffer thr, Layout tl, GpuBuffer quota,
                         Layout ql, GpuBuffer rowPtr, GpuBuffer colIdx, GpuBuffer rowIdx, GpuBuffer values) {
        long rows = xl.shape()[0];
        kernel(dev, x.dtype(), "sparse_compress").i64(rows).i64(xl.shape()[1]).i64(xl.offset()).i64(xl.strides()[0])
                .i64(xl.strides()[1]).buf(x).i32(magnitude ? 1 : 0).i64(tl.offset()).i64(tl.strides()[0]).buf(thr)
                .i64(ql.offset()).i64(ql.strides()[0]).buf(quota).buf(rowPtr).buf(colIdx).buf(rowIdx).buf(values).run(rows);
    }

    static void matmul(GpuDevice dev, long rows, GpuBuffer rowPtr, GpuBuffer colIdx, GpuBuffer values, GpuBuffer b, Layout bl,
                       GpuBuffer out) {
        long m = bl.shape()[1];
        kernel(dev, values.dtype(), "sparse_matmul").i64(rows).i64(m).buf(rowPtr).buf(colIdx).buf(values)
                .i64(bl.offset()).i64(bl.strides()[0]).i64(bl.strides()[1]).buf(b).buf(out).run(rows * m);
    }

    static void transpose(GpuDevice dev, long rows, long cols, GpuBuffer rowPtr, GpuBuffer colIdx, GpuBuffer rowIdx,
                          GpuBuffer tRowPtr, GpuBuffer tColIdx, GpuBuffer tRowIdx, GpuBuffer perm) {
        long nnz = colIdx.numel();
        GpuBuffer counts = dev.allocate(DType.I32, cols);
        try {
            Elementwise.fill(dev, counts, 0);
            structure(dev, "sparse_col_count").i64(nnz).buf(colIdx).buf(counts).run(nnz);
            int[] c = new int[Math.toIntExact(cols)];
            dev.memory().download(counts.handle(), 0, c, 4 * cols);
            long[] ptr = new long[c.length + 1];
            for (int j = 0; j < c.length; j++) ptr[j + 1] = ptr[j] + c[j];
            dev.memory().upload(ptr, tRowPtr.handle(), 8 * (cols + 1));
            Elementwise.fill(dev, counts, 0);   // now each column's next free slot
            structure(dev, "sparse_transpose_scatter").i64(nnz).buf(colIdx).buf(tRowPtr).buf(counts).buf(perm).run(nnz);
            structure(dev, "sparse_sort_segments").i64(cols).buf(tRowPtr).buf(perm).run(cols);
            structure(dev, "sparse_transpose_finish").i64(nnz).buf(perm).buf(rowIdx).buf(colIdx).buf(tColIdx).buf(tRowIdx).run(nnz);
        } finally {
            dev.release(counts);
        }
    }
}
