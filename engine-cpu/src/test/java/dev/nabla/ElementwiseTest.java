package dev.nabla;

import static dev.nabla.TensorAsserts.assertBits;
import static dev.nabla.TensorAsserts.assertTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every unary and binary elementwise op against a float64 scalar reference, for F32 and F64, the
 * integer behaviour of the ops that keep integer dtypes, and IEEE special values (NaN, infinities,
 * signed zeros).
 */
class ElementwiseTest {

    record Unary(String name, UnaryOperator<Tensor> op, DoubleUnaryOperator ref, double lo, double hi) {
        @Override public String toString() { return name; }
    }

    record Binary(String name, BinaryOperator<Tensor> op, java.util.function.BiFunction<Tensor, Double, Tensor> scalarOp,
                  DoubleBinaryOperator ref, double lo, double hi, double blo, double bhi) {
        @Override public String toString() { return name; }
    }

    static double gelu(double x) { return x * NormalDistribution.cdf(x); }

    static double softplus(double x) { return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))); }

    static double sigmoid(double x) { return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)); }

    static final List<Unary> UNARY = List.of(
            new Unary("neg", Tensor::neg, x -> -x, -10, 10),
            new Unary("abs", Tensor::abs, Math::abs, -10, 10),
            new Unary("exp", Tensor::exp, Math::exp, -20, 20),
            new Unary("log", Tensor::log, Math::log, 1e-3, 100),
            new Unary("sqrt", Tensor::sqrt, Math::sqrt, 0, 100),
            new Unary("rsqrt", Tensor::rsqrt, x -> 1 / Math.sqrt(x), 1e-2, 100),
            new Unary("square", Tensor::square, x -> x * x, -10, 10),
            new Unary("reciprocal", Tensor::reciprocal, x -> 1 / x, -10, 10),
            new Unary("sin", Tensor::sin, Math::sin, -20, 20),
            new Unary("cos", Tensor::cos, Math::cos, -20, 20),
            new Unary("tanh", Tensor::tanh, Math::tanh, -10, 10),
            new Unary("sigmoid", Tensor::sigmoid, ElementwiseTest::sigmoid, -30, 30),
            new Unary("relu", Tensor::relu, x -> Math.max(x, 0), -10, 10),
            new Unary("gelu", Tensor::gelu, ElementwiseTest::gelu, -6, 6),
            new Unary("softplus", Tensor::softplus, ElementwiseTest::softplus, -30, 30),
            new Unary("sign", Tensor::sign, Math::signum, -3, 3),
            new Unary("floor", Tensor::floor, Math::floor, -10, 10),
            new Unary("clamp", t -> t.clamp(-0.5, 0.75), x -> Math.min(Math.max(x, -0.5), 0.75), -2, 2));

    static final List<Binary> BINARY = List.of(
            new Binary("add", Tensor::add, Tensor::add, Double::sum, -10, 10, -10, 10),
            new Binary("sub", Tensor::sub, Tensor::sub, (a, b) -> a - b, -10, 10, -10, 10),
            new Binary("mul", Tensor::mul, Tensor::mul, (a, b) -> a * b, -10, 10, -10, 10),
            new Binary("div", Tensor::div, Tensor::div, (a, b) -> a / b, -10, 10, 0.5, 10),
            new Binary("pow", Tensor::pow, Tensor::pow, Math::pow, 0.1, 4, -2.5, 2.5),
            new Binary("maximum", Tensor::maximum, Tensor::maximum, Math::max, -3, 3, -3, 3),
            new Binary("minimum", Tensor::minimum, Tensor::minimum, Math::min, -3, 3, -3, 3));

    static Stream<Arguments> unaryCases() {
        List<Arguments> out = new ArrayList<>();
        for (Unary u : UNARY) for (DType dt : new DType[] {DType.F32, DType.F64}) out.add(Arguments.of(u, dt));
        return out.stream();
    }

    static Stream<Arguments> binaryCases() {
        List<Arguments> out = new ArrayList<>();
        for (Binary b : BINARY) for (DType dt : new DType[] {DType.F32, DType.F64}) out.add(Arguments.of(b, dt));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unaryCases")
    void unaryOpMatchesScalarReference(Unary u, DType dt) {
        var x = Inputs.random(11, dt, u.lo(), u.hi(), 7, 13);
        assertTensor(u.op().apply(x.t()), dt, x.ref().map(u.ref()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unaryCases")
    void unaryOpOfZeroDimAndEmptyTensors(Unary u, DType dt) {
        var s = Inputs.random(12, dt, u.lo(), u.hi());
        assertTensor(u.op().apply(s.t()), dt, s.ref().map(u.ref()));
        Tensor empty = Tensor.zeros(dt, Device.cpu(), 3, 0);
        assertTensor(u.op().apply(empty), dt, ReferenceArray.of(new double[0], 3, 0));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("binaryCases")
    void binaryOpMatchesScalarReference(Binary b, DType dt) {
        var x = Inputs.random(21, dt, b.lo(), b.hi(), 6, 11);
        var y = Inputs.random(22, dt, b.blo(), b.bhi(), 6, 11);
        assertTensor(b.op().apply(x.t(), y.t()), dt, ReferenceArray.zip(x.ref(), y.ref(), b.ref()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("binaryCases")
    void binaryOpWithDoubleScalarKeepsDtype(Binary b, DType dt) {
        var x = Inputs.random(23, dt, b.lo(), b.hi(), 5, 9);
        for (double s : new double[] {b.blo() + 0.25, 0.5 * (b.blo() + b.bhi()) + 0.375, b.bhi() - 0.125}) {
            double stored = Inputs.round(new double[] {s}, dt)[0];
            Tensor got = b.scalarOp().apply(x.t(), s);
            assertTensor(got, dt, x.ref().map(v -> b.ref().applyAsDouble(v, stored)));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("binaryCases")
    void binaryOpBroadcastsLikeNumpy(Binary b, DType dt) {
        var x = Inputs.random(24, dt, b.lo(), b.hi(), 3, 1, 5);
        var y = Inputs.random(25, dt, b.blo(), b.bhi(), 4, 1);
        assertTensor(b.op().apply(x.t(), y.t()), dt, ReferenceArray.zip(x.ref(), y.ref(), b.ref()));
        assertTensor(b.op().apply(y.t(), x.t()), dt, ReferenceArray.zip(y.ref(), x.ref(), b.ref()));
    }

    // ---- integer dtypes -------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"I32", "I64"})
    void integerPreservingUnaryOpsAreExact(DType dt) {
        var x = Inputs.random(31, dt, -50, 50, 4, 9);
        assertTensor(x.t().neg(), dt, x.ref().map(v -> -v));
        assertTensor(x.t().abs(), dt, x.ref().map(Math::abs));
        assertTensor(x.t().square(), dt, x.ref().map(v -> v * v));
        assertTensor(x.t().sign(), dt, x.ref().map(Math::signum));
        assertTensor(x.t().relu(), dt, x.ref().map(v -> Math.max(v, 0)));
        assertTensor(x.t().floor(), dt, x.ref());
        assertTensor(x.t().clamp(-7, 12), dt, x.ref().map(v -> Math.min(Math.max(v, -7), 12)));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"I32", "I64", "BOOL"})
    void floatValuedUnaryOpsOnIntegersComputeInF32(DType dt) {
        var x = Inputs.random(32, dt, 1, 20, 3, 5);
        assertTensor(x.t().exp(), DType.F32, x.ref().map(Math::exp));
        assertTensor(x.t().sqrt(), DType.F32, x.ref().map(Math::sqrt));
        assertTensor(x.t().sin(), DType.F32, x.ref().map(Math::sin));
        assertTensor(x.t().sigmoid(), DType.F32, x.ref().map(ElementwiseTest::sigmoid));
        assertTensor(x.t().tanh(), DType.F32, x.ref().map(Math::tanh));
        assertTensor(x.t().gelu(), DType.F32, x.ref().map(ElementwiseTest::gelu));
        assertTensor(x.t().softplus(), DType.F32, x.ref().map(ElementwiseTest::softplus));
        if (dt != DType.BOOL) {
            assertTensor(x.t().log(), DType.F32, x.ref().map(Math::log));
            assertTensor(x.t().rsqrt(), DType.F32, x.ref().map(v -> 1 / Math.sqrt(v)));
            assertTensor(x.t().reciprocal(), DType.F32, x.ref().map(v -> 1 / v));
            assertTensor(x.t().cos(), DType.F32, x.ref().map(Math::cos));
        }
    }

    @Test
    void integerPreservingOpsRejectBool() {
        Tensor b = Tensor.of(new boolean[] {true, false});
        assertThrows(DTypeMismatchException.class, b::neg);
        assertThrows(DTypeMismatchException.class, b::abs);
        assertThrows(DTypeMismatchException.class, b::square);
        assertThrows(DTypeMismatchException.class, b::sign);
        assertThrows(DTypeMismatchException.class, b::relu);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"I32", "I64"})
    void integerArithmeticIsExact(DType dt) {
        var x = Inputs.random(33, dt, -1000, 1000, 8, 7);
        var y = Inputs.random(34, dt, -1000, 1000, 8, 7);
        assertTensor(x.t().add(y.t()), dt, ReferenceArray.zip(x.ref(), y.ref(), Double::sum));
        assertTensor(x.t().sub(y.t()), dt, ReferenceArray.zip(x.ref(), y.ref(), (a, b) -> a - b));
        assertTensor(x.t().mul(y.t()), dt, ReferenceArray.zip(x.ref(), y.ref(), (a, b) -> a * b));
        assertTensor(x.t().maximum(y.t()), dt, ReferenceArray.zip(x.ref(), y.ref(), Math::max));
        assertTensor(x.t().minimum(y.t()), dt, ReferenceArray.zip(x.ref(), y.ref(), Math::min));
        assertTensor(x.t().add(3.0), dt, x.ref().map(v -> v + 3));
        assertTensor(x.t().mul(-2.0), dt, x.ref().map(v -> v * -2));
    }

    @Test
    void i64ArithmeticKeepsAllSixtyFourBits() {
        long big = (1L << 53) + 1;
        Tensor a = Tensor.of(new long[] {big, Long.MAX_VALUE - 1});
        assertArrayEquals(new long[] {big + 2, Long.MAX_VALUE}, a.add(Tensor.of(new long[] {2, 1})).toLongArray());
        assertArrayEquals(new long[] {2 * big, 0}, a.mul(Tensor.of(new long[] {2, 0})).toLongArray());
        assertArrayEquals(new long[] {big, Long.MAX_VALUE - 1}, a.maximum(Tensor.of(new long[] {big - 1, 0})).toLongArray());
    }

    @Test
    void integerPowIsIntegerAndTruncatesNegativeExponents() {
        Tensor base = Tensor.of(new int[] {2, 3, -2, 1, -1, -1, 0, 5, 2, 7});
        Tensor exp = Tensor.of(new int[] {3, 2, 3, -2, -3, -2, 0, 0, -1, 1});
        Tensor p = base.pow(exp);
        assertEquals(DType.I32, p.dtype());
        assertArrayEquals(new int[] {8, 9, -8, 1, -1, 1, 1, 1, 0, 7}, p.toIntArray());
        Tensor q = Tensor.of(new long[] {3, -3, 10}).pow(Tensor.of(new long[] {39, 3, 18}));
        assertEquals(DType.I64, q.dtype());
        assertArrayEquals(new long[] {4052555153018976267L, -27, 1_000_000_000_000_000_000L}, q.toLongArray());
        Tensor r = Tensor.of(new int[] {2, -3}).pow(2.0);
        assertEquals(DType.I32, r.dtype());
        assertArrayEquals(new int[] {4, 9}, r.toIntArray());
    }

    @Test
    void integerClampWithWholeBoundsKeepsDtype() {
        Tensor t = Tensor.of(new int[] {-5, 0, 5}).clamp(-2, 3);
        assertEquals(DType.I32, t.dtype());
        assertArrayEquals(new int[] {-2, 0, 3}, t.toIntArray());
    }

    // ---- special values -----------------------------------------------------------------------

    static final double NAN = Double.NaN, INF = Double.POSITIVE_INFINITY;

    /** op(input) == expected bit for bit (so -0.0 differs from 0.0); both F32 and F64. */
    private static void assertSpecial(String what, UnaryOperator<Tensor> op, double[] in, double[] expected) {
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            Tensor t = Inputs.tensor(in, dt, in.length);
            double[] got = op.apply(t).toDoubleArray();
            assertEquals(dt, op.apply(t).dtype());
            for (int i = 0; i < in.length; i++) {
                assertBits(Inputs.round(new double[] {expected[i]}, dt)[0], got[i], what + "(" + in[i] + ") " + dt);
            }
        }
    }

    @Test
    void signedZerosFollowIeee() {
        assertSpecial("neg", Tensor::neg, new double[] {0.0, -0.0}, new double[] {-0.0, 0.0});
        assertSpecial("abs", Tensor::abs, new double[] {-0.0, 0.0}, new double[] {0.0, 0.0});
        assertSpecial("sqrt", Tensor::sqrt, new double[] {-0.0, 0.0}, new double[] {-0.0, 0.0});
        assertSpecial("floor", Tensor::floor, new double[] {-0.0, -0.5, 0.0}, new double[] {-0.0, -1.0, 0.0});
        assertSpecial("relu", Tensor::relu, new double[] {-0.0, -3, 0.0}, new double[] {0.0, 0.0, 0.0});
        assertSpecial("sign", Tensor::sign, new double[] {-0.0, 0.0, -2, 3}, new double[] {-0.0, 0.0, -1, 1});
        assertSpecial("square", Tensor::square, new double[] {-0.0}, new double[] {0.0});
        assertSpecial("sin", Tensor::sin, new double[] {-0.0, 0.0}, new double[] {-0.0, 0.0});
        assertSpecial("tanh", Tensor::tanh, new double[] {-0.0, 0.0}, new double[] {-0.0, 0.0});
        assertSpecial("reciprocal", Tensor::reciprocal, new double[] {0.0, -0.0}, new double[] {INF, -INF});
        assertSpecial("rsqrt", Tensor::rsqrt, new double[] {0.0}, new double[] {INF});
        assertSpecial("mul", t -> t.mul(-1.0), new double[] {0.0, -0.0, 2}, new double[] {-0.0, 0.0, -2});
        assertSpecial("add", t -> t.add(-0.0), new double[] {-0.0, 0.0}, new double[] {-0.0, 0.0});
        assertSpecial("sub", t -> t.sub(0.0), new double[] {-0.0, 0.0}, new double[] {-0.0, 0.0});
        assertSpecial("div", t -> t.div(-2.0), new double[] {0.0, 1}, new double[] {-0.0, -0.5});
        assertSpecial("sub self", t -> t.sub(t), new double[] {0.0, -0.0, 5}, new double[] {0.0, 0.0, 0.0});
        assertSpecial("maximum", t -> t.maximum(Inputs.tensor(new double[] {0.0, -0.0}, t.dtype(), 2)),
                new double[] {-0.0, 0.0}, new double[] {0.0, 0.0});
        assertSpecial("minimum", t -> t.minimum(Inputs.tensor(new double[] {0.0, -0.0}, t.dtype(), 2)),
                new double[] {-0.0, 0.0}, new double[] {-0.0, -0.0});
        assertSpecial("clamp", t -> t.clamp(0, 1), new double[] {-0.0, -1}, new double[] {0.0, 0.0});
    }

    @Test
    void nanAndInfinitiesPropagateThroughUnaryOps() {
        double[] in = {NAN, INF, -INF};
        assertSpecial("neg", Tensor::neg, in, new double[] {NAN, -INF, INF});
        assertSpecial("abs", Tensor::abs, in, new double[] {NAN, INF, INF});
        assertSpecial("exp", Tensor::exp, in, new double[] {NAN, INF, 0});
        assertSpecial("log", Tensor::log, new double[] {NAN, INF, 0, -0.0, -1, 1}, new double[] {NAN, INF, -INF, -INF, NAN, 0});
        assertSpecial("sqrt", Tensor::sqrt, new double[] {NAN, INF, -1, -INF}, new double[] {NAN, INF, NAN, NAN});
        assertSpecial("rsqrt", Tensor::rsqrt, new double[] {NAN, INF, -1}, new double[] {NAN, 0, NAN});
        assertSpecial("square", Tensor::square, in, new double[] {NAN, INF, INF});
        assertSpecial("reciprocal", Tensor::reciprocal, in, new double[] {NAN, 0, -0.0});
        assertSpecial("sin", Tensor::sin, in, new double[] {NAN, NAN, NAN});
        assertSpecial("cos", Tensor::cos, in, new double[] {NAN, NAN, NAN});
        assertSpecial("tanh", Tensor::tanh, in, new double[] {NAN, 1, -1});
        assertSpecial("sigmoid", Tensor::sigmoid, in, new double[] {NAN, 1, 0});
        assertSpecial("relu", Tensor::relu, in, new double[] {NAN, INF, 0});
        assertSpecial("gelu", Tensor::gelu, new double[] {NAN, INF}, new double[] {NAN, INF});
        assertSpecial("softplus", Tensor::softplus, in, new double[] {NAN, INF, 0});
        assertSpecial("sign", Tensor::sign, in, new double[] {NAN, 1, -1});
        assertSpecial("floor", Tensor::floor, in, in);
        assertSpecial("clamp", t -> t.clamp(-1, 1), in, new double[] {NAN, 1, -1});
    }

    @Test
    void saturatingFunctionsStayFiniteAtLargeArguments() {
        assertSpecial("tanh", Tensor::tanh, new double[] {50, -50, 1e30}, new double[] {1, -1, 1});
        assertSpecial("sigmoid", Tensor::sigmoid, new double[] {100, -1e30, 1e30}, new double[] {1, 0, 1});
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            double[] sp = Inputs.tensor(new double[] {1000, -1000, 80, 0}, dt, 4).softplus().toDoubleArray();
            assertEquals(1000, sp[0], 0, "softplus(1000) " + dt);
            assertEquals(0, sp[1], 0, "softplus(-1000) " + dt);
            assertEquals(80, sp[2], 1e-5, "softplus(80) " + dt);
            assertEquals(Math.log(2), sp[3], dt == DType.F32 ? 1e-7 : 1e-15, "softplus(0) " + dt);
            double[] g = Inputs.tensor(new double[] {-40, 40}, dt, 2).gelu().toDoubleArray();
            assertEquals(0, g[0], 1e-300, "gelu(-40) " + dt);
            assertEquals(40, g[1], 0, "gelu(40) " + dt);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void smallResultsKeepRelativePrecision(DType dt) {
        // atol is 0 here: values near zero and far tails must be right relative to their own size
        Tolerance rel = new Tolerance(Tolerance.of(dt).rtol(), 0);
        double[] tiny = Inputs.uniform(61, 200, 1e-3, 1e-2, dt);
        for (int i = 0; i < tiny.length; i++) tiny[i] = Inputs.round(new double[] {tiny[i] * Math.pow(10, -(i % 6)) * (i % 2 == 0 ? 1 : -1)}, dt)[0];
        var x = new Inputs.Pair(Inputs.tensor(tiny, dt, 200), ReferenceArray.of(tiny, 200));
        assertTensor(x.t().sin(), dt, x.ref().map(Math::sin), rel);
        assertTensor(x.t().tanh(), dt, x.ref().map(Math::tanh), rel);
        assertTensor(x.t().gelu(), dt, x.ref().map(ElementwiseTest::gelu), rel);
        assertTensor(x.t().abs().sqrt(), dt, x.ref().map(v -> Math.sqrt(Math.abs(v))), rel);
        assertTensor(x.t().square(), dt, x.ref().map(v -> v * v), rel);
        double lo = dt == DType.F32 ? -80 : -700;
        var tail = Inputs.random(62, dt, lo, -20, 300);
        assertTensor(tail.t().sigmoid(), dt, tail.ref().map(ElementwiseTest::sigmoid), rel);
        assertTensor(tail.t().softplus(), dt, tail.ref().map(ElementwiseTest::softplus), rel);
        assertTensor(tail.t().exp(), dt, tail.ref().map(Math::exp), rel);
    }

    @Test
    void nanScalarOperandPropagates() {
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            Tensor t = Inputs.tensor(new double[] {-1, 0, 2}, dt, 3);
            for (Tensor r : new Tensor[] {t.add(NAN), t.mul(NAN), t.maximum(NAN), t.minimum(NAN), t.pow(NAN), t.sub(NAN)}) {
                for (double v : r.toDoubleArray()) assertBits(NAN, v, "op with NaN scalar " + dt);
            }
            assertArrayEquals(new boolean[] {false, false, false}, t.eq(NAN).toBooleanArray());
            assertArrayEquals(new boolean[] {true, true, true}, t.ne(NAN).toBooleanArray());
            assertArrayEquals(new boolean[] {false, false, false}, t.lt(NAN).toBooleanArray());
            assertArrayEquals(new boolean[] {false, false, false}, t.ge(NAN).toBooleanArray());
        }
    }

    @Test
    void clampWithLowAboveHighGivesHighEverywhere() {
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            assertTensor(Inputs.tensor(new double[] {-5, 0, 0.5, 5}, dt, 4).clamp(1, 0.25), dt,
                    ReferenceArray.of(new double[] {0.25, 0.25, 0.25, 0.25}, 4));
        }
    }

    @Test
    void nanAndInfinitiesPropagateThroughBinaryOps() {
        double[] a = {NAN, 1, INF, INF, -INF, 1, -1, 0, INF, 2};
        double[] b = {1, NAN, -INF, INF, INF, 0, 0, 0, 0, INF};
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            Tensor x = Inputs.tensor(a, dt, a.length), y = Inputs.tensor(b, dt, b.length);
            double[] add = x.add(y).toDoubleArray(), sub = x.sub(y).toDoubleArray(), mul = x.mul(y).toDoubleArray();
            double[] div = x.div(y).toDoubleArray(), pow = x.pow(y).toDoubleArray();
            double[] max = x.maximum(y).toDoubleArray(), min = x.minimum(y).toDoubleArray();
            for (int i = 0; i < a.length; i++) {
                String at = "(" + a[i] + ", " + b[i] + ") " + dt;
                assertBits(a[i] + b[i], add[i], "add" + at);
                assertBits(a[i] - b[i], sub[i], "sub" + at);
                assertBits(a[i] * b[i], mul[i], "mul" + at);
                assertBits(a[i] / b[i], div[i], "div" + at);
                // Java's pow(1, NaN) is NaN where IEEE 754 says 1: the case is left out
                if (a[i] != 1 || !Double.isNaN(b[i])) assertBits(Math.pow(a[i], b[i]), pow[i], "pow" + at);
                double emax = Double.isNaN(a[i]) || Double.isNaN(b[i]) ? NAN : Math.max(a[i], b[i]);
                double emin = Double.isNaN(a[i]) || Double.isNaN(b[i]) ? NAN : Math.min(a[i], b[i]);
                assertBits(emax, max[i], "maximum" + at);
                assertBits(emin, min[i], "minimum" + at);
            }
        }
    }

    @Test
    void powFollowsMathPowForNegativeBasesAndZeros() {
        double[] a = {-2, -2, -8, 0, 0, -0.0, NAN, 4, INF, 0.5};
        double[] b = {3, -2, 1.0 / 3, -1, 0, 3, 0, 0.5, -1, INF};
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            double[] ar = Inputs.round(a, dt), br = Inputs.round(b, dt);
            double[] got = Inputs.tensor(a, dt, a.length).pow(Inputs.tensor(b, dt, b.length)).toDoubleArray();
            for (int i = 0; i < a.length; i++) {
                double e = Inputs.round(new double[] {Math.pow(ar[i], br[i])}, dt)[0];
                assertBits(e, got[i], "pow(" + a[i] + ", " + b[i] + ") " + dt);
            }
            assertArrayEquals(new double[] {-8, 0.25}, Inputs.tensor(new double[] {-2, -2}, dt, 2)
                    .pow(Inputs.tensor(new double[] {3, -2}, dt, 2)).toDoubleArray());
            assertArrayEquals(new double[] {4, 4}, Inputs.tensor(new double[] {-2, 2}, dt, 2).pow(2.0).toDoubleArray());
        }
    }

    // ---- comparisons and where -----------------------------------------------------------------

    record Comparison(String name, BinaryOperator<Tensor> op, java.util.function.BiFunction<Tensor, Double, Tensor> scalarOp,
                      java.util.function.BiPredicate<Double, Double> ref) {}

    static final List<Comparison> COMPARISONS = List.of(
            new Comparison("eq", Tensor::eq, Tensor::eq, (a, b) -> a.doubleValue() == b.doubleValue()),
            new Comparison("ne", Tensor::ne, Tensor::ne, (a, b) -> a.doubleValue() != b.doubleValue()),
            new Comparison("lt", Tensor::lt, Tensor::lt, (a, b) -> a < b),
            new Comparison("le", Tensor::le, Tensor::le, (a, b) -> a <= b),
            new Comparison("gt", Tensor::gt, Tensor::gt, (a, b) -> a > b),
            new Comparison("ge", Tensor::ge, Tensor::ge, (a, b) -> a >= b));

    @ParameterizedTest
    @EnumSource(DType.class)
    void comparisonsGiveBoolWithTiesAndBroadcasting(DType dt) {
        double hi = dt == DType.BOOL ? 1 : 2;
        var x = Inputs.random(41, dt, -2, hi, 4, 1, 6);
        var y = Inputs.random(42, dt, -2, hi, 3, 1);
        if (dt.isFloating()) {
            x = Inputs.random(41, DType.I32, -2, 2, 4, 1, 6);
            x = new Inputs.Pair(x.t().to(dt), x.ref());
            y = Inputs.random(42, DType.I32, -2, 2, 3, 1);
            y = new Inputs.Pair(y.t().to(dt), y.ref());
        }
        for (Comparison c : COMPARISONS) {
            var ref = ReferenceArray.zip(x.ref(), y.ref(), (a, b) -> c.ref().test(a, b) ? 1 : 0);
            assertTensor(c.op().apply(x.t(), y.t()), DType.BOOL, ref);
            if (dt != DType.BOOL) {
                var sref = x.ref().map(a -> c.ref().test(a, 1.0) ? 1 : 0);
                assertTensor(c.scalarOp().apply(x.t(), 1.0), DType.BOOL, sref);
            }
        }
    }

    @Test
    void comparisonsWithNanAreFalseExceptNe() {
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            Tensor a = Inputs.tensor(new double[] {NAN, NAN, 1, -0.0}, dt, 4);
            Tensor b = Inputs.tensor(new double[] {NAN, 1, NAN, 0.0}, dt, 4);
            assertArrayEquals(new boolean[] {false, false, false, true}, a.eq(b).toBooleanArray(), "eq " + dt);
            assertArrayEquals(new boolean[] {true, true, true, false}, a.ne(b).toBooleanArray(), "ne " + dt);
            assertArrayEquals(new boolean[] {false, false, false, false}, a.lt(b).toBooleanArray(), "lt " + dt);
            assertArrayEquals(new boolean[] {false, false, false, true}, a.le(b).toBooleanArray(), "le " + dt);
            assertArrayEquals(new boolean[] {false, false, false, false}, a.gt(b).toBooleanArray(), "gt " + dt);
            assertArrayEquals(new boolean[] {false, false, false, true}, a.ge(b).toBooleanArray(), "ge " + dt);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void whereSelectsWithBroadcasting(DType dt) {
        var cond = Inputs.random(51, DType.BOOL, 0, 1, 3, 1, 4);
        var a = Inputs.random(52, dt, -5, 5, 2, 4);
        var b = Inputs.random(53, dt, -5, 5, 3, 2, 1);
        ReferenceArray c3 = ReferenceArray.zip(cond.ref(), a.ref(), (c, v) -> c);
        ReferenceArray av = ReferenceArray.zip(cond.ref(), a.ref(), (c, v) -> v);
        long[] out = ReferenceArray.broadcastShape(c3.shape(), b.ref().shape());
        ReferenceArray cc = c3.broadcastTo(out), aa = av.broadcastTo(out), bb = b.ref().broadcastTo(out);
        double[] e = new double[cc.values().length];
        for (int i = 0; i < e.length; i++) e[i] = cc.values()[i] != 0 ? aa.values()[i] : bb.values()[i];
        assertTensor(Tensor.where(cond.t(), a.t(), b.t()), dt, ReferenceArray.of(e, out));
    }

    @Test
    void whereKeepsNanAndSignedZerosOfTheChosenBranch() {
        Tensor c = Tensor.of(new boolean[] {true, false, true, false});
        Tensor a = Tensor.of(new double[] {NAN, NAN, -0.0, 1});
        Tensor b = Tensor.of(new double[] {1, 2, 3, -0.0});
        double[] got = Tensor.where(c, a, b).toDoubleArray();
        assertBits(NAN, got[0], "where[0]");
        assertBits(2, got[1], "where[1]");
        assertBits(-0.0, got[2], "where[2]");
        assertBits(-0.0, got[3], "where[3]");
    }
}
