package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Device;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.spi.Backends;
import org.junit.jupiter.api.Test;

/**
 * The paper's claim on a random assignment problem (n = 100, η = 1000, costs uniform in [0, 1],
 * uniform marginals): SNS reaches a marginal error of 1e-10 in at most 200 iterations in all,
 * while Sinkhorn is still above 1e-6 after 10,000. Both errors are checked on the host from the
 * returned plans, and memory stays flat over the solves.
 */
class SnsConvergenceTest {
    private static final int N = 100;
    private static final double ETA = 1000;

    @Test
    void snsConvergesInAFewHundredIterationsWhereSinkhornStalls() {
        double[][] cost = OtProblems.uniformCost(N, N, 2024);
        double[] u = OtProblems.uniform(N);
        long before = Backends.get("cpu").memoryStats(0).liveBuffers();
        try (Scope s = Scope.open()) {
            Tensor c = OtProblems.matrix(cost, Device.cpu()), m = OtProblems.vector(u, Device.cpu());
            OtResult sns = SinkhornNewtonSparse.solve(c, m, m, ETA, OtOptions.defaults().withTol(1e-10).withMaxIterations(200));
            double snsError = OtProblems.marginalError(sns.plan().toDoubleArray(), N, N, u, u);
            assertTrue(snsError <= 1e-10, "SNS error " + snsError + " after " + sns.iterations() + " iterations");
            assertTrue(sns.iterations() <= 200, "SNS iterations " + sns.iterations());
            assertEquals(sns.marginalError(), snsError, 1e-12, "the reported error is the plan's");
            int newton = sns.iterationsByPhase()[1];
            assertTrue(newton > 0, "Newton steps ran");
            OtStep firstNewton = sns.history().stream().filter(st -> st.phase() == OtStep.Phase.NEWTON).findFirst().orElseThrow();
            assertEquals(21, firstNewton.iteration(), "20 Sinkhorn warm-up steps, then Newton");
            assertEquals(2 * N, firstNewton.nonzeros(), "λ = 2/n keeps 2n entries");

            OtResult sk = Sinkhorn.solve(c, m, m, ETA, OtOptions.defaults().withTol(1e-10).withMaxIterations(10_000));
            double skError = OtProblems.marginalError(sk.plan().toDoubleArray(), N, N, u, u);
            assertEquals(10_000, sk.iterations());
            assertTrue(skError > 1e-6, "Sinkhorn error after 10,000 iterations: " + skError);
            assertEquals(10_001, sk.history().size());
            assertEquals(sns.cost(), sk.cost(), 1e-2, "the same problem");
        }
        System.gc();
        assertTrue(Backends.get("cpu").memoryStats(0).liveBuffers() <= before + 2,
                "live buffers back near " + before + ": " + Backends.get("cpu").memoryStats(0).liveBuffers());
    }
}
