package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rosenbrock's function at its minimum (1, 1) has the Hessian [[802, −400], [−400, 200]], with
 * eigenvalues 501 ± √(301² + 400²) and trace 1002; from the classic start (−1.2, 1) it is the
 * standard test of a Newton method on a curved valley with negative curvature on the way.
 */
class RosenbrockTest {

    private static final double ROOT = Math.sqrt(301.0 * 301.0 + 400.0 * 400.0);

    private static List<Tensor> at(double x, double y) {
        return List.of(Tensor.of(DType.F64, Device.cpu(), new double[] {x, y}, 2));
    }

    @Test
    void hessianAtTheMinimumHasItsClosedFormSpectrum() {
        HessianSpectrum h = new HessianSpectrum(Problems::rosenbrock, at(1, 1));
        HessianSpectrum.Eigen top = h.topEigenvalues(2, 1e-14, 500);
        assertEquals(501 + ROOT, top.values()[0], 1e-9);
        assertEquals(501 - ROOT, top.values()[1], 1e-9);
        // the top eigenvector is ∝ (400, -(501 + ROOT - 802)) ... checked through the eigen equation
        double[] v = top.vectors().getFirst().getFirst().toDoubleArray();
        double[] hv = {802 * v[0] - 400 * v[1], -400 * v[0] + 200 * v[1]};
        assertArrayEquals(new double[] {top.values()[0] * v[0], top.values()[0] * v[1]}, hv, 1e-6);

        HessianSpectrum.Ritz ritz = h.lanczos(5);
        assertEquals(2, ritz.values().length, "two dimensions, two steps");
        assertEquals(501 + ROOT, ritz.values()[0], 1e-9);
        assertEquals(501 - ROOT, ritz.values()[1], 1e-9);
    }

    @Test
    void traceAtTheMinimumIsWithinItsStandardErrorOf1002() {
        // zᵀHz = 1002 − 800 z₁z₂ = 202 or 1802: the standard error is about 800/√n
        HessianSpectrum.Trace t = new HessianSpectrum(Problems::rosenbrock, at(1, 1), 9).trace(0.01, 20000);
        assertEquals(1002, t.estimate(), 4 * t.stdError());
        assertEquals(800 / Math.sqrt(t.samples()), t.stdError(), 0.05 * 800 / Math.sqrt(t.samples()));
    }

    @Test
    void newtonCgReachesTheMinimumFromTheClassicStart() {
        NewtonCG.Result r = NewtonCG.hessian(Problems::rosenbrock)
                .withOptions(NewtonCG.Options.defaults().withGradientTolerance(1e-10).withMaxIterations(200))
                .minimize(at(-1.2, 1));
        assertTrue(r.converged(), () -> "not converged: " + r.history());
        assertArrayEquals(new double[] {1, 1}, r.params().getFirst().toDoubleArray(), 1e-8);
        assertEquals(0, r.loss(), 1e-16);
        assertTrue(r.iterations() <= 45, "a Newton method needs a few dozen steps here, took " + r.iterations());
        assertTrue(r.history().stream().allMatch(i -> i.stepSize() > 0 || i.reductionRatio() < 0.25),
                "a refused step comes only with a poor model prediction");
    }
}
