package dev.nabla.spi;

import java.util.Arrays;

/**
 * Where a tensor's elements sit in its buffer: element {@code (i0, i1, ...)} is at
 * {@code offset + Σ ik * strides[k]} (in elements, not bytes). Strides may be 0 (broadcast) and are
 * never negative. Every backend call receives one per operand, so views cost nothing.
 *
 * <pre>{@code
 * Layout l = Layout.contiguous(new long[] {2, 3});   // strides [3, 1]
 * l.permute(1, 0).isContiguous();                    // false
 * }</pre>
 */
public record Layout(long[] shape, long[] strides, long offset) {

    public Layout {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("layout: rank of shape " + Arrays.toString(shape)
                    + " differs from strides " + Arrays.toString(strides));
        }
    }

    /** Row-major layout of the given shape at offset 0. */
    public static Layout contiguous(long... shape) {
        return new Layout(shape.clone(), contiguousStrides(shape), 0);
    }

    /** Row-major strides of a shape. */
    public static long[] contiguousStrides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(shape[i], 1);
        }
        return s;
    }

    public int rank() { return shape.length; }

    public long numel() { return numel(shape); }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /** True when elements are laid out row-major without gaps (size-1 dims may have any stride). */
    public boolean isContiguous() {
        for (long d : shape) if (d == 0) return true;
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 1) continue;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /** Layout with dims reordered: result dim i is this dim {@code perm[i]}. */
    public Layout permute(int... perm) {
        long[] sh = new long[perm.length], st = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            sh[i] = shape[perm[i]];
            st[i] = strides[perm[i]];
        }
        return new Layout(sh, st, offset);
    }

    /** The first {@code n} dims, at this layout's offset: where each element of the last dims starts. */
    public Layout leading(int n) {
        return new Layout(java.util.Arrays.copyOfRange(shape, 0, n), java.util.Arrays.copyOfRange(strides, 0, n), offset);
    }

    /** The last {@code n} dims at offset 0: positions relative to an element of the leading dims. */
    public Layout trailing(int n) {
        int r = shape.length;
        return new Layout(java.util.Arrays.copyOfRange(shape, r - n, r), java.util.Arrays.copyOfRange(strides, r - n, r), 0);
    }

    /**
     * Merges neighbouring dims that can be walked as one (stride[i] == stride[i+1] * shape[i+1]
     * in every given layout), drops size-1 dims, and returns the simplified layouts, all of one rank.
     * Kernels call it so a strided walk has as few and as long inner runs as possible.
     */
    public static Layout[] coalesce(Layout... ls) {
        long[] shape = ls[0].shape;
        int r = shape.length;
        int n = ls.length;
        long[] outShape = new long[r];
        long[][] outStrides = new long[n][r];
        int k = 0;
        for (int d = 0; d < r; d++) {
            if (shape[d] == 1) continue;
            if (k > 0) {
                boolean merge = true;
                for (int j = 0; j < n; j++) {
                    if (outStrides[j][k - 1] != ls[j].strides[d] * shape[d]) { merge = false; break; }
                }
                if (merge) {
                    outShape[k - 1] *= shape[d];
                    for (int j = 0; j < n; j++) outStrides[j][k - 1] = ls[j].strides[d];
                    continue;
                }
            }
            outShape[k] = shape[d];
            for (int j = 0; j < n; j++) outStrides[j][k] = ls[j].strides[d];
            k++;
        }
        Layout[] out = new Layout[n];
        for (int j = 0; j < n; j++) {
            out[j] = new Layout(Arrays.copyOf(outShape, k), Arrays.copyOf(outStrides[j], k), ls[j].offset);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layout l && offset == l.offset && Arrays.equals(shape, l.shape)
                && Arrays.equals(strides, l.strides);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(strides)) + Long.hashCode(offset);
    }

    @Override
    public String toString() {
        return "Layout" + Arrays.toString(shape) + " strides " + Arrays.toString(strides) + " @" + offset;
    }
}
