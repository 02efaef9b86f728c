package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import org.junit.jupiter.api.Test;

/** Both solvers against closed forms: the 2×2 swap problem, separable costs, and the assignment limit of large η. */
class OtKnownAnswersTest {
    private static final Device CPU = Device.cpu();
    private static final OtOptions TIGHT = OtOptions.defaults().withTol(1e-13).withMaxIterations(5000);

    private interface Solver {
        OtResult solve(Tensor cost, Tensor r, Tensor c, double eta, OtOptions o);
    }

    private static final Solver[] SOLVERS = {Sinkhorn::solve, SinkhornNewtonSparse::solve};

    @Test
    void swapCostGivesTheClosedFormPlanForEveryEta() {
        // C = [[0, 1], [1, 0]], r = c = (1/2, 1/2): P11 = P22 = e^η / (2(1 + e^η)), P12 = P21 = 1/(2(1 + e^η))
        for (Solver s : SOLVERS) {
            for (double eta : new double[] {0.5, 3, 40, 1e4}) {
                try (Scope scope = Scope.open()) {
                    Tensor cost = OtProblems.matrix(new double[][] {{0, 1}, {1, 0}}, CPU), half = OtProblems.vector(new double[] {0.5, 0.5}, CPU);
                    OtResult res = s.solve(cost, half, half, eta, TIGHT);
                    double[] p = res.plan().toDoubleArray();
                    double diag = 1 / (2 * (1 + Math.exp(-eta))), off = 1 / (2 * (1 + Math.exp(eta)));
                    assertEquals(diag, p[0], 1e-13, "P11 at eta " + eta);
                    assertEquals(diag, p[3], 1e-13, "P22 at eta " + eta);
                    assertEquals(off, p[1], 1e-13 + 1e-12 * off, "P12 at eta " + eta);
                    assertEquals(off, p[2], 1e-13 + 1e-12 * off, "P21 at eta " + eta);
                    assertEquals(2 * off, res.cost(), 1e-12, "<C, P> = P12 + P21");
                    assertTrue(res.marginalError() <= 1e-13, "error " + res.marginalError());
                }
            }
        }
    }

    @Test
    void float32ProblemsSolveInFloat32() {
        for (Solver s : SOLVERS) {
            try (Scope scope = Scope.open()) {
                Tensor cost = Tensor.of(DType.F32, CPU, new double[] {0, 1, 1, 0}, 2, 2), half = Tensor.full(DType.F32, CPU, 0.5, 2);
                OtResult res = s.solve(cost, half, half, 10, OtOptions.defaults().withTol(1e-6));
                assertEquals(DType.F32, res.plan().dtype());
                assertEquals(1 / (2 * (1 + Math.exp(-10))), res.plan().toDoubleArray()[0], 1e-6);
            }
        }
    }

