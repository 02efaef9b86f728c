package dev.nabla.conformance;

import dev.nabla.ClosedTensorException;
import dev.nabla.DType;
import dev.nabla.DTypeMismatchException;
import dev.nabla.DeviceMismatchException;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static dev.nabla.DType.BOOL;
import static dev.nabla.DType.F32;
import static dev.nabla.DType.F64;
import static dev.nabla.DType.I32;
import static dev.nabla.DType.I64;

/** Elementwise specs: every unary and binary op of the API, comparisons, where and dtype conversion. */
final class ElementwiseSpecs {
    private ElementwiseSpecs() {}

    /** Float-only ops compute integer inputs in F32. */
    private static final UnaryOperator<DType> FLOATING = DType::toFloating;

    static List<OpSpec> all() {
        List<OpSpec> s = new ArrayList<>();
        // integer-capable unary ops keep the dtype
        s.add(unary("neg", Tensor::neg, x -> -x, -3, 3, false, true).error(boolError("neg", Tensor::neg)).build());
        s.add(unary("abs", Tensor::abs, Math::abs, -3, 3, false, true).noGradGrad().build());
        s.add(unary("square", Tensor::square, x -> x * x, -3, 3, false, true).build());
        s.add(unary("sign", Tensor::sign, Math::signum, -3, 3, false, true).build());
        s.add(unary("relu", Tensor::relu, RefMath::relu, -3, 3, false, true).noGradGrad().build());
        s.add(unary("floor", Tensor::floor, Math::floor, -3, 3, false, true).build());
        // floating ops
        s.add(unary("exp", Tensor::exp, Math::exp, -5, 5, false, false).build());
        s.add(unary("log", Tensor::log, Math::log, 0.01, 10, true, false).build());
        s.add(unary("sqrt", Tensor::sqrt, Math::sqrt, 0, 10, true, false).build());
        s.add(unary("rsqrt", Tensor::rsqrt, x -> 1 / Math.sqrt(x), 0.01, 10, true, false).build());
        s.add(unary("reciprocal", Tensor::reciprocal, x -> 1 / x, 0.1, 5, false, false).build());
        s.add(unary("sin", Tensor::sin, Math::sin, -6, 6, false, false).build());
        s.add(unary("cos", Tensor::cos, Math::cos, -6, 6, false, false).build());
        s.add(unary("tanh", Tensor::tanh, Math::tanh, -4, 4, false, false).build());
        s.add(unary("sigmoid", Tensor::sigmoid, RefMath::sigmoid, -8, 8, false, false).build());
        s.add(unary("gelu", Tensor::gelu, RefMath::gelu, -6, 6, false, false).build());
        s.add(unary("erf", Tensor::erf, RefMath::erf, -3, 3, false, false).build());
        s.add(unary("softplus", Tensor::softplus, RefMath::softplus, -8, 8, false, false).build());
        s.add(unary("clamp(-0.5, 0.5)", x -> x.clamp(-0.5, 0.5), x -> Math.min(Math.max(x, -0.5), 0.5), -1, 1, false, false)
                .noSpecials().noGradGrad().build());
        // binary ops
        s.add(binary("add", Tensor::add, Double::sum, -3, 3, -3, 3).build());
        s.add(binary("sub", Tensor::sub, (x, y) -> x - y, -3, 3, -3, 3)
                .error(new ErrorCase("BOOL - BOOL", "sub", DTypeMismatchException.class,
                        d -> List.of(Tensor.of(BOOL, d, new double[] {1, 0}, 2), Tensor.of(BOOL, d, new double[] {1, 1}, 2)),
                        xs -> xs.get(0).sub(xs.get(1))))
                .build());
        s.add(binary("mul", Tensor::mul, (x, y) -> x * y, -3, 3, -3, 3).build());
        s.add(binary("div", Tensor::div, (x, y) -> x / y, -3, 3, 0.5, 3).out(FLOATING).build());
        s.add(binary("pow", Tensor::pow, Math::pow, 0.5, 2, -2, 2)
                .samples(t -> t.isFloating() ? Samples.binary(0.5, 2, -2, 2).apply(t) : Samples.binary(-3, 3, 0, 5).apply(t))
                .grad(Arg.of(F64, Values.uniform(71, F64, 0.5, 1.5, 2, 3)), Arg.of(F64, Values.signed(72, F64, 0.2, 1.2, 2, 3)))
                .build());
        s.add(binary("maximum", Tensor::maximum, Math::max, -3, 3, -3, 3).noGradGrad().build());
        s.add(binary("minimum", Tensor::minimum, Math::min, -3, 3, -3, 3).noGradGrad().build());
        s.add(OpSpec.builder("mul(double)", Kind.ELEMENTWISE).dtypes(F32, F64, I32, I64)
                .op(xs -> xs.get(0).mul(xs.get(1).item())).binary((x, y) -> x * y).noSpecials()
                .samples(t -> List.of(Sample.of("contiguous, 0-d factor", Arg.of(t, Values.uniform(81, t, -3, 3, 3, 4)),
                        Arg.of(t, Values.uniform(82, t, -3, 3)))))
                .build());
        for (String c : List.of("eq", "ne", "lt", "le", "gt", "ge")) s.add(comparison(c));
        s.add(where());
        for (DType to : DType.values()) s.add(cast(to));
        return s;
    }

