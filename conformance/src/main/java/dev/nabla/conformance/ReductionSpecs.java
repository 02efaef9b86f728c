package dev.nabla.conformance;

import dev.nabla.DType;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import static dev.nabla.DType.BOOL;
import static dev.nabla.DType.F32;
import static dev.nabla.DType.F64;
import static dev.nabla.DType.I32;
import static dev.nabla.DType.I64;

/**
 * Reductions (sum, prod, mean, amax, amin, var, std, logsumexp, norm, argmax, argmin) and
 * softmax/logSoftmax, over all dims, one dim, several dims with keepDim, non-contiguous, broadcast,
 * 0-d, many-rows, long-row and zero-size inputs.
 */
final class ReductionSpecs {
    private ReductionSpecs() {}

    /** A reduction called with the sample's dims (none: all dims). */
    @FunctionalInterface
    interface Call {
        Tensor apply(Tensor x, int[] dims, boolean keepDim);
    }

    static List<OpSpec> all() {
        List<OpSpec> s = new ArrayList<>();
        s.add(reduction("sum", Tensor::sum, ReductionSpecs::sum, t -> t.isFloating() ? t : I64, -3, 3, true)
                .dtypes(F32, F64, I32, I64, BOOL).samples(withEmpty(Samples.reduction(-3, 3))).build());
        s.add(reduction("prod", Tensor::prod, ReductionSpecs::prod, t -> t.isFloating() ? t : I64, 0.5, 1.5, true)
                .dtypes(F32, F64, I32, I64, BOOL)
                .samples(t -> withEmpty(Samples.reduction(t.isFloating() ? 0.5 : -1, t.isFloating() ? 1.5 : 1)).apply(t))
                .grad(Sample.of("grad", Arg.of(F64, Values.signed(111, F64, 0.5, 1.5, 2, 3))).dims(false, 1)).build());
        s.add(reduction("mean", Tensor::mean, g -> sum(g) / g.length, t -> t, -3, 3, true).dtypes(F32, F64)
                .samples(withEmpty(Samples.reduction(-3, 3))).build());
        s.add(reduction("amax", Tensor::amax, g -> extreme(g, true), t -> t, -3, 3, false).dtypes(F32, F64, I32, I64)
                .error(empty("amax", (x, d, k) -> x.amax(d, k))).noGradGrad().build());
        s.add(reduction("amin", Tensor::amin, g -> extreme(g, false), t -> t, -3, 3, false).dtypes(F32, F64, I32, I64)
                .error(empty("amin", (x, d, k) -> x.amin(d, k))).noGradGrad().build());
        s.add(reduction("var", Tensor::var, ReductionSpecs::var, t -> t, -3, 3, false).dtypes(F32, F64).build());
        s.add(reduction("std", Tensor::std, g -> Math.sqrt(var(g)), t -> t, -3, 3, false).dtypes(F32, F64).build());
        s.add(reduction("logsumexp", Tensor::logsumexp, ReductionSpecs::logsumexp, t -> t, -3, 3, false).dtypes(F32, F64)
                .samples(withEmpty(Samples.reduction(-3, 3))).build());
        s.add(reduction("norm", (x, d, k) -> x.norm(2, d, k), g -> Math.sqrt(sumSquares(g)), t -> t, -3, 3, true)
                .dtypes(F32, F64).build());
        s.add(arg("argmax", true));
        s.add(arg("argmin", false));
        s.add(softmax("softmax", false));
        s.add(softmax("logSoftmax", true));
        return s;
    }

    private static OpSpec.Builder reduction(String name, Call call, ToDoubleFunction<double[]> f, java.util.function.UnaryOperator<DType> out,
                                            double lo, double hi, boolean sumLike) {
        return OpSpec.builder(name, Kind.ACCUMULATE)
                .opWith((xs, s) -> call.apply(xs.get(0), s.dims(), s.keepDim()))
                .referenceWith((rs, s) -> {
                    Ref x = rs.get(0);
                    boolean[] mask = x.mask(s.dims());
                    Ref value = x.reduce(mask, s.keepDim(), f);
                    Ref scale = sumLike ? x.reduce(mask, s.keepDim(), g -> sumAbs(g)) : null;
                    long k = x.rank() == 0 ? 1 : x.size() / Math.max(1, value.size());
                    return new Expected(value, scale, Math.max(1, k));
                })
                .out(out)
                .samples(Samples.reduction(lo, hi))
                .grad(Sample.of("grad", Arg.of(F64, Values.signed(110, F64, 0.2, 1.2, 2, 3, 2))).dims(true, 0, 2));
    }

    private static Function<DType, List<Sample>> withEmpty(Function<DType, List<Sample>> base) {
        return t -> {
            List<Sample> all = new ArrayList<>(base.apply(t));
            all.addAll(Samples.emptyReductions(t));
            return all;
        };
    }

    private static ErrorCase empty(String name, Call call) {
        return new ErrorCase("empty extent", name, ShapeMismatchException.class,
                d -> List.of(Tensor.zeros(F32, d, 3, 0)), xs -> call.apply(xs.get(0), new int[] {1}, false));
    }

    static double sum(double[] g) {
        double s = 0;
        for (double v : g) s += v;
        return s;
    }

    static double sumAbs(double[] g) {
        double s = 0;
        for (double v : g) s += Math.abs(v);
        return s;
    }

    static double sumSquares(double[] g) {
        double s = 0;
        for (double v : g) s += v * v;
        return s;
    }

