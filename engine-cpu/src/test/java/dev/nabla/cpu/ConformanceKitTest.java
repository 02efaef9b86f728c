package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;
import dev.nabla.conformance.Arg;
import dev.nabla.conformance.ConformanceRunner;
import dev.nabla.conformance.Expected;
import dev.nabla.conformance.Kind;
import dev.nabla.conformance.OpSpec;
import dev.nabla.conformance.Result;
import dev.nabla.conformance.Sample;
import dev.nabla.conformance.Samples;
import dev.nabla.conformance.Values;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kit itself: it fails a wrong op, a leaking op and an expected failure that passes. */
class ConformanceKitTest {

    private static List<Result> run(OpSpec spec) {
        return new ConformanceRunner(Device.cpu()).checks(spec).stream().map(c -> c.run().get()).toList();
    }

    private static Result find(List<Result> rs, String column, String check) {
        return rs.stream().filter(r -> r.column().equals(column) && r.check().equals(check)).findFirst().orElseThrow();
    }

    @Test
    void anOpOffByOneUlpTooManyFailsForwardAndSpecialValues() {
        OpSpec wrong = OpSpec.builder("exp", Kind.ELEMENTWISE).dtypes(DType.F64)
                .op(xs -> xs.get(0).exp().mul(1 + 1e-11)).unary(Math::exp).samples(Samples.unary(-2, 2)).build();
        List<Result> rs = run(wrong);
        Result f = find(rs, "F64", "forward");
        assertEquals(Result.Status.FAIL, f.status(), f.toString());
        assertTrue(f.detail().contains("outside rtol"), f.detail());
        assertEquals(Result.Status.FAIL, find(rs, "F64", "special values").status());
    }

    @Test
    void anExpectedFailureThatPassesFailsTheRun() {
        OpSpec spec = OpSpec.builder("neg", Kind.ELEMENTWISE).dtypes(DType.F32)
                .op(xs -> xs.get(0).neg()).unary(x -> -x).samples(Samples.unary(-2, 2))
                .xfail("F32/forward", "pretend the backend gets neg wrong").build();
        Result r = find(run(spec), "F32", "forward");
        assertEquals(Result.Status.FAIL, r.status());
        assertTrue(r.detail().contains("expected failure passed"), r.detail());
    }

    @Test
    void anExpectedFailureThatFailsIsASkipWithItsReason() {
        OpSpec spec = OpSpec.builder("neg", Kind.ELEMENTWISE).dtypes(DType.F32)
                .op(xs -> xs.get(0).neg().add(1.0)).unary(x -> -x).samples(Samples.unary(-2, 2))
                .xfail("F32/forward", "known off by one").build();
        Result r = find(run(spec), "F32", "forward");
        assertEquals(Result.Status.SKIP, r.status());
        assertTrue(r.detail().contains("known off by one"), r.detail());
    }

    @Test
    void aLeakingOpFailsTheMemoryCheck() {
        List<Tensor> leaked = new java.util.ArrayList<>();
        OpSpec leaky = OpSpec.builder("leaky", Kind.EXACT).dtypes(DType.F32)
                .op(xs -> {
                    // a tensor made outside any scope the runner opened: it outlives the check
                    Tensor t = Tensor.zeros(DType.F32, Device.cpu(), 4);
                    dev.nabla.Scope.open().keep(t);
                    leaked.add(t);
                    return xs.get(0).neg();
                })
                .reference(rs -> Expected.of(rs.get(0).map(x -> -x)))
                .samples(t -> List.of(Sample.of("one", Arg.of(t, Values.uniform(1, t, -1, 1, 3))))).build();
        List<Result> rs = run(leaky);
        Result m = find(rs, "memory", "back to baseline");
        leaked.forEach(Tensor::close);
        assertEquals(Result.Status.FAIL, m.status(), m.toString());
    }
}
