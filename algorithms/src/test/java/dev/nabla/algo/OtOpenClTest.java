package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sinkhorn and SNS on opencl:0 (PoCL in CI) give the CPU's answers: the closed-form 2×2 plan, and
 * on a random problem the same plan, cost and iteration counts, and no OpenCL buffer left behind.
 * The sparse kernels (top-k selection, products, transpose) run for real there. Small problems: PoCL is slow. Skipped
 * without OpenCL or float64, except under CI=true.
 */
class OtOpenClTest {
    private static final Device OPENCL = OpenClGate.OPENCL;

    @BeforeAll
    static void requireOpenCl() {
        OpenClGate.require(true);
    }

    @Test
    void swapProblemHasTheClosedFormOnOpenCl() {
        try (Scope s = Scope.open()) {
            Tensor cost = OtProblems.matrix(new double[][] {{0, 1}, {1, 0}}, OPENCL), half = OtProblems.vector(new double[] {0.5, 0.5}, OPENCL);
            for (double eta : new double[] {3, 1e4}) {
                OtResult res = SinkhornNewtonSparse.solve(cost, half, half, eta, OtOptions.defaults().withTol(1e-13));
                assertEquals(OPENCL, res.plan().device());
                assertEquals(1 / (2 * (1 + Math.exp(-eta))), res.plan().toDoubleArray()[0], 1e-13);
            }
        }
    }

    @Test
    void randomProblemGivesTheCpusPlanAndIterations() {
        int n = 40;
        double[][] cost = OtProblems.uniformCost(n, n, 77);
        double[] u = OtProblems.uniform(n);
        OtOptions o = OtOptions.defaults().withTol(1e-10).withMaxIterations(300);
        long before = LiveBuffers.settle("opencl");
        try (Scope s = Scope.open()) {
            OtResult[] sns = new OtResult[2], sk = new OtResult[2];
            Device[] devices = {Device.cpu(), OPENCL};
            for (int d = 0; d < 2; d++) {
                Tensor c = OtProblems.matrix(cost, devices[d]), m = OtProblems.vector(u, devices[d]);
                sns[d] = SinkhornNewtonSparse.solve(c, m, m, 300, o);
                sk[d] = Sinkhorn.solve(c, m, m, 300, o.withMaxIterations(150));
            }
            // the devices round exp and log differently and CG stops at a tolerance: the same path to 1e-6, not bit for bit
            assertTrue(sns[1].marginalError() <= 1e-10, "SNS converged on OpenCL: " + sns[1].marginalError());
            assertEquals(sns[0].iterations(), sns[1].iterations(), 3, "SNS iterations");
            for (int i = 0; i < 25; i++) {
                assertEquals(sns[0].history().get(i).marginalError(), sns[1].history().get(i).marginalError(),
                        1e-6 * sns[0].history().get(i).marginalError(), "the error after " + i + " iterations");
            }
            assertEquals(sns[0].history().get(25).nonzeros(), sns[1].history().get(25).nonzeros());
            assertEquals(sns[0].cost(), sns[1].cost(), 1e-10, "SNS cost");
            double[] a = sns[0].plan().toDoubleArray(), b = sns[1].plan().toDoubleArray();
            for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-10, "SNS plan [" + i + "]");
            assertEquals(sk[0].iterations(), sk[1].iterations());
            double ea = sk[0].marginalError(), eb = sk[1].marginalError();
            assertEquals(ea, eb, 1e-9 * ea + 1e-15, "Sinkhorn's error after 150 iterations");
            assertEquals(sk[0].cost(), sk[1].cost(), 1e-12, "Sinkhorn cost");
        }
        assertEquals(before, LiveBuffers.settle("opencl"), "every OpenCL buffer of both solves is freed");
    }
}
