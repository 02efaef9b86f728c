package dev.nabla.cpu;

import dev.nabla.DType;
import dev.nabla.spi.Layout;
import dev.nabla.spi.SparseKeys;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import static jdk.incubator.vector.VectorOperators.AND;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.XOR;

/**
 * The CSR primitives on the CPU (see {@link dev.nabla.spi.Backend#sparseCount}): counting keys at
 * or above a threshold, compression, sparse × dense products and the transpose's structure.
 *
 * <p>Counting is the hot loop of top-k selection (one pass per bisection step), so it runs on
 * vectors: the float bits reinterpreted as integers, mapped to {@link SparseKeys} with a shift and
 * an xor, NaNs blended to the top key, compared and counted. Products add each row's terms in
 * storage order in the element type, without fused multiply-adds, as the GPU kernel does, so every
 * backend computes the same sums; the rows of a matrix product run on vectors across its columns.
 */
final class SparseKernels {
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final int DL = DS.length(), FL = FS.length();
    private static final long F64_INF_BITS = 0x7ff0000000000000L;
    private static final int F32_INF_BITS = 0x7f800000;
    /** Elements per task: below this a hand-off to another core costs more than it saves. */
    private static final long GRAIN = 1 << 15;

    private SparseKernels() {}

    private static long rowGrain(long perRow) {
        return Math.max(1, GRAIN / Math.max(1, perRow));
    }

    // ---- counting -----------------------------------------------------------------------------

    static void count(CpuBuffer x, Layout xl, boolean magnitude, CpuBuffer thr, Layout tl, CpuBuffer counts) {
        long[] sh = xl.shape(), st = xl.strides();
        int cols = (int) sh[1];
        long[] t = thr.i64(), c = counts.i64();
        Parallel.forRange(sh[0], rowGrain(cols), (from, to) -> {
            for (long i = from; i < to; i++) {
                long threshold = t[(int) (tl.offset() + i * tl.strides()[0])];
                int off = (int) (xl.offset() + i * st[0]);
                c[(int) i] = x.dtype == DType.F32 ? countF32(x.f32(), off, (int) st[1], cols, magnitude, threshold)
                        : countF64(x.f64(), off, (int) st[1], cols, magnitude, threshold);
            }
        });
    }

    private static long countF64(double[] a, int off, int stride, int n, boolean magnitude, long thr) {
        long c = 0;
        int i = 0;
        if (stride == 1) {
            for (int upper = DS.loopBound(n); i < upper; i += DL) {
                LongVector bits = DoubleVector.fromArray(DS, a, off + i).reinterpretAsLongs();
                LongVector abs = bits.lanewise(AND, Long.MAX_VALUE);
                if (magnitude) bits = abs;
                // negative values: flip every bit but the sign, so that signed order is value order
                LongVector key = bits.lanewise(XOR, bits.lanewise(ASHR, 63).lanewise(AND, Long.MAX_VALUE));
                VectorMask<Long> nan = abs.compare(GT, F64_INF_BITS);
                key = key.blend(Long.MAX_VALUE, nan);
                c += key.compare(GE, thr).trueCount();
            }
        }
        for (; i < n; i++) {
            double v = a[off + i * stride];
            if (SparseKeys.f64(magnitude ? Math.abs(v) : v) >= thr) c++;
        }
        return c;
    }

    private static long countF32(float[] a, int off, int stride, int n, boolean magnitude, long thr) {
        // every F32 key fits an int: a threshold outside that range takes all or nothing
        if (thr > Integer.MAX_VALUE) return 0;
        if (thr <= Integer.MIN_VALUE) return n;
        int t = (int) thr;
        long c = 0;
        int i = 0;
        if (stride == 1) {
            for (int upper = FS.loopBound(n); i < upper; i += FL) {
                IntVector bits = FloatVector.fromArray(FS, a, off + i).reinterpretAsInts();
                IntVector abs = bits.lanewise(AND, Integer.MAX_VALUE);
                if (magnitude) bits = abs;
                IntVector key = bits.lanewise(XOR, bits.lanewise(ASHR, 31).lanewise(AND, Integer.MAX_VALUE));
                VectorMask<Integer> nan = abs.compare(GT, F32_INF_BITS);
                key = key.blend(Integer.MAX_VALUE, nan);
                c += key.compare(GE, t).trueCount();
            }
        }
        for (; i < n; i++) {
            float v = a[off + i * stride];
            if (SparseKeys.f32(magnitude ? Math.abs(v) : v) >= thr) c++;
        }
        return c;
    }

    // ---- compression --------------------------------------------------------------------------

