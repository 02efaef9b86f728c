package dev.nabla;

import dev.nabla.spi.Backend;
import dev.nabla.spi.Layout;
import dev.nabla.spi.SparseKeys;

import java.util.Arrays;

/**
 * Dense → CSR: which entries to keep, decided on the device with one primitive (count, per row,
 * the entries whose key is at least a threshold), then one compression pass. A threshold needs one
 * count. The k largest need the k-th largest key, found by bisection over keys: each step is one
 * counting pass over the matrix and a download of one count per row, at most 64 steps (32 for
 * F32), fewer when a step happens to count exactly k. Entries tied with the k-th largest are taken
 * in row-major order through a per-row quota, so exactly k are kept.
 */
final class SparseBuild {
    private SparseBuild() {}

    /** One threshold for every row, or one per row, and a tie quota to match (see Backend.sparseCompress). */
    private record Plan(long[] thresholds, long[] quotas, long[] kept) {}

    private static final long ALL = Long.MAX_VALUE;

    private static Tensor check(String op, Tensor x) {
        x.live(op);
        if (x.shape.length != 2) throw Errors.shape(op, "the dense source must be 2-D", x);
        if (!x.dtype.isFloating()) throw Errors.dtype(op, "only F32 and F64 matrices can be made sparse", x);
        return x;
    }

    static CsrMatrix threshold(Tensor x, double t) {
        check("threshold", x);
        if (Double.isNaN(t)) throw new IllegalArgumentException("threshold: t must not be NaN, for input" + x.describe());
        long key = SparseKeys.above(x.dtype, t);
        long[] kept = counts(x, true, new long[] {key});
        return compress(x, true, new Plan(new long[] {key}, new long[] {ALL}, kept));
    }

    static CsrMatrix topK(Tensor x, long k) {
        check("topK", x);
        if (k < 0) throw new IllegalArgumentException("topK: k must be >= 0, got " + k + ", for input" + x.describe());
        long rows = x.shape[0], cols = x.shape[1], n = rows * cols;
        if (k >= n) return compress(x, false, new Plan(new long[] {Long.MIN_VALUE}, new long[] {ALL}, filled(rows, cols)));
        if (k == 0) return compress(x, false, new Plan(new long[] {Long.MIN_VALUE}, new long[] {0}, new long[(int) rows]));
        long lo, hi;
        long[] cLo = filled(rows, cols), cHi;
        try (Tensor d = x.detach(); Tensor max = d.amax(); Tensor min = d.amin()) {
            hi = SparseKeys.of(x.dtype, max.item());
            double mn = min.item();
            lo = Double.isNaN(mn) ? lowest(x.dtype) : SparseKeys.of(x.dtype, mn);   // amin gives NaN when one is present
        }
        cHi = counts(x, false, new long[] {hi});
        if (sum(cHi) >= k) {
            // the maximum itself is tied k times or more: nothing lies above it
            return compress(x, false, quotas(hi, new long[(int) rows], cHi, k));
        }
        while (Long.compareUnsigned(hi - lo, 1) > 0) {
            long mid = lo + ((hi - lo) >>> 1);
            long[] c = counts(x, false, new long[] {mid});
            long s = sum(c);
            if (s == k) return compress(x, false, new Plan(new long[] {mid}, new long[] {ALL}, c));
            if (s > k) {
                lo = mid;
                cLo = c;
            } else {
                hi = mid;
                cHi = c;
            }
        }
        // lo is the k-th largest key: every entry above it (counted at hi = lo + 1) and enough ties
        long[] eq = new long[(int) rows];
        for (int i = 0; i < rows; i++) eq[i] = cLo[i] - cHi[i];
        return compress(x, false, quotas(lo, cHi, eq, k));
    }

    /** Threshold t shared by all rows; gt entries above it per row, eq tied; ties taken in row order until k. */
    private static Plan quotas(long t, long[] gt, long[] eq, long k) {
        long need = k - sum(gt);
        long[] quota = new long[gt.length], kept = new long[gt.length];
        for (int i = 0; i < gt.length; i++) {
            quota[i] = Math.max(0, Math.min(eq[i], need));
            need -= quota[i];
            kept[i] = gt[i] + quota[i];
        }
        long[] thr = new long[gt.length];
        Arrays.fill(thr, t);
        return new Plan(thr, quota, kept);
    }

