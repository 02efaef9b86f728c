package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Iterative methods keep memory flat: the CPU backend's live buffers, read at every product the
 * method asks for, do not grow with the number of iterations, and once the results are closed
 * memory is back where it started.
 */
class MemoryTest {

    private static final int N = 60;
    private static final double[][] A = DenseReference.withEigenvalues(DenseReference.randomOrthogonal(N, 2), spectrum());

    private static double[] spectrum() {
        double[] l = new double[N];
        for (int i = 0; i < N; i++) l[i] = 0.01 + i * i / 100.0;   // condition number ~3500: CG needs many steps
        return l;
    }



    /** The Hessian of ½ xᵀAx, noting the live buffers at each product. */
    private record Recording(CurvatureOperator inner, List<Long> seen) implements CurvatureOperator {
        @Override
        public List<Tensor> apply(List<Tensor> v) {
            seen.add(LiveBuffers.count());
            return inner.apply(v);
        }
    }

    private static void assertFlat(List<Long> seen, String what) {
        assertTrue(seen.size() >= 60, what + ": only " + seen.size() + " products");
        int half = seen.size() / 2;
        long first = seen.subList(0, half).stream().mapToLong(Long::longValue).max().orElseThrow();
        long second = seen.subList(half, seen.size()).stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(second <= first, what + ": live buffers grew from at most " + first + " in the first " + half
                + " products to " + second + " in the rest");
    }

    @Test
    void eachMethodsIterationsLeaveLiveBuffersFlatAndReturnToBaseline() {
        Tensor a = Problems.tensor(A, Device.cpu());
        Function<List<Tensor>, Tensor> loss = Problems.quadratic(a);
        List<Tensor> params = List.of(Tensor.zeros(DType.F64, Device.cpu(), N));
        CurvatureOperator hessian = CurvatureOperator.hessian(loss, params);
        long baseline = LiveBuffers.settle();

        List<Long> seen = new ArrayList<>();
        HessianSpectrum s = HessianSpectrum.of(new Recording(hessian, seen), params, 1);
        HessianSpectrum.Eigen top = s.topEigenvalues(2, 0, 100);   // tol 0: every iteration runs
        assertEquals(200, seen.size());
        assertFlat(seen.subList(0, 100), "topEigenvalues, first eigenvector");
        assertFlat(seen.subList(100, 200), "topEigenvalues, second eigenvector (the first is kept)");
        top.vectors().forEach(v -> v.forEach(Tensor::close));

        seen.clear();
        assertEquals(N, s.lanczos(N).values().length);
        assertFlat(seen, "lanczos");

        seen.clear();
        HessianSpectrum.Trace t = s.trace(0, 100);
        assertEquals(100, t.samples());
        assertFlat(seen, "trace");

        seen.clear();
        NewtonCG.Result r = NewtonCG.of(p -> loss.apply(p).add(p.getFirst().sum()), at -> new Recording(hessian, seen))
                .withOptions(NewtonCG.Options.defaults().withInitialDamping(0).withGradientTolerance(1e-9))
                .minimize(params);
        assertTrue(r.converged());
        assertFlat(seen, "NewtonCG");
        r.params().forEach(Tensor::close);

        assertEquals(baseline, LiveBuffers.settle(), "live buffers back at the baseline");
    }
}
