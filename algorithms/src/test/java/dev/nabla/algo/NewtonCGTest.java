package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;
import dev.nabla.nn.Losses;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NewtonCG solves logistic regression in a handful of iterations, to the float64 Newton-Raphson reference. */
class NewtonCGTest {

    private static final Problems.Logistic DATA = Problems.logistic(200, 6, 31, Device.cpu());

    private static List<Tensor> zeros() {
        return List.of(Tensor.zeros(DType.F64, Device.cpu(), DATA.d()), Tensor.scalar(DType.F64, Device.cpu(), 0));
    }

    private static void assertSolves(NewtonCG.Result r) {
        double[] expected = DATA.newtonReference();
        assertTrue(r.converged(), () -> "not converged: " + r.history());
        assertTrue(r.iterations() <= 8, "a handful of Newton steps, took " + r.iterations() + ": " + r.history());
        double[] w = r.params().get(0).toDoubleArray();
        for (int k = 0; k < DATA.d(); k++) assertEquals(expected[k], w[k], 1e-8, "w" + k);
        assertEquals(expected[DATA.d()], r.params().get(1).item(), 1e-8, "b");
        double[] g = DATA.gradient(w, r.params().get(1).item());
        for (double gk : g) assertEquals(0, gk, 1e-9, "the closed-form gradient vanishes there too");
    }

    @Test
    void solvesLogisticRegressionOnTheHessian() {
        NewtonCG.Result r = NewtonCG.hessian(DATA::loss)
                .withOptions(NewtonCG.Options.defaults().withGradientTolerance(1e-10))
                .minimize(zeros());
        assertSolves(r);
        // the losses decrease monotonically and the last steps are full Newton steps
        for (int i = 1; i < r.history().size(); i++) assertTrue(r.history().get(i).loss() < r.history().get(i - 1).loss());
        assertEquals(1.0, r.history().getLast().stepSize());
    }

    @Test
    void solvesLogisticRegressionOnTheGaussNewtonMatrix() {
        NewtonCG.Result r = NewtonCG.gaussNewton(DATA::logits, z -> Losses.binaryCrossEntropyWithLogits(z, DATA.ys()))
                .withOptions(NewtonCG.Options.defaults().withGradientTolerance(1e-10))
                .minimize(zeros());
        assertSolves(r);
    }

    @Test
    void leavesItsStartUntouchedAndStopsAtTheIterationCap() {
        List<Tensor> start = zeros();
        NewtonCG.Result r = NewtonCG.hessian(DATA::loss).withOptions(NewtonCG.Options.defaults().withMaxIterations(1)
                .withGradientTolerance(0)).minimize(start);
        assertEquals(1, r.iterations());
        assertTrue(!r.converged());
        assertEquals(1, r.history().size());
        assertEquals(Math.log(2), r.history().getFirst().loss(), 1e-12, "at w = 0 every probability is 1/2");
        for (double v : start.get(0).toDoubleArray()) assertEquals(0, v);
        assertTrue(r.loss() < Math.log(2));
    }

    @Test
    void cgCapOfOneProductIsSteepestDescentWithExactCurvatureAlongIt() {
        // one CG product: p = -(gᵀg / gᵀ(B + λ)g) g, the Cauchy step; still converges, more slowly
        NewtonCG.Result r = NewtonCG.hessian(DATA::loss)
                .withOptions(NewtonCG.Options.defaults().withMaxCgIterations(1).withGradientTolerance(1e-8).withMaxIterations(500))
                .minimize(zeros());
        assertTrue(r.converged());
        assertTrue(r.iterations() > 8, "steepest descent needs more steps than Newton: " + r.iterations());
        assertTrue(r.history().stream().allMatch(i -> i.cgIterations() == 1));
    }
}