    static void compress(CpuBuffer x, Layout xl, boolean magnitude, CpuBuffer thr, Layout tl, CpuBuffer quota, Layout ql,
                         CpuBuffer rowPtr, CpuBuffer colIdx, CpuBuffer rowIdx, CpuBuffer values) {
        long[] sh = xl.shape(), st = xl.strides();
        int cols = (int) sh[1];
        long[] t = thr.i64(), q = quota.i64(), ptr = rowPtr.i64(), col = colIdx.i64(), row = rowIdx.i64();
        boolean f32 = x.dtype == DType.F32;
        Parallel.forRange(sh[0], rowGrain(cols), (from, to) -> {
            for (long i = from; i < to; i++) {
                long threshold = t[(int) (tl.offset() + i * tl.strides()[0])];
                long ties = q[(int) (ql.offset() + i * ql.strides()[0])];
                int at = (int) ptr[(int) i];
                long base = xl.offset() + i * st[0];
                for (int j = 0; j < cols; j++) {
                    int p = (int) (base + j * st[1]);
                    double v = f32 ? x.f32()[p] : x.f64()[p];
                    long key = f32 ? SparseKeys.f32((float) (magnitude ? Math.abs(v) : v)) : SparseKeys.f64(magnitude ? Math.abs(v) : v);
                    if (key < threshold) continue;
                    if (key == threshold) {
                        if (ties <= 0) continue;
                        ties--;
                    }
                    col[at] = j;
                    row[at] = i;
                    if (f32) values.f32()[at] = x.f32()[p];
                    else values.f64()[at] = v;
                    at++;
                }
            }
        });
    }

    // ---- products -----------------------------------------------------------------------------

    static void matmul(long rows, CpuBuffer rowPtr, CpuBuffer colIdx, CpuBuffer values, CpuBuffer b, Layout bl, CpuBuffer out) {
        long[] ptr = rowPtr.i64(), col = colIdx.i64();
        int m = (int) bl.shape()[1];
        int bOff = (int) bl.offset(), bRow = (int) bl.strides()[0], bCol = (int) bl.strides()[1];
        long perRow = Math.max(1, (ptr[(int) rows] / Math.max(1, rows)) * m);
        Parallel.forRange(rows, rowGrain(perRow), (from, to) -> {
            for (int i = (int) from; i < to; i++) {
                int k0 = (int) ptr[i], k1 = (int) ptr[i + 1];
                if (values.dtype == DType.F32) {
                    rowF32(values.f32(), col, k0, k1, b.f32(), bOff, bRow, bCol, m, out.f32(), i * m);
                } else {
                    rowF64(values.f64(), col, k0, k1, b.f64(), bOff, bRow, bCol, m, out.f64(), i * m);
                }
            }
        });
    }

    private static void rowF64(double[] v, long[] col, int k0, int k1, double[] b, int bOff, int bRow, int bCol, int m,
                               double[] out, int o) {
        if (m == 1) {
            double s = 0;
            for (int k = k0; k < k1; k++) s += v[k] * b[(int) (bOff + col[k] * bRow)];
            out[o] = s;
            return;
        }
        java.util.Arrays.fill(out, o, o + m, 0.0);
        for (int k = k0; k < k1; k++) {
            double w = v[k];
            int r = (int) (bOff + col[k] * bRow);
            int q = 0;
            if (bCol == 1) {
                DoubleVector wv = DoubleVector.broadcast(DS, w);
                for (int upper = DS.loopBound(m); q < upper; q += DL) {
                    DoubleVector acc = DoubleVector.fromArray(DS, out, o + q);
                    acc.add(DoubleVector.fromArray(DS, b, r + q).mul(wv)).intoArray(out, o + q);
                }
            }
            for (; q < m; q++) out[o + q] += w * b[r + q * bCol];
        }
    }

    private static void rowF32(float[] v, long[] col, int k0, int k1, float[] b, int bOff, int bRow, int bCol, int m,
                               float[] out, int o) {
        if (m == 1) {
            float s = 0;
            for (int k = k0; k < k1; k++) s += v[k] * b[(int) (bOff + col[k] * bRow)];
            out[o] = s;
            return;
        }
        java.util.Arrays.fill(out, o, o + m, 0f);
        for (int k = k0; k < k1; k++) {
            float w = v[k];
            int r = (int) (bOff + col[k] * bRow);
            int q = 0;
            if (bCol == 1) {
                FloatVector wv = FloatVector.broadcast(FS, w);
                for (int upper = FS.loopBound(m); q < upper; q += FL) {
                    FloatVector acc = FloatVector.fromArray(FS, out, o + q);
                    acc.add(FloatVector.fromArray(FS, b, r + q).mul(wv)).intoArray(out, o + q);
                }
            }
            for (; q < m; q++) out[o + q] += w * b[r + q * bCol];
        }
    }

    // ---- transpose ----------------------------------------------------------------------------

    /** A counting sort by column: O(nnz + cols), and each column's entries come out in row order. */
    static void transpose(long rows, long cols, CpuBuffer rowPtr, CpuBuffer colIdx, CpuBuffer rowIdx, CpuBuffer tRowPtr,
                          CpuBuffer tColIdx, CpuBuffer tRowIdx, CpuBuffer perm) {
        long[] col = colIdx.i64(), row = rowIdx.i64(), tptr = tRowPtr.i64(), tcol = tColIdx.i64(), trow = tRowIdx.i64(), p = perm.i64();
        int nnz = (int) rowPtr.i64()[(int) rows];
        java.util.Arrays.fill(tptr, 0);
        for (int k = 0; k < nnz; k++) tptr[(int) col[k] + 1]++;
        for (int j = 0; j < cols; j++) tptr[j + 1] += tptr[j];
        long[] cursor = java.util.Arrays.copyOf(tptr, (int) cols);
        for (int k = 0; k < nnz; k++) {
            int j = (int) col[k];
            int s = (int) cursor[j]++;
            p[s] = k;
            tcol[s] = row[k];
            trow[s] = j;
        }
    }
}
