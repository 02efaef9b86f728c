package dev.nabla.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * First derivatives (reverse and forward mode) and second derivatives of every differentiable op
 * of the Tensor API against central finite differences in float64, through {@link GradCheck}.
 * Each op runs on contiguous inputs, on views built inside the function (transposes, slices with
 * a step, permutations) and on broadcast inputs, so a rule that ignores strides or forgets to sum a
 * broadcast gradient back fails here. Inputs avoid kinks: |x| >= 0.2, no ties unless stated.
 */
class OpGradCheckTest {

    /** One op application: f of the inputs; {@code linear} ops are squared for the second-order check. */
    record Case(String name, Function<List<Tensor>, Tensor> f, List<Tensor> inputs, boolean linear) {
        @Override public String toString() { return name; }
    }

    // ---- inputs -------------------------------------------------------------------------------

    private static final Device CPU = Device.cpu();

    /** Values with |v| in [0.2, 1.2] and random sign, F64. */
    static Tensor r(long seed, long... shape) {
        Random rnd = new Random(seed);
        double[] d = new double[(int) numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = (0.2 + rnd.nextDouble()) * (rnd.nextBoolean() ? 1 : -1);
        return Tensor.of(DType.F64, CPU, d, shape);
    }

    /** Values in [0.5, 1.5], F64 (log, sqrt, pow bases). */
    static Tensor pos(long seed, long... shape) {
        Random rnd = new Random(seed);
        double[] d = new double[(int) numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = 0.5 + rnd.nextDouble();
        return Tensor.of(DType.F64, CPU, d, shape);
    }

    static Tensor idx(long[] data, long... shape) {
        return Tensor.of(data, shape);
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    static Tensor x0(List<Tensor> xs) { return xs.get(0); }

    static Tensor x1(List<Tensor> xs) { return xs.get(1); }

    // ---- case builders ------------------------------------------------------------------------

    private static final List<Case> CASES = new ArrayList<>();

    private static void add(String name, Function<List<Tensor>, Tensor> f, boolean linear, Tensor... inputs) {
        CASES.add(new Case(name, f, List.of(inputs), linear));
    }

    private static void nonlinear(String name, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        add(name, f, false, inputs);
    }

    private static void linear(String name, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        add(name, f, true, inputs);
    }

    /** Elementwise unary op on contiguous, strided (slice with step), transposed and broadcast inputs. */
    private static void unary(String name, UnaryOperator<Tensor> op, boolean positive, boolean lin) {
        long s = name.hashCode();
        add(name + " contiguous", xs -> op.apply(x0(xs)), lin, positive ? pos(s, 2, 3) : r(s, 2, 3));
        add(name + " strided (slice step 2)", xs -> op.apply(x0(xs).slice(1, 1, 5, 2)), lin,
                positive ? pos(s + 1, 3, 5) : r(s + 1, 3, 5));
        add(name + " transposed (mT)", xs -> op.apply(x0(xs).mT()), lin, positive ? pos(s + 2, 3, 2) : r(s + 2, 3, 2));
        add(name + " broadcast (expand [3,1] to [3,4])", xs -> op.apply(x0(xs).expand(3, 4)), lin,
                positive ? pos(s + 3, 3, 1) : r(s + 3, 3, 1));
    }

    /** Elementwise binary op on equal shapes, broadcast [3,1] with [4], and non-contiguous operands. */
    private static void binary(String name, BinaryOperator<Tensor> op, boolean posA, boolean posB, boolean lin) {
        long s = name.hashCode() * 31L;
        add(name + " contiguous", xs -> op.apply(x0(xs), x1(xs)), lin,
                posA ? pos(s, 2, 3) : r(s, 2, 3), posB ? pos(s + 1, 2, 3) : r(s + 1, 2, 3));
        add(name + " broadcast [3,1] with [4]", xs -> op.apply(x0(xs), x1(xs)), lin,
                posA ? pos(s + 2, 3, 1) : r(s + 2, 3, 1), posB ? pos(s + 3, 4) : r(s + 3, 4));
        add(name + " broadcast [3] with [2,3]", xs -> op.apply(x0(xs), x1(xs)), lin,
                posA ? pos(s + 4, 3) : r(s + 4, 3), posB ? pos(s + 5, 2, 3) : r(s + 5, 2, 3));
        add(name + " non-contiguous (mT with slice step 2)", xs -> op.apply(x0(xs).mT(), x1(xs).slice(1, 1, 6, 2)), lin,
                posA ? pos(s + 6, 3, 2) : r(s + 6, 3, 2), posB ? pos(s + 7, 2, 6) : r(s + 7, 2, 6));
    }

    /** A reduction over all, one dim, a negative dim, dims with and without keepDim, on permuted and broadcast inputs. */
    private static void reduction(String name, Function<Tensor, Tensor> all, java.util.function.BiFunction<Tensor, Integer, Tensor> dim,
                                  TriFunction dims, boolean lin) {
        long s = name.hashCode() * 17L;
        add(name + "() all", xs -> all.apply(x0(xs)), lin, r(s, 2, 3, 2));
        add(name + "(1)", xs -> dim.apply(x0(xs), 1), lin, r(s + 1, 2, 3, 2));
        add(name + "(-1)", xs -> dim.apply(x0(xs), -1), lin, r(s + 2, 2, 3, 2));
        add(name + "({0,2}, keepDim)", xs -> dims.apply(x0(xs), new int[] {0, 2}, true), lin, r(s + 3, 2, 3, 2));
        add(name + "({0,2}, no keepDim)", xs -> dims.apply(x0(xs), new int[] {0, 2}, false), lin, r(s + 4, 2, 3, 2));
        add(name + "(1) of permuted", xs -> dim.apply(x0(xs).permute(2, 0, 1), 1), lin, r(s + 5, 2, 3, 2));
        add(name + "(0) of broadcast [2,1,2] to [2,3,2]", xs -> dim.apply(x0(xs).expand(2, 3, 2), 0), lin, r(s + 6, 2, 1, 2));
    }

    @FunctionalInterface
    interface TriFunction {
        Tensor apply(Tensor x, int[] dims, boolean keepDim);
    }

    static {
        // -- elementwise binary, tensor overloads
        binary("add", Tensor::add, false, false, true);
        binary("sub", Tensor::sub, false, false, true);
        binary("mul", Tensor::mul, false, false, false);
        binary("div", Tensor::div, false, false, false);
        binary("pow", Tensor::pow, true, false, false);
        binary("maximum", Tensor::maximum, false, false, false);
        binary("minimum", Tensor::minimum, false, false, false);
        // -- elementwise binary, double overloads
        unary("add(0.7)", x -> x.add(0.7), false, true);
        unary("sub(0.7)", x -> x.sub(0.7), false, true);
        unary("mul(-1.3)", x -> x.mul(-1.3), false, true);
        unary("div(1.7)", x -> x.div(1.7), false, true);
        unary("pow(3.0)", x -> x.pow(3.0), false, false);
        unary("pow(2.5)", x -> x.pow(2.5), true, false);
        unary("pow(-1.5)", x -> x.pow(-1.5), true, false);
        unary("maximum(0.1)", x -> x.maximum(0.1), false, false);
        unary("minimum(-0.1)", x -> x.minimum(-0.1), false, false);
        // -- elementwise unary
        unary("neg", Tensor::neg, false, true);
        unary("abs", Tensor::abs, false, false);
        unary("exp", Tensor::exp, false, false);
        unary("log", Tensor::log, true, false);
        unary("sqrt", Tensor::sqrt, true, false);
        unary("rsqrt", Tensor::rsqrt, true, false);
        unary("square", Tensor::square, false, false);
        unary("reciprocal", Tensor::reciprocal, false, false);
        unary("sin", Tensor::sin, false, false);
        unary("cos", Tensor::cos, false, false);
        unary("tanh", Tensor::tanh, false, false);
        unary("sigmoid", Tensor::sigmoid, false, false);
        unary("relu", Tensor::relu, false, false);
        unary("gelu", Tensor::gelu, false, false);
        unary("softplus", Tensor::softplus, false, false);
        unary("erf", Tensor::erf, false, false);
        unary("clamp(-0.5, 0.5)", x -> x.clamp(-0.5, 0.5), false, false);
        // -- where
        Tensor cond23 = Tensor.of(new boolean[] {true, false, true, false, false, true}, 2, 3);
        Tensor cond31 = Tensor.of(new boolean[] {true, false, true}, 3, 1);
        nonlinear("where contiguous", xs -> Tensor.where(cond23, x0(xs), x1(xs)).mul(x0(xs)), r(101, 2, 3), r(102, 2, 3));
        linear("where broadcast cond [3,1], a [4], b [3,4]", xs -> Tensor.where(cond31, x0(xs), x1(xs)), r(103, 4), r(104, 3, 4));
        linear("where non-contiguous a (mT), broadcast b [3]", xs -> Tensor.where(cond23, x0(xs).mT(), x1(xs)), r(105, 3, 2), r(106, 3));
        // -- reductions
        reduction("sum", Tensor::sum, Tensor::sum, Tensor::sum, true);
        reduction("mean", Tensor::mean, Tensor::mean, Tensor::mean, true);
        reduction("amax", Tensor::amax, Tensor::amax, Tensor::amax, false);
        reduction("amin", Tensor::amin, Tensor::amin, Tensor::amin, false);
        reduction("prod", Tensor::prod, Tensor::prod, Tensor::prod, false);
        reduction("var", Tensor::var, Tensor::var, Tensor::var, false);
        reduction("std", Tensor::std, Tensor::std, Tensor::std, false);
        reduction("logsumexp", Tensor::logsumexp, Tensor::logsumexp, Tensor::logsumexp, false);
        nonlinear("prod(1) with one zero in a row", xs -> x0(xs).prod(1),
                Tensor.of(new double[] {0.0, 0.7, -1.3, 0.4, 1.1, -0.6}, 2, 3));
        nonlinear("var({1}, keepDim, correction 0)", xs -> x0(xs).var(new int[] {1}, true, 0), r(110, 2, 3));
        nonlinear("std({0}, no keepDim, correction 2)", xs -> x0(xs).std(new int[] {0}, false, 2), r(111, 4, 2));
        // -- norms
        for (double p : new double[] {1, 2, 3, Double.POSITIVE_INFINITY}) {
            long s = 200 + (long) Math.min(p, 9) * 3;
            String n = "norm(p=" + (p == Double.POSITIVE_INFINITY ? "inf" : String.valueOf((int) p)) + ", ";
            nonlinear(n + "all)", xs -> x0(xs).norm(p, new int[0], false), r(s, 2, 3));
            nonlinear(n + "{1}, keepDim)", xs -> x0(xs).norm(p, new int[] {1}, true), r(s + 1, 2, 3));
            nonlinear(n + "{0}) of mT", xs -> x0(xs).mT().norm(p, new int[] {0}, false), r(s + 2, 2, 3));
        }
        nonlinear("norm()", xs -> x0(xs).norm(), r(230, 2, 3));
        // -- softmax, logSoftmax
        nonlinear("softmax(1)", xs -> x0(xs).softmax(1), r(240, 2, 3));
        nonlinear("softmax(0)", xs -> x0(xs).softmax(0), r(241, 2, 3));
        nonlinear("softmax(-1) of mT", xs -> x0(xs).mT().softmax(-1), r(242, 2, 3));
        nonlinear("softmax(0) of broadcast [2,1] to [2,3]", xs -> x0(xs).expand(2, 3).softmax(0), r(243, 2, 1));
        nonlinear("logSoftmax(1)", xs -> x0(xs).logSoftmax(1), r(244, 2, 3));
        nonlinear("logSoftmax(0)", xs -> x0(xs).logSoftmax(0), r(245, 2, 3));
        nonlinear("logSoftmax(-1) of slice step 2", xs -> x0(xs).slice(1, 0, 5, 2).logSoftmax(-1), r(246, 2, 5));
        // -- linear algebra
        nonlinear("matmul 2-D @ 2-D", xs -> x0(xs).matmul(x1(xs)), r(300, 2, 3), r(301, 3, 4));
        nonlinear("matmul 1-D @ 1-D", xs -> x0(xs).matmul(x1(xs)), r(302, 3), r(303, 3));
        nonlinear("matmul 2-D @ 1-D", xs -> x0(xs).matmul(x1(xs)), r(304, 2, 3), r(305, 3));
        nonlinear("matmul 1-D @ 2-D", xs -> x0(xs).matmul(x1(xs)), r(306, 3), r(307, 3, 2));
        nonlinear("matmul batched [2,2,3] @ [3,2] (broadcast)", xs -> x0(xs).matmul(x1(xs)), r(308, 2, 2, 3), r(309, 3, 2));
        nonlinear("matmul batched [2,1,2,3] @ [3,3,2] (batch broadcast)", xs -> x0(xs).matmul(x1(xs)), r(310, 2, 1, 2, 3), r(311, 3, 3, 2));
        nonlinear("matmul batched 1-D @ [2,3,2]", xs -> x0(xs).matmul(x1(xs)), r(312, 3), r(313, 2, 3, 2));
        nonlinear("matmul non-contiguous (mT @ slice step 2)", xs -> x0(xs).mT().matmul(x1(xs).slice(1, 0, 4, 2)), r(314, 3, 2), r(315, 3, 4));
        nonlinear("matmul of a product with itself (x @ x)", xs -> x0(xs).matmul(x0(xs)), r(316, 3, 3));
        nonlinear("outer", xs -> x0(xs).outer(x1(xs)), r(320, 3), r(321, 2));
        nonlinear("outer non-contiguous (slice step 2)", xs -> x0(xs).slice(0, 0, 5, 2).outer(x1(xs)), r(322, 5), r(323, 2));
        nonlinear("dot", xs -> x0(xs).dot(x1(xs)), r(324, 4), r(325, 4));
        nonlinear("dot non-contiguous (select of mT)", xs -> x0(xs).mT().select(0, 1).dot(x1(xs)), r(326, 3, 2), r(327, 3));
        // -- views and movement
        linear("reshape contiguous", xs -> x0(xs).reshape(3, 2), r(400, 2, 3));
        linear("reshape of mT (copy) with -1", xs -> x0(xs).mT().reshape(-1, 3), r(401, 2, 3));
        linear("view", xs -> x0(xs).view(3, 1, 2), r(402, 2, 3));
        linear("flatten of permuted", xs -> x0(xs).permute(1, 0, 2).flatten(), r(403, 2, 3, 2));
        linear("squeeze(1)", xs -> x0(xs).squeeze(1), r(404, 3, 1, 2));
        linear("unsqueeze(-1) of mT", xs -> x0(xs).mT().unsqueeze(-1), r(405, 2, 3));
        linear("permute(2,0,1)", xs -> x0(xs).permute(2, 0, 1), r(406, 2, 3, 2));
        linear("transpose(0,2)", xs -> x0(xs).transpose(0, 2), r(407, 2, 3, 2));
        linear("mT", xs -> x0(xs).mT(), r(408, 2, 2, 3));
        linear("expand [3,1] to [2,3,4]", xs -> x0(xs).expand(2, 3, 4), r(409, 3, 1));
        linear("expand with -1 of mT", xs -> x0(xs).mT().expand(2, -1, 2), r(410, 1, 3));
        linear("slice(1, 0, 5, 2)", xs -> x0(xs).slice(1, 0, 5, 2), r(411, 2, 5));
        linear("slice(0, -3, 4, 2) of mT", xs -> x0(xs).mT().slice(0, -3, 4, 2), r(412, 2, 4));
        linear("select(1, 2)", xs -> x0(xs).select(1, 2), r(413, 2, 3));
        linear("select(0, -1) of slice step 2", xs -> x0(xs).slice(1, 0, 4, 2).select(0, -1), r(414, 2, 4));
        linear("narrow(1, 1, 2)", xs -> x0(xs).narrow(1, 1, 2), r(415, 2, 4));
        linear("narrow(0, -2, 2) of mT", xs -> x0(xs).mT().narrow(0, -2, 2), r(416, 2, 3));
        linear("contiguous of mT", xs -> x0(xs).mT().contiguous(), r(417, 2, 3));
        linear("contiguous of contiguous", xs -> x0(xs).contiguous(), r(418, 2, 3));
        linear("cat dim 1", xs -> Tensor.cat(List.of(x0(xs), x1(xs)), 1), r(420, 2, 3), r(421, 2, 2));
        linear("cat dim 0 of mT and itself", xs -> Tensor.cat(List.of(x0(xs).mT(), x1(xs), x0(xs).mT()), 0), r(422, 2, 3), r(423, 1, 2));
        linear("stack dim 0", xs -> Tensor.stack(List.of(x0(xs), x1(xs)), 0), r(424, 2, 3), r(425, 2, 3));
        linear("stack dim -1 of slice step 2", xs -> Tensor.stack(List.of(x0(xs).slice(1, 0, 5, 2), x1(xs)), -1), r(426, 2, 5), r(427, 2, 3));
        linear("split(2, 1) last chunk", xs -> x0(xs).split(2, 1).get(2), r(430, 2, 5));
        nonlinear("split(3, 1) chunks multiplied", xs -> {
            List<Tensor> p = x0(xs).split(3, 1);
            return p.get(0).mul(p.get(1));
        }, r(431, 2, 4));
        linear("split(1, 0) of mT, cat back reversed", xs -> {
            List<Tensor> p = x0(xs).mT().split(1, 0);
            return Tensor.cat(List.of(p.get(2), p.get(0)), 0);
        }, r(432, 2, 3));
        linear("pad([1, 2], [0, 1], 0.5)", xs -> x0(xs).pad(new long[] {1, 2}, new long[] {0, 1}, 0.5), r(440, 2, 3));
        linear("pad negative (crop) ([-1], [1])", xs -> x0(xs).pad(new long[] {-1}, new long[] {1}, 0), r(441, 2, 3));
        linear("pad mixed ([1, -1], [-1, 2]) of mT", xs -> x0(xs).mT().pad(new long[] {1, -1}, new long[] {-1, 2}, 0), r(442, 2, 3));
        linear("gather(1) with repeats", xs -> x0(xs).gather(1, idx(new long[] {2, 0, 2, 1, 1, 0}, 3, 2)), r(450, 3, 4));
        linear("gather(0) of mT", xs -> x0(xs).mT().gather(0, idx(new long[] {1, 0, 1, 0, 0, 0}, 2, 3)), r(451, 3, 2));
        linear("indexSelect(0) with repeats", xs -> x0(xs).indexSelect(0, idx(new long[] {0, 2, 0}, 3)), r(452, 3, 2));
        linear("indexSelect(1) of slice step 2", xs -> x0(xs).slice(1, 0, 5, 2).indexSelect(1, idx(new long[] {2, 1}, 2)), r(453, 2, 5));
        linear("scatterAdd(1) self and src", xs -> x0(xs).scatterAdd(1, idx(new long[] {0, 2, 1, 1}, 2, 2), x1(xs)), r(460, 2, 3), r(461, 2, 2));
        linear("scatterAdd(0) src larger than index", xs -> x0(xs).scatterAdd(0, idx(new long[] {1, 1, 0}, 1, 3), x1(xs)), r(462, 2, 3), r(463, 2, 4));
        nonlinear("scatterAdd(1) of mT src, product", xs -> x0(xs).scatterAdd(1, idx(new long[] {1, 1, 0, 1}, 2, 2), x1(xs).mT()).mul(x0(xs)),
                r(464, 2, 3), r(465, 2, 2));
        // -- dtype conversion: values small so that F32 rounding stays below the finite-difference noise
        nonlinear("to(F32) then to(F64)", xs -> x0(xs).to(DType.F32).to(DType.F64).square(),
                Tensor.of(new double[] {1e-3, -2e-3, 3e-3, 1.5e-3}, 2, 2));
        nonlinear("to(F32) of mT, F32 op, to(F64)", xs -> x0(xs).mT().to(DType.F32).mul(0.5).to(DType.F64).square(),
                Tensor.of(new double[] {1e-3, -2e-3, 3e-3, 1.5e-3, 2.5e-3, -1e-3}, 2, 3));
    }

    static Stream<Arguments> cases() {
        return CASES.stream().map(c -> Arguments.of(Named.of(c.name(), c)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradcheck(Case c) {
        named(c, () -> GradCheck.gradcheck(c.f(), c.inputs()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void jvpcheck(Case c) {
        named(c, () -> GradCheck.jvpcheck(c.f(), c.inputs()));
    }

    /** Linear ops have a constant gradient; their output is squared so that the backward rule is differentiated on a tracked gradient. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradgradcheck(Case c) {
        Function<List<Tensor>, Tensor> f = c.linear() ? xs -> {
            Tensor y = c.f().apply(xs);
            return y.mul(y);
        } : c.f();
        named(c, () -> GradCheck.gradgradcheck(f, c.inputs()));
    }

    /**
     * Hessian-vector products of ⟨f(xs), w⟩ (f squared for linear ops), forward-over-reverse and
     * reverse-over-reverse, against central differences of the gradient: this runs each backward
     * rule on inputs that carry tangents, which gradgradcheck and jvpcheck alone never do.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hvp(Case c) {
        named(c, () -> {
            List<Tensor> xs = c.inputs();
            Tensor w = r(77, c.f().apply(xs).shape());
            Function<List<Tensor>, Tensor> s = zs -> {
                Tensor y = c.f().apply(zs);
                return (c.linear() ? y.mul(y) : y).mul(w).sum();
            };
            List<Tensor> vs = new ArrayList<>();
            for (int k = 0; k < xs.size(); k++) vs.add(r(1000 + k, xs.get(k).shape()));
            double h = GradCheck.EPS;
            List<Tensor> gp = Autodiff.grad(s, shifted(xs, vs, h)), gm = Autodiff.grad(s, shifted(xs, vs, -h));
            List<double[]> fd = new ArrayList<>();
            for (int k = 0; k < xs.size(); k++) {
                double[] p = gp.get(k).toDoubleArray(), m = gm.get(k).toDoubleArray(), d = new double[p.length];
                for (int i = 0; i < p.length; i++) d[i] = (p[i] - m[i]) / (2 * h);
                fd.add(d);
            }
            // both modes are checked, each reported, so one failing does not hide the other
            List<String> problems = new ArrayList<>();
            for (Autodiff.HvpMode mode : Autodiff.HvpMode.values()) {
                try {
                    List<Tensor> hv = Autodiff.hvp(s, xs, vs, mode);
                    for (int k = 0; k < xs.size(); k++) assertClose(mode + " hvp, input " + k, fd.get(k), hv.get(k));
                } catch (RuntimeException | AssertionError e) {
                    problems.add(mode + ": " + e);
                }
            }
            if (!problems.isEmpty()) throw new AssertionError(String.join("; ", problems));
        });
    }

    private static List<Tensor> shifted(List<Tensor> xs, List<Tensor> vs, double h) {
        List<Tensor> out = new ArrayList<>();
        for (int k = 0; k < xs.size(); k++) out.add(xs.get(k).add(vs.get(k).mul(h)));
        return out;
    }

    /** GradCheck's tolerance: |analytical - numerical| <= atol + rtol·|numerical|. */
    private static void assertClose(String what, double[] numerical, Tensor analytical) {
        double[] a = analytical.toDoubleArray();
        assertEquals(numerical.length, a.length, what + ": size");
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - numerical[i]) <= GradCheck.ATOL + GradCheck.RTOL * Math.abs(numerical[i]))) {
                throw new AssertionError(what + ": element " + i + ": analytical " + a[i] + ", numerical " + numerical[i]);
            }
        }
    }

    /** Runs a check so that its failure names the case (surefire's reports show only the invocation index). */
    private static void named(Case c, Runnable check) {
        try {
            check.run();
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError(c.name() + ": " + e, e);
        }
    }

    // ---- the checks themselves catch wrong derivatives ---------------------------------------

    @Test
    void gradcheckRejectsAWrongGradient() {
        // x·detach(x): the analytical gradient is x, the true derivative 2x
        Function<List<Tensor>, Tensor> f = xs -> x0(xs).mul(x0(xs).detach());
        assertThrows(GradCheckException.class, () -> GradCheck.gradcheck(f, List.of(r(1, 3))));
        assertThrows(GradCheckException.class, () -> GradCheck.jvpcheck(f, List.of(r(1, 3))));
    }

    @Test
    void gradgradcheckRejectsAWrongSecondDerivative() {
        // x²·detach(x): the analytical gradient 2x·x misses x² (the true one is 3x²)
        Function<List<Tensor>, Tensor> f = xs -> x0(xs).square().mul(x0(xs).detach());
        assertThrows(GradCheckException.class, () -> GradCheck.gradgradcheck(f, List.of(r(2, 3))));
    }

    // ---- dtype of gradients through casts ----------------------------------------------------

    @Test
    void castBetweenF32AndF64RoutesGradientsInTheLeafDtype() {
        Tensor x = Tensor.of(new float[] {0.5f, -1.25f, 2f}).requiresGrad(true);
        x.to(DType.F64).square().mul(3.0).sum().backward();
        assertEquals(DType.F32, x.grad().dtype());
        assertArrayEquals(new double[] {3.0, -7.5, 12.0}, x.grad().toDoubleArray(), 1e-6);

        Tensor y = Tensor.of(new double[] {0.5, -1.25, 2}).requiresGrad(true);
        Tensor z = y.to(DType.F32);
        assertEquals(DType.F32, z.dtype());
        z.mul(z).sum().backward();
        assertEquals(DType.F64, y.grad().dtype());
        assertArrayEquals(new double[] {1.0, -2.5, 4.0}, y.grad().toDoubleArray(), 1e-6);

        // forward mode: the tangent follows the cast
        Autodiff.Jvp j = Autodiff.jvp(t -> t.to(DType.F32).mul(2.0), Tensor.of(new double[] {1, 2}), Tensor.of(new double[] {0.25, -1}));
        assertEquals(DType.F32, j.tangent().dtype());
        assertArrayEquals(new double[] {0.5, -2}, j.tangent().toDoubleArray(), 1e-6);
    }

    @Test
    void everyCaseHasAUniqueName() {
        assertEquals(CASES.size(), CASES.stream().map(Case::name).distinct().count(),
                () -> "duplicate case names: " + Arrays.toString(CASES.stream().map(Case::name).sorted().toArray()));
    }
}