    static double prod(double[] g) {
        double p = 1;
        for (double v : g) p *= v;
        return p;
    }

    /** Math.max/min semantics: NaN wins. */
    static double extreme(double[] g, boolean max) {
        double m = g[0];
        for (double v : g) m = max ? Math.max(m, v) : Math.min(m, v);
        return m;
    }

    /** Unbiased (correction 1), two-pass. */
    static double var(double[] g) {
        double mu = sum(g) / g.length, ss = 0;
        for (double v : g) ss += (v - mu) * (v - mu);
        return ss / Math.max(0, g.length - 1);
    }

    static double logsumexp(double[] g) {
        if (g.length == 0) return Double.NEGATIVE_INFINITY;
        double m = extreme(g, true), s = 0;
        for (double v : g) s += Math.exp(v - m);
        return Math.log(s) + m;
    }

    private static OpSpec arg(String name, boolean max) {
        Function<DType, List<Sample>> samples = t -> List.of(
                Sample.of("dim 1 of [3,4,5]", Arg.of(t, Values.uniform(121, t, -3, 3, 3, 4, 5))).dims(false, 1),
                Sample.of("dim -1 of non-contiguous (mT)", Arg.transposed(t, Values.uniform(122, t, -3, 3, 5, 6))).dims(false, -1),
                Sample.of("dim 0 of strided (step 2)", Arg.strided(t, Values.uniform(123, t, -3, 3, 6, 5))).dims(false, 0),
                Sample.of("ties: dim 0 of broadcast [1,4] to [3,4]", Arg.broadcast(t, Values.uniform(124, t, -3, 3, 1, 4), 3, 4)).dims(false, 0),
                Sample.of("many rows: dim 1 of [2000,37]", Arg.of(t, Values.uniform(125, t, -100, 100, 2000, 37))).dims(false, 1),
                Sample.of("large: dim 0 of [1048583]", Arg.of(t, Values.uniform(126, t, -1e6, 1e6, Samples.LARGE))).dims(false, 0),
                Sample.of("large: dim 1 of [3,349531]", Arg.of(t, Values.uniform(127, t, -1e6, 1e6, 3, 349_531))).dims(false, 1));
        return OpSpec.builder(name, Kind.EXACT).dtypes(F32, F64, I32, I64)
                .opWith((xs, s) -> max ? xs.get(0).argmax(s.dim()) : xs.get(0).argmin(s.dim()))
                .referenceWith((rs, s) -> Expected.of(rs.get(0).reduce(rs.get(0).mask(s.dims()), false, g -> {
                    int at = 0;
                    for (int i = 1; i < g.length; i++) {
                        boolean better = Double.isNaN(g[i]) ? !Double.isNaN(g[at]) : !Double.isNaN(g[at]) && (max ? g[i] > g[at] : g[i] < g[at]);
                        if (better) at = i;
                    }
                    return at;
                })))
                .out(t -> I64).samples(samples)
                .error(empty(name, (x, d, k) -> max ? x.argmax(d[0]) : x.argmin(d[0])))
                .build();
    }

    private static OpSpec softmax(String name, boolean log) {
        Function<DType, List<Sample>> samples = t -> List.of(
                Sample.of("dim 1 of [3,4,5]", Arg.of(t, Values.uniform(131, t, -5, 5, 3, 4, 5))).dims(false, 1),
                Sample.of("dim -1 of non-contiguous (mT)", Arg.transposed(t, Values.uniform(132, t, -5, 5, 5, 6))).dims(false, -1),
                Sample.of("dim 0 of broadcast [1,4] to [3,4]", Arg.broadcast(t, Values.uniform(133, t, -5, 5, 1, 4), 3, 4)).dims(false, 0),
                Sample.of("zero-size [0,4]", Arg.of(t, Values.uniform(134, t, -5, 5, 0, 4))).dims(false, 1),
                Sample.of("large: dim 1 of [1021,1031]", Arg.of(t, Values.uniform(135, t, -20, 20, 1021, 1031))).dims(false, 1));
        return OpSpec.builder(name, Kind.ACCUMULATE).dtypes(F32, F64)
                .opWith((xs, s) -> log ? xs.get(0).logSoftmax(s.dim()) : xs.get(0).softmax(s.dim()))
                .referenceWith((rs, s) -> {
                    Ref x = rs.get(0);
                    int d = s.dim() < 0 ? s.dim() + x.rank() : s.dim();
                    int[] perm = new int[x.rank()];
                    for (int i = 0, j = 0; i < x.rank(); i++) if (i != d) perm[j++] = i;
                    perm[x.rank() - 1] = d;
                    Ref p = x.permute(perm);
                    int k = (int) x.shape()[d];
                    double[] v = new double[p.size()];
                    for (int base = 0; base < v.length; base += k) {
                        double[] g = java.util.Arrays.copyOfRange(p.v(), base, base + k);
                        double lse = logsumexp(g);
                        for (int i = 0; i < k; i++) v[base + i] = log ? g[i] - lse : Math.exp(g[i] - lse);
                    }
                    int[] inv = new int[perm.length];
                    for (int i = 0; i < perm.length; i++) inv[perm[i]] = i;
                    return new Expected(Ref.of(v, p.shape()).permute(inv), null, Math.max(1, k));
                })
                .samples(samples)
                .grad(Sample.of("grad", Arg.of(F64, Values.signed(136, F64, 0.2, 1.2, 2, 3))).dims(false, 1))
                .build();
    }
}
