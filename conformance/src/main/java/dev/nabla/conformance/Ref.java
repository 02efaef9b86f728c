package dev.nabla.conformance;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * A float64 reference array: a shape and its values in row-major order. The conformance kit's
 * expected results are computed on these with plain Java loops, never through the engine, so a
 * backend is measured against an independent definition.
 *
 * <pre>{@code
 * Ref a = Ref.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
 * Ref s = a.reduce(new boolean[] {false, true}, false, Double::sum, 0);   // [6, 15]
 * }</pre>
 */
public record Ref(long[] shape, double[] v) {

    public static Ref of(double[] v, long... shape) {
        if (numel(shape) != v.length) throw new IllegalArgumentException("ref: " + v.length + " values for shape " + Arrays.toString(shape));
        return new Ref(shape.clone(), v);
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public int rank() { return shape.length; }

    public int size() { return v.length; }

    public static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** The multi-index of row-major position p. */
    public static long[] unravel(long p, long[] shape) {
        long[] idx = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 0) return idx;
            idx[d] = p % shape[d];
            p /= shape[d];
        }
        return idx;
    }

    /** NumPy broadcasting of two shapes (the kit only builds valid samples). */
    public static long[] broadcastShape(long[] a, long[] b) {
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long x = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            long y = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    /** This array seen with a broadcast shape: element values repeated along stretched dims. */
    public Ref broadcastTo(long[] to) {
        if (Arrays.equals(shape, to)) return this;
        int off = to.length - shape.length;
        long[] st = strides(shape);
        double[] out = new double[(int) numel(to)];
        for (int p = 0; p < out.length; p++) {
            long[] idx = unravel(p, to);
            long src = 0;
            for (int d = 0; d < shape.length; d++) src += (shape[d] == 1 ? 0 : idx[d + off]) * st[d];
            out[p] = v[(int) src];
        }
        return new Ref(to.clone(), out);
    }

    public Ref map(DoubleUnaryOperator f) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = f.applyAsDouble(v[i]);
        return new Ref(shape.clone(), out);
    }

    public static Ref zip(Ref a, Ref b, DoubleBinaryOperator f) {
        long[] s = broadcastShape(a.shape, b.shape);
        Ref x = a.broadcastTo(s), y = b.broadcastTo(s);
        double[] out = new double[x.v.length];
        for (int i = 0; i < out.length; i++) out[i] = f.applyAsDouble(x.v[i], y.v[i]);
        return new Ref(s, out);
    }

    /** Dims permuted: result dim i is this dim perm[i]. */
    public Ref permute(int... perm) {
        long[] to = new long[perm.length];
        for (int i = 0; i < perm.length; i++) to[i] = shape[perm[i]];
        long[] st = strides(shape);
        double[] out = new double[v.length];
        for (int p = 0; p < out.length; p++) {
            long[] idx = unravel(p, to);
            long src = 0;
            for (int i = 0; i < perm.length; i++) src += idx[i] * st[perm[i]];
            out[p] = v[(int) src];
        }
        return new Ref(to, out);
    }

    /** The mask of reduced dims for a dims list (empty: all), negative dims counting from the end. */
    public boolean[] mask(int... dims) {
        boolean[] m = new boolean[shape.length];
        if (dims.length == 0) Arrays.fill(m, true);
        for (int d : dims) m[d < 0 ? d + shape.length : d] = true;
        return m;
    }

    /** The lists of reduced terms, one per output element (outputs in row-major order of the kept dims). */
    public double[][] groups(boolean[] mask) {
        long[] out = new long[shape.length];
        for (int d = 0; d < shape.length; d++) out[d] = mask[d] ? 1 : shape[d];
        int groups = (int) numel(out);
        long kk = 1;
        for (int d = 0; d < shape.length; d++) if (mask[d]) kk *= shape[d];
        int k = (int) kk;
        double[][] g = new double[groups][k];
        int[] fill = new int[groups];
        long[] ost = strides(out);
        for (int p = 0; p < v.length; p++) {
            long[] idx = unravel(p, shape);
            long o = 0;
            for (int d = 0; d < shape.length; d++) if (!mask[d]) o += idx[d] * ost[d];
            g[(int) o][fill[(int) o]++] = v[p];
        }
        return g;
    }

    /** The output shape of a reduction over the mask. */
    public long[] reducedShape(boolean[] mask, boolean keepDim) {
        int kept = 0;
        for (boolean b : mask) if (!b) kept++;
        long[] out = new long[keepDim ? shape.length : kept];
        for (int d = 0, j = 0; d < shape.length; d++) {
            if (!mask[d]) out[j++] = shape[d];
            else if (keepDim) out[j++] = 1;
        }
        return out;
    }

    /** A reduction given as a function of each output's terms. */
    public Ref reduce(boolean[] mask, boolean keepDim, java.util.function.ToDoubleFunction<double[]> f) {
        double[][] g = groups(mask);
        double[] out = new double[g.length];
        for (int i = 0; i < g.length; i++) out[i] = f.applyAsDouble(g[i]);
        return new Ref(reducedShape(mask, keepDim), out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ref r && Arrays.equals(shape, r.shape) && Arrays.equals(v, r.v);
    }

    @Override
    public int hashCode() { return 31 * Arrays.hashCode(shape) + Arrays.hashCode(v); }

    @Override
    public String toString() { return "Ref" + Arrays.toString(shape); }
}
