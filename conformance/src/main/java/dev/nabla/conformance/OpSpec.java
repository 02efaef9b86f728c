package dev.nabla.conformance;

import dev.nabla.DType;
import dev.nabla.Tensor;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One op of the conformance registry, in the spirit of PyTorch's OpInfo: how to call it, its float64
 * reference, the dtypes it takes, sample inputs per dtype, error inputs, which derivative checks
 * apply (and on what float64 inputs), its scalar definition for the special-value check, and
 * expected failures with their reasons.
 *
 * <pre>{@code
 * OpSpec exp = OpSpec.builder("exp", Kind.ELEMENTWISE).dtypes(DType.F32, DType.F64)
 *         .op(xs -> xs.get(0).exp()).unary(Math::exp).samples(Samples.unary(-3, 3)).build();
 * }</pre>
 *
 * @param special1 the op's scalar definition on one float64 value, for special values (or null)
 * @param special2 the same for binary ops (or null)
 * @param gradSample float64 inputs (and dims) for gradcheck, gradgradcheck and jvpcheck; null: not differentiable
 * @param xfail expected failures: key "DTYPE/check" (e.g. "F32/special") to the reason
 */
public record OpSpec(String name, Kind kind, Set<DType> dtypes, BiFunction<List<Tensor>, Sample, Tensor> op,
                     BiFunction<List<Ref>, Sample, Expected> reference, UnaryOperator<DType> outDType,
                     Function<DType, List<Sample>> samples, List<ErrorCase> errors,
                     DoubleUnaryOperator special1, DoubleBinaryOperator special2,
                     Sample gradSample, boolean gradgrad, Map<String, String> xfail) {

    /** The op applied with a sample's dims: what the derivative checks differentiate. */
    public Function<List<Tensor>, Tensor> bound(Sample s) { return xs -> op.apply(xs, s); }

    public static Builder builder(String name, Kind kind) { return new Builder(name, kind); }

    /** Fluent construction; unset parts mean "none". */
    public static final class Builder {
        private final String name;
        private final Kind kind;
        private Set<DType> dtypes = EnumSet.noneOf(DType.class);
        private BiFunction<List<Tensor>, Sample, Tensor> op;
        private BiFunction<List<Ref>, Sample, Expected> reference;
        private UnaryOperator<DType> outDType = t -> t;
        private Function<DType, List<Sample>> samples = t -> List.of();
        private final List<ErrorCase> errors = new ArrayList<>();
        private DoubleUnaryOperator special1;
        private DoubleBinaryOperator special2;
        private Sample gradSample;
        private boolean gradgrad = true;
        private final Map<String, String> xfail = new HashMap<>();

        private Builder(String name, Kind kind) {
            this.name = name;
            this.kind = kind;
        }

        public Builder dtypes(DType... ts) { dtypes = EnumSet.copyOf(List.of(ts)); return this; }
        public Builder op(Function<List<Tensor>, Tensor> f) { op = (xs, s) -> f.apply(xs); return this; }
        /** An op taking the sample's dims. */
        public Builder opWith(BiFunction<List<Tensor>, Sample, Tensor> f) { op = f; return this; }
        public Builder reference(Function<List<Ref>, Expected> f) { reference = (rs, s) -> f.apply(rs); return this; }
        /** A reference taking the sample's dims. */
        public Builder referenceWith(BiFunction<List<Ref>, Sample, Expected> f) { reference = f; return this; }
        public Builder out(UnaryOperator<DType> f) { outDType = f; return this; }
        public Builder samples(Function<DType, List<Sample>> f) { samples = f; return this; }
        public Builder error(ErrorCase e) { errors.add(e); return this; }
        public Builder grad(Arg... args) { gradSample = Sample.of("grad", args); return this; }
        public Builder grad(Sample s) { gradSample = s; return this; }
        /** First derivatives only (e.g. a piecewise-linear op whose second derivative is zero almost everywhere). */
        public Builder noGradGrad() { gradgrad = false; return this; }
        public Builder xfail(String key, String reason) { xfail.put(key, reason); return this; }

        /** An elementwise unary op: its reference is f on every element, and f is also its special-value definition. */
        public Builder unary(DoubleUnaryOperator f) {
            special1 = f;
            reference = (rs, s) -> Expected.of(rs.get(0).map(f));
            return this;
        }

        /** An elementwise binary op (NumPy broadcasting): f per element pair, also its special-value definition. */
        public Builder binary(DoubleBinaryOperator f) {
            special2 = f;
            reference = (rs, s) -> Expected.of(Ref.zip(rs.get(0), rs.get(1), f));
            return this;
        }

        /** No special-value check although the reference is elementwise. */
        public Builder noSpecials() { special1 = null; special2 = null; return this; }

        public OpSpec build() {
            if (op == null || reference == null) throw new IllegalStateException("spec " + name + ": op and reference are required");
            return new OpSpec(name, kind, dtypes, op, reference, outDType, samples, List.copyOf(errors), special1, special2,
                    gradSample, gradgrad, Map.copyOf(xfail));
        }
    }
}