    private static ErrorCase closed(String name, UnaryOperator<Tensor> f) {
        String op = name.contains("(") ? name.substring(0, name.indexOf('(')) : name;
        return new ErrorCase("closed input", op, ClosedTensorException.class, d -> {
            Tensor t = Tensor.zeros(F32, d, 2, 3);
            t.close();
            return List.of(t);
        }, xs -> f.apply(xs.get(0)));
    }

    private static ErrorCase boolError(String name, UnaryOperator<Tensor> f) {
        return new ErrorCase("BOOL input", name, DTypeMismatchException.class,
                d -> List.of(Tensor.of(BOOL, d, new double[] {1, 0, 1}, 3)), xs -> f.apply(xs.get(0)));
    }

    private static OpSpec.Builder unary(String name, UnaryOperator<Tensor> f, DoubleUnaryOperator ref, double lo, double hi,
                                        boolean positive, boolean integers) {
        OpSpec.Builder b = OpSpec.builder(name, Kind.ELEMENTWISE)
                .op(xs -> f.apply(xs.get(0))).unary(ref)
                .samples(Samples.unary(lo, hi))
                .error(closed(name, f))
                .grad(Arg.of(F64, positive ? Values.uniform(61, F64, Math.max(lo, 0.5), 2, 2, 3) : Values.signed(62, F64, 0.2, 1.2, 2, 3)));
        if (integers) {
            b.dtypes(F32, F64, I32, I64);
        } else {
            b.dtypes(F32, F64, I32).out(FLOATING);
        }
        return b;
    }

    private static OpSpec.Builder binary(String name, BinaryOperator<Tensor> f, DoubleBinaryOperator ref,
                                         double alo, double ahi, double blo, double bhi) {
        return OpSpec.builder(name, Kind.ELEMENTWISE)
                .dtypes(F32, F64, I32, I64)
                .op(xs -> f.apply(xs.get(0), xs.get(1))).binary(ref)
                .samples(Samples.binary(alo, ahi, blo, bhi))
                .error(new ErrorCase("shapes cannot broadcast", name, ShapeMismatchException.class,
                        d -> List.of(Tensor.zeros(F32, d, 2, 3), Tensor.zeros(F32, d, 4)), xs -> f.apply(xs.get(0), xs.get(1))))
                .error(new ErrorCase("operands on different devices", name, DeviceMismatchException.class,
                        d -> d.kind().equals("cpu") ? null : List.of(Tensor.zeros(F32, d, 2), Tensor.zeros(F32, dev.nabla.Device.cpu(), 2)),
                        xs -> f.apply(xs.get(0), xs.get(1))))
                .grad(Arg.of(F64, Values.signed(63, F64, 0.2, 1.2, 3, 1)), Arg.of(F64, Values.signed(64, F64, 0.3, 1.3, 4)));
    }

    private static OpSpec comparison(String name) {
        BinaryOperator<Tensor> f = switch (name) {
            case "eq" -> Tensor::eq;
            case "ne" -> Tensor::ne;
            case "lt" -> Tensor::lt;
            case "le" -> Tensor::le;
            case "gt" -> Tensor::gt;
            default -> Tensor::ge;
        };
        DoubleBinaryOperator ref = switch (name) {
            case "eq" -> (x, y) -> x == y ? 1 : 0;
            case "ne" -> (x, y) -> x != y ? 1 : 0;
            case "lt" -> (x, y) -> x < y ? 1 : 0;
            case "le" -> (x, y) -> x <= y ? 1 : 0;
            case "gt" -> (x, y) -> x > y ? 1 : 0;
            default -> (x, y) -> x >= y ? 1 : 0;
        };
        // integer-valued inputs in a small range, so ties (where eq, le, ge differ from lt, gt) occur
        return OpSpec.builder(name, Kind.EXACT).dtypes(F32, F64, I32, I64, BOOL)
                .op(xs -> f.apply(xs.get(0), xs.get(1))).binary(ref).out(t -> BOOL)
                .samples(t -> Samples.binary(-2, 2, -2, 2).apply(t).stream().map(s -> rounded(s, t)).toList())
                .build();
    }