    @Test
    void separableCostGivesTheIndependentPlan() {
        // C_ij = a_i + b_j: the cost of every plan with these marginals is the same, so the entropic plan is r cᵀ
        int n = 7, m = 5;
        double[] a = {0.3, 0.9, 0.1, 0.5, 0.7, 0.2, 0.8}, b = {0.4, 0.0, 0.6, 0.25, 0.95};
        double[][] cost = new double[n][m];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) cost[i][j] = a[i] + b[j];
        double[] r = OtProblems.marginal(n, 1), c = OtProblems.marginal(m, 2);
        for (Solver s : SOLVERS) {
            for (double eta : new double[] {1, 100, 1e4}) {
                try (Scope scope = Scope.open()) {
                    OtResult res = s.solve(OtProblems.matrix(cost, CPU), OtProblems.vector(r, CPU), OtProblems.vector(c, CPU), eta, TIGHT);
                    double[] p = res.plan().toDoubleArray();
                    for (int i = 0; i < n; i++) {
                        // exp(η(x + y − C) − 1) carries the rounding of its exponent, about η ulps
                        for (int j = 0; j < m; j++) {
                            assertEquals(r[i] * c[j], p[i * m + j], 1e-15 + 4e-16 * eta * r[i] * c[j], "P[" + i + "][" + j + "] at eta " + eta);
                        }
                    }
                    double expected = 0;
                    for (int i = 0; i < n; i++) expected += r[i] * a[i];
                    for (int j = 0; j < m; j++) expected += c[j] * b[j];
                    assertEquals(expected, res.cost(), 1e-15 + 4e-16 * eta * expected);
                }
            }
        }
    }

    @Test
    void hungarianReferenceAgreesWithBruteForce() {
        for (long seed = 1; seed <= 5; seed++) {
            double[][] c = OtProblems.uniformCost(7, 7, seed);
            assertEquals(Assignment.bruteForce(c), Assignment.minCost(c), 1e-12);
        }
    }

    @Test
    void costApproachesTheExactAssignmentAsEtaGrows() {
        // r = c = 1/n: OT = min over permutations / n (Birkhoff); the entropy term bounds the gap by log(n)/η.
        // η grows tenfold each time, each solve warm-started from the last one's potentials.
        int n = 12;
        double[][] cost = OtProblems.uniformCost(n, n, 21);
        double exact = Assignment.minCost(cost) / n;
        double previous = Double.POSITIVE_INFINITY;
        try (Scope scope = Scope.open()) {
            Tensor c = OtProblems.matrix(cost, CPU), u = OtProblems.vector(OtProblems.uniform(n), CPU);
            OtOptions o = OtOptions.defaults().withTol(1e-11).withMaxIterations(3000);
            OtResult sinkhorn = Sinkhorn.solve(c, u, u, 10, o);
            Tensor x = null, y = null;
            for (double eta : new double[] {10, 100, 1000, 10000}) {
                OtResult res = SinkhornNewtonSparse.solve(c, u, u, eta, o, x, y);
                x = res.x();
                y = res.y();
                assertTrue(res.marginalError() <= 1e-11, "converged at eta " + eta + ": " + res.marginalError());
                double gap = res.cost() - exact;
                assertTrue(gap > -1e-9 && gap <= Math.log(n) / eta + 1e-9,
                        "eta " + eta + ": <C, P> = " + res.cost() + ", exact " + exact + ", bound log(n)/eta = " + Math.log(n) / eta);
                assertTrue(gap < previous, "the gap shrinks with eta: " + gap + " after " + previous);
                previous = gap;
                if (eta == 10) assertEquals(sinkhorn.cost(), res.cost(), 1e-10, "Sinkhorn and SNS solve the same problem");
            }
            assertTrue(previous < 1e-4, "at eta 1e4 the entropic cost is within 1e-4 of the assignment: " + previous);
        }
    }

    @Test
    void largeEtaStaysFiniteAndTheErrorFalls() {
        int n = 30;
        double[][] cost = OtProblems.uniformCost(n, n, 5);
        try (Scope scope = Scope.open()) {
            Tensor u = OtProblems.vector(OtProblems.uniform(n), CPU);
            OtResult res = Sinkhorn.solve(OtProblems.matrix(cost, CPU), u, u, 1e4, OtOptions.defaults().withTol(0).withMaxIterations(300));
            for (double v : res.x().toDoubleArray()) assertTrue(Double.isFinite(v), "x finite");
            for (double v : res.y().toDoubleArray()) assertTrue(Double.isFinite(v), "y finite");
            for (double v : res.plan().toDoubleArray()) assertTrue(Double.isFinite(v) && v >= 0, "plan entries finite");
            double first = res.history().get(1).marginalError(), last = res.history().getLast().marginalError();
            assertTrue(Double.isFinite(res.marginalError()) && last < first, "error falls: " + first + " -> " + last);
            assertEquals(301, res.history().size(), "the start and 300 iterations");
        }
    }
}
