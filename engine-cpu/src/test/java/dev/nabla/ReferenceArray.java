package dev.nabla;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * The tests' independent float64 model of a tensor: plain row-major values plus a shape, with
 * every operation written as a scalar loop. Nothing here touches the engine, so a value the engine
 * computes is always checked against arithmetic that shares no code with it.
 *
 * <pre>{@code
 * ReferenceArray a = ReferenceArray.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
 * a.reduce(new int[] {1}, false, ReferenceArray::sum).values();   // {6, 15}
 * }</pre>
 */
record ReferenceArray(double[] values, long[] shape) {

    ReferenceArray {
        if (values.length != numel(shape)) {
            throw new IllegalArgumentException("reference: " + values.length + " values for shape " + Arrays.toString(shape));
        }
    }

    static ReferenceArray of(double[] values, long... shape) {
        return new ReferenceArray(values, shape);
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    int rank() { return shape.length; }

    static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** The multi-index of row-major position {@code flat}. */
    static long[] unravel(long flat, long[] shape) {
        long[] idx = new long[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 0) return idx;
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    static long ravel(long[] idx, long[] shape) {
        long flat = 0;
        for (int i = 0; i < shape.length; i++) flat = flat * shape[i] + idx[i];
        return flat;
    }

    double get(long... idx) {
        return values[(int) ravel(idx, shape)];
    }

    /** NumPy broadcasting of any number of shapes; null when they cannot broadcast. */
    static long[] broadcastShape(long[]... shapes) {
        int r = 0;
        for (long[] s : shapes) r = Math.max(r, s.length);
        long[] out = new long[r];
        Arrays.fill(out, 1);
        for (long[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int o = r - s.length + i;
                if (s[i] == out[o] || s[i] == 1) continue;
                if (out[o] == 1) out[o] = s[i];
                else return null;
            }
        }
        return out;
    }

    ReferenceArray broadcastTo(long[] target) {
        if (Arrays.equals(shape, target)) return new ReferenceArray(values.clone(), target.clone());
        int off = target.length - shape.length;
        double[] v = new double[(int) numel(target)];
        for (int f = 0; f < v.length; f++) {
            long[] ti = unravel(f, target);
            long[] si = new long[shape.length];
            for (int i = 0; i < shape.length; i++) si[i] = shape[i] == 1 ? 0 : ti[off + i];
            v[f] = get(si);
        }
        return new ReferenceArray(v, target.clone());
    }

    ReferenceArray map(DoubleUnaryOperator f) {
        double[] v = new double[values.length];
        for (int i = 0; i < v.length; i++) v[i] = f.applyAsDouble(values[i]);
        return new ReferenceArray(v, shape.clone());
    }

    static ReferenceArray zip(ReferenceArray a, ReferenceArray b, DoubleBinaryOperator f) {
        long[] out = broadcastShape(a.shape, b.shape);
        if (out == null) throw new IllegalArgumentException("reference: shapes cannot broadcast");
        double[] av = a.broadcastTo(out).values, bv = b.broadcastTo(out).values;
        double[] v = new double[av.length];
        for (int i = 0; i < v.length; i++) v[i] = f.applyAsDouble(av[i], bv[i]);
        return new ReferenceArray(v, out);
    }

    static int normDim(int dim, int rank) {
        return dim < 0 ? dim + rank : dim;
    }

    /**
     * Applies {@code f} to the elements of each reduced slice (in row-major order of the reduced dims).
     * An empty dims array reduces every dim.
     */
    ReferenceArray reduce(int[] dims, boolean keepDim, ToDoubleFunction<double[]> f) {
        boolean[] reduced = new boolean[rank()];
        if (dims.length == 0) Arrays.fill(reduced, true);
        for (int d : dims) reduced[normDim(d, rank())] = true;
        long[] kept = new long[rank()];
        long[] red = new long[rank()];
        int nk = 0, nr = 0;
        for (int i = 0; i < rank(); i++) {
            if (reduced[i]) red[nr++] = shape[i];
            else kept[nk++] = shape[i];
        }
        long[] keptShape = Arrays.copyOf(kept, nk), redShape = Arrays.copyOf(red, nr);
        int outN = (int) numel(keptShape), redN = (int) numel(redShape);
        double[] out = new double[outN];
        double[] slice = new double[redN];
        for (int o = 0; o < outN; o++) {
            long[] ko = unravel(o, keptShape);
            for (int r = 0; r < redN; r++) {
                long[] ro = unravel(r, redShape);
                long[] idx = new long[rank()];
                int a = 0, b = 0;
                for (int i = 0; i < rank(); i++) idx[i] = reduced[i] ? ro[b++] : ko[a++];
                slice[r] = get(idx);
            }
            out[o] = f.applyAsDouble(slice.clone());
        }
        long[] outShape;
        if (keepDim) {
            outShape = shape.clone();
            for (int i = 0; i < rank(); i++) if (reduced[i]) outShape[i] = 1;
        } else {
            outShape = keptShape;
        }
        return new ReferenceArray(out, outShape);
    }

    /** Like {@link #reduce} but keeps the whole slice: {@code f} maps each slice to a same-length slice. */
    ReferenceArray alongDim(int dim, java.util.function.UnaryOperator<double[]> f) {
        int d = normDim(dim, rank());
        double[] out = new double[values.length];
        long[] outer = shape.clone();
        outer[d] = 1;
        int n = (int) shape[d];
        for (int o = 0; o < numel(outer); o++) {
            long[] idx = unravel(o, outer);
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                idx[d] = i;
                s[i] = get(idx);
            }
            double[] r = f.apply(s);
            for (int i = 0; i < n; i++) {
                idx[d] = i;
                out[(int) ravel(idx, shape)] = r[i];
            }
        }
        return new ReferenceArray(out, shape.clone());
    }

    ReferenceArray permute(int... perm) {
        long[] outShape = new long[perm.length];
        for (int i = 0; i < perm.length; i++) outShape[i] = shape[perm[i]];
        double[] v = new double[values.length];
        for (int f = 0; f < v.length; f++) {
            long[] oi = unravel(f, outShape);
            long[] si = new long[perm.length];
            for (int i = 0; i < perm.length; i++) si[perm[i]] = oi[i];
            v[f] = get(si);
        }
        return new ReferenceArray(v, outShape);
    }

    ReferenceArray transpose(int d0, int d1) {
        int[] perm = new int[rank()];
        for (int i = 0; i < perm.length; i++) perm[i] = i;
        perm[normDim(d0, rank())] = normDim(d1, rank());
        perm[normDim(d1, rank())] = normDim(d0, rank());
        return permute(perm);
    }

    /** Python slicing with already-normalized {@code 0 <= start <= end <= size} and step > 0. */
    ReferenceArray slice(int dim, long start, long end, long step) {
        int d = normDim(dim, rank());
        long len = Math.max(0, (end - start + step - 1) / step);
        long[] outShape = shape.clone();
        outShape[d] = len;
        double[] v = new double[(int) numel(outShape)];
        for (int f = 0; f < v.length; f++) {
            long[] idx = unravel(f, outShape);
            idx[d] = start + idx[d] * step;
            v[f] = get(idx);
        }
        return new ReferenceArray(v, outShape);
    }

    ReferenceArray select(int dim, long i) {
        int d = normDim(dim, rank());
        ReferenceArray s = slice(d, i, i + 1, 1);
        long[] outShape = new long[rank() - 1];
        for (int k = 0, j = 0; k < rank(); k++) if (k != d) outShape[j++] = shape[k];
        return new ReferenceArray(s.values, outShape);
    }

    ReferenceArray reshape(long... newShape) {
        return new ReferenceArray(values.clone(), newShape.clone());
    }

    // ---- slice reducers (closed forms over plain arrays) ---------------------------------------

    static double sum(double[] s) {
        double acc = 0;
        for (double x : s) acc += x;
        return acc;
    }

    static double sumAbs(double[] s) {
        double acc = 0;
        for (double x : s) acc += Math.abs(x);
        return acc;
    }

    static double prod(double[] s) {
        double acc = 1;
        for (double x : s) acc *= x;
        return acc;
    }

    static double mean(double[] s) {
        return sum(s) / s.length;
    }

    static double max(double[] s) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : s) {
            if (Double.isNaN(x)) return Double.NaN;
            m = Math.max(m, x);
        }
        return m;
    }

    static double min(double[] s) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : s) {
            if (Double.isNaN(x)) return Double.NaN;
            m = Math.min(m, x);
        }
        return m;
    }

    static double var(double[] s, double correction) {
        double m = mean(s);
        double acc = 0;
        for (double x : s) acc += (x - m) * (x - m);
        return acc / Math.max(0, s.length - correction);
    }

    static double logsumexp(double[] s) {
        double m = max(s);
        if (Double.isInfinite(m) || Double.isNaN(m)) m = Double.isNaN(m) ? m : 0;
        double acc = 0;
        for (double x : s) acc += Math.exp(x - m);
        return m + Math.log(acc);
    }
}