    /** The sample with every float value rounded to a whole number (ties between operands become likely). */
    private static Sample rounded(Sample s, DType t) {
        if (!t.isFloating()) return s;
        List<Arg> args = s.args().stream().map(a -> a.view() == Arg.View.BROADCAST
                ? Arg.broadcast(a.dtype(), a.source().map(Math::rint), a.value().shape())
                : new Arg(a.dtype(), a.value().map(Math::rint), a.view(), null)).toList();
        return new Sample(s.label(), args, s.dims(), s.keepDim());
    }

    private static OpSpec where() {
        Function<DType, List<Sample>> samples = t -> List.of(
                Sample.of("contiguous", Arg.of(BOOL, Values.uniform(91, BOOL, 0, 1, 3, 4)),
                        Arg.of(t, Values.uniform(92, t, -3, 3, 3, 4)), Arg.of(t, Values.uniform(93, t, -3, 3, 3, 4))),
                Sample.of("broadcast cond [3,1], a [4], b 0-d", Arg.of(BOOL, Values.uniform(94, BOOL, 0, 1, 3, 1)),
                        Arg.of(t, Values.uniform(95, t, -3, 3, 4)), Arg.of(t, Values.uniform(96, t, -3, 3))),
                Sample.of("non-contiguous", Arg.transposed(BOOL, Values.uniform(97, BOOL, 0, 1, 3, 4)),
                        Arg.strided(t, Values.uniform(98, t, -3, 3, 3, 4)), Arg.transposed(t, Values.uniform(99, t, -3, 3, 3, 4))),
                Sample.of("zero-size", Arg.of(BOOL, Values.uniform(100, BOOL, 0, 1, 0, 4)),
                        Arg.of(t, Values.uniform(101, t, -3, 3, 0, 4)), Arg.of(t, Values.uniform(102, t, -3, 3, 4))),
                Sample.of("large", Arg.of(BOOL, Values.uniform(103, BOOL, 0, 1, Samples.LARGE)),
                        Arg.of(t, Values.uniform(104, t, -3, 3, Samples.LARGE)), Arg.of(t, Values.uniform(105, t, -3, 3, Samples.LARGE))));
        return OpSpec.builder("where", Kind.EXACT).dtypes(F32, F64, I32, I64, BOOL)
                .op(xs -> Tensor.where(xs.get(0), xs.get(1), xs.get(2)))
                .reference(rs -> {
                    long[] s = Ref.broadcastShape(Ref.broadcastShape(rs.get(0).shape(), rs.get(1).shape()), rs.get(2).shape());
                    Ref c = rs.get(0).broadcastTo(s), a = rs.get(1).broadcastTo(s), b = rs.get(2).broadcastTo(s);
                    double[] v = new double[c.size()];
                    for (int i = 0; i < v.length; i++) v[i] = c.v()[i] != 0 ? a.v()[i] : b.v()[i];
                    return Expected.of(Ref.of(v, s));
                })
                .samples(samples)
                .grad(Sample.of("grad", Arg.of(BOOL, Values.uniform(106, BOOL, 0, 1, 3, 1)),
                        Arg.of(F64, Values.signed(107, F64, 0.2, 1.2, 4)), Arg.of(F64, Values.signed(108, F64, 0.2, 1.2, 3, 4))))
                .build();
    }

    private static OpSpec cast(DType to) {
        DoubleUnaryOperator ref = v -> Values.round(v, to);
        return OpSpec.builder("to(" + to + ")", Kind.EXACT).dtypes(F32, F64, I32, I64, BOOL)
                .op(xs -> xs.get(0).to(to)).unary(ref).out(t -> to)
                .samples(t -> Samples.unary(-300, 300).apply(t).stream().map(s -> s.label().equals("contiguous") ? zeros(s) : s).toList())
                .build();
    }

    /** The sample with its first two values set to zero and minus zero (so casts meet zeros). */
    private static Sample zeros(Sample s) {
        Arg a = s.args().get(0);
        double[] v = a.value().v().clone();
        v[0] = 0;
        v[1] = Values.round(-0.0, a.dtype());
        return Sample.of(s.label(), new Arg(a.dtype(), Ref.of(v, a.value().shape()), a.view(), null));
    }
}
