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

    @Test
    void degenerateL1CostOnAGridConverges() {
        // L1 distance between the cells of a 12 × 12 grid: many optimal plans (every monotone path costs the
        // same), random marginals; λ = 15/n as the paper takes for L1. Sinkhorn is still near 5e-3 after 600
        // iterations here (4e-9 after 5000); SNS's Newton steps, damped at first, take it to 1e-10 in about 320.
        int side = 12, n = side * side;
        double eta = 150;
        double[][] cost = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) cost[a][b] = (Math.abs(a / side - b / side) + Math.abs(a % side - b % side)) / (2.0 * (side - 1));
        }
        double[] r = OtProblems.marginal(n, 3), c = OtProblems.marginal(n, 4);
        try (Scope s = Scope.open()) {
            OtOptions o = OtOptions.defaults().withTol(1e-10).withMaxIterations(400).withSparsity(15.0 / n);
            OtResult sns = SinkhornNewtonSparse.solve(OtProblems.matrix(cost, Device.cpu()), OtProblems.vector(r, Device.cpu()),
                    OtProblems.vector(c, Device.cpu()), eta, o);
            double[] plan = sns.plan().toDoubleArray(), x = sns.x().toDoubleArray(), y = sns.y().toDoubleArray();
            double error = OtProblems.marginalError(plan, n, n, r, c);
            assertTrue(error <= 1e-10, "SNS error " + error + " after " + sns.iterations() + " iterations");
            // the plan is exp(η(−C + x1ᵀ + 1yᵀ) − 1) of the returned potentials, so with these marginals it is
            // the entropic optimum (the unique one)
            double cost2 = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double expected = Math.exp(eta * (-cost[i][j] + x[i] + y[j]) - 1);
                    assertEquals(expected, plan[i * n + j], 1e-14 + 1e-12 * expected, "P[" + i + "][" + j + "]");
                    cost2 += cost[i][j] * plan[i * n + j];
                }
            }
            assertEquals(cost2, sns.cost(), 1e-12, "<C, P>");
        }
    }
}