    static CsrMatrix topKPerRow(Tensor x, long k) {
        check("topKPerRow", x);
        if (k < 0) throw new IllegalArgumentException("topKPerRow: k must be >= 0, got " + k + ", for input" + x.describe());
        int rows = Math.toIntExact(x.shape[0]);
        long cols = x.shape[1];
        long kk = Math.min(k, cols);
        if (kk == cols) return compress(x, false, new Plan(new long[] {Long.MIN_VALUE}, new long[] {ALL}, filled(rows, cols)));
        if (kk == 0) return compress(x, false, new Plan(new long[] {Long.MIN_VALUE}, new long[] {0}, new long[rows]));
        long[] lo = new long[rows], hi = new long[rows];
        try (Tensor d = x.detach(); Tensor max = d.amax(1); Tensor min = d.amin(1)) {
            double[] mx = max.toDoubleArray(), mn = min.toDoubleArray();
            for (int i = 0; i < rows; i++) {
                hi[i] = SparseKeys.of(x.dtype, mx[i]);
                lo[i] = Double.isNaN(mn[i]) ? lowest(x.dtype) : SparseKeys.of(x.dtype, mn[i]);
            }
        }
        long[] cLo = filled(rows, cols), cHi = counts(x, false, hi);
        long[] thr = new long[rows], quota = new long[rows], kept = new long[rows];
        boolean[] done = new boolean[rows];
        int open = 0;
        for (int i = 0; i < rows; i++) {
            if (cHi[i] >= kk) {
                finish(i, hi[i], 0, cHi[i], kk, thr, quota, kept, done);
            } else {
                open++;
            }
        }
        long[] mid = hi.clone();
        while (open > 0) {
            for (int i = 0; i < rows; i++) if (!done[i]) mid[i] = lo[i] + ((hi[i] - lo[i]) >>> 1);
            long[] c = counts(x, false, mid);
            for (int i = 0; i < rows; i++) {
                if (done[i]) continue;
                if (c[i] == kk) {
                    finish(i, mid[i], kk, 0, kk, thr, quota, kept, done);
                } else if (c[i] > kk) {
                    lo[i] = mid[i];
                    cLo[i] = c[i];
                } else {
                    hi[i] = mid[i];
                    cHi[i] = c[i];
                }
                if (!done[i] && Long.compareUnsigned(hi[i] - lo[i], 1) <= 0) finish(i, lo[i], cHi[i], cLo[i] - cHi[i], kk, thr, quota, kept, done);
                if (done[i]) open--;
            }
        }
        return compress(x, false, new Plan(thr, quota, kept));
    }

    private static void finish(int i, long t, long gt, long eq, long k, long[] thr, long[] quota, long[] kept, boolean[] done) {
        thr[i] = t;
        quota[i] = eq == 0 ? ALL : Math.min(eq, k - gt);
        kept[i] = eq == 0 ? gt : gt + quota[i];
        done[i] = true;
    }

    /** A key at or below every key of the dtype. */
    private static long lowest(DType t) {
        return t == DType.F32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
    }

    private static long[] filled(long rows, long v) {
        long[] a = new long[Math.toIntExact(rows)];
        Arrays.fill(a, v);
        return a;
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) s += v;
        return s;
    }

    /** One threshold (broadcast) or one per row, as a device tensor and its [rows] layout. */
    private static Tensor upload(Device d, long[] v) {
        return Tensor.of(DType.I64, d, v, v.length);
    }

    private static Layout perRow(Tensor t, long rows) {
        return new Layout(new long[] {rows}, new long[] {t.numel() == 1 ? 0 : 1}, 0);
    }

    /** Per row, the entries whose key is at least the threshold (one for all rows, or one per row). */
    private static long[] counts(Tensor x, boolean magnitude, long[] thresholds) {
        long rows = x.shape[0];
        if (rows == 0 || x.shape[1] == 0) return new long[(int) rows];
        try (Tensor thr = upload(x.device(), thresholds); Tensor out = Tensor.empty(DType.I64, x.device(), new long[] {rows})) {
            x.backend().sparseCount(x.buffer(), x.layout(), magnitude, thr.buffer(), perRow(thr, rows), out.buffer());
            return out.toLongArray();
        }
    }

    private static CsrMatrix compress(Tensor x, boolean magnitude, Plan p) {
        long rows = x.shape[0], cols = x.shape[1];
        Device d = x.device();
        long[] ptr = new long[Math.toIntExact(rows + 1)];
        for (int i = 0; i < rows; i++) ptr[i + 1] = ptr[i] + p.kept[i];
        long nnz = ptr[(int) rows];
        Tensor rowPtr = upload(d, ptr);
        Tensor colIdx = Tensor.empty(DType.I64, d, new long[] {nnz});
        Tensor rowIdx = Tensor.empty(DType.I64, d, new long[] {nnz});
        Tensor values = Tensor.empty(x.dtype, d, new long[] {nnz});
        if (nnz > 0) {
            Backend b = x.backend();
            try (Tensor thr = upload(d, p.thresholds); Tensor quota = upload(d, p.quotas)) {
                b.sparseCompress(x.buffer(), x.layout(), magnitude, thr.buffer(), perRow(thr, rows), quota.buffer(),
                        perRow(quota, rows), rowPtr.buffer(), colIdx.buffer(), rowIdx.buffer(), values.buffer());
            }
        }
        if (Graph.tracked(x)) {
            // the same values, gathered through ops autodiff knows: derivatives reach the kept entries of x
            values.close();
            try (Tensor flat = x.reshape(rows * cols); Tensor scaled = rowIdx.mul((double) cols); Tensor pos = scaled.add(colIdx)) {
                values = flat.indexSelect(0, pos);
            }
        }
        return new CsrMatrix(rows, cols, values, colIdx, rowIdx, rowPtr);
    }
}
