package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.CsrMatrix;
import dev.nabla.Device;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autodiff.Autodiff;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dual f(x, y) through autodiff against its closed forms: gradient (r − P1, c − Pᵀ1), Hessian
 * −η [[diag(P1), P], [Pᵀ, diag(Pᵀ1)]] with (1, −1) in its null space; and SNS's Newton direction,
 * with nothing dropped, against autodiff's Hessian-vector products.
 */
class DualDerivativesTest {
    private static final Device CPU = Device.cpu();
    private static final int N = 4, M = 3;
    private static final double ETA = 2.5;
    private static final double[][] COST = OtProblems.uniformCost(N, M, 9);
    private static final double[] R = OtProblems.marginal(N, 3), C = OtProblems.marginal(M, 4);
    private static final double[] X = {0.1, -0.3, 0.25, 0.05}, Y = {-0.2, 0.15, 0.3};

    private static double[][] plan() {
        double[][] p = new double[N][M];
        for (int i = 0; i < N; i++) for (int j = 0; j < M; j++) p[i][j] = Math.exp(ETA * (-COST[i][j] + X[i] + Y[j]) - 1);
        return p;
    }

    /** f of z = [x; y] (one vector, so that autodiff's Hessian is the full (n + m)² matrix). */
    private static Tensor f(Tensor cost, Tensor r, Tensor c, Tensor z) {
        return Sinkhorn.dual(cost, r, c, ETA, z.narrow(0, 0, N), z.narrow(0, N, M));
    }

    @Test
    void gradientAndHessianOfTheDualAreTheClosedForms() {
        double[][] p = plan();
        double[] rowSums = new double[N], colSums = new double[M];
        for (int i = 0; i < N; i++) for (int j = 0; j < M; j++) { rowSums[i] += p[i][j]; colSums[j] += p[i][j]; }
        try (Scope s = Scope.open()) {
            Tensor cost = OtProblems.matrix(COST, CPU), r = OtProblems.vector(R, CPU), c = OtProblems.vector(C, CPU);
            double[] zv = new double[N + M];
            System.arraycopy(X, 0, zv, 0, N);
            System.arraycopy(Y, 0, zv, N, M);
            Tensor z = OtProblems.vector(zv, CPU);

            double[] g = Autodiff.grad(t -> f(cost, r, c, t), z).toDoubleArray();
            for (int i = 0; i < N; i++) assertEquals(R[i] - rowSums[i], g[i], 1e-14, "df/dx" + i);
            for (int j = 0; j < M; j++) assertEquals(C[j] - colSums[j], g[N + j], 1e-14, "df/dy" + j);

            double[] h = Autodiff.hessian(t -> f(cost, r, c, t), z).toDoubleArray();
            int d = N + M;
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    double want;
                    if (a < N && b < N) want = a == b ? -ETA * rowSums[a] : 0;
                    else if (a >= N && b >= N) want = a == b ? -ETA * colSums[a - N] : 0;
                    else if (a < N) want = -ETA * p[a][b - N];
                    else want = -ETA * p[b][a - N];
                    assertEquals(want, h[a * d + b], 1e-13, "H[" + a + "][" + b + "]");
                }
            }
            // (1, -1) is in the null space: shifting x up and y down leaves the plan unchanged
            for (int a = 0; a < d; a++) {
                double hu = 0;
                for (int b = 0; b < d; b++) hu += h[a * d + b] * (b < N ? 1 : -1);
                assertEquals(0, hu, 1e-13, "(H (1, -1))[" + a + "]");
            }
        }
    }

    @Test
    void newtonDirectionWithNothingDroppedSolvesTheHessianSystem() {
        try (Scope s = Scope.open()) {
            Tensor cost = OtProblems.matrix(COST, CPU), r = OtProblems.vector(R, CPU), c = OtProblems.vector(C, CPU);
            Tensor x = OtProblems.vector(X, CPU), y = OtProblems.vector(Y, CPU);
            OtProblem problem = OtProblem.of("test", cost, r, c, ETA);
            Tensor plan = problem.plan(x, y);
            SparseNewtonSystem system = new SparseNewtonSystem(plan.sum(1), plan.sum(0), CsrMatrix.topK(plan, N * M));
            // a right-hand side orthogonal to the null direction (1, -1), as every gradient of the dual is
            double[] gx = {0.3, -0.1, 0.25, -0.2}, gy = {0.1, 0.05, 0.1};
            SparseNewtonSystem.Solution sol = system.solve(new SparseNewtonSystem.Pair(OtProblems.vector(gx, CPU),
                    OtProblems.vector(gy, CPU)), 1e-14, 100);
            assertTrue(sol.iterations() <= M + 1, "CG on the m x m Schur complement: at most m + 1 steps, took " + sol.iterations());
            // autodiff's H d, by forward-over-reverse: the direction solves -(H/η) d = g
            List<Tensor> hd = Autodiff.hvp(p -> Sinkhorn.dual(cost, r, c, ETA, p.get(0), p.get(1)), List.of(x, y),
                    List.of(sol.d().x(), sol.d().y()));
            double[] hx = hd.get(0).toDoubleArray(), hy = hd.get(1).toDoubleArray();
            for (int i = 0; i < N; i++) assertEquals(gx[i], -hx[i] / ETA, 1e-13, "row " + i);
            for (int j = 0; j < M; j++) assertEquals(gy[j], -hy[j] / ETA, 1e-13, "column " + j);
            // the representative chosen along the null direction: dy orthogonal to 1
            assertEquals(0, sol.d().y().sum().item(), 1e-12);
            system.close();
            problem.close();
        }
    }
}
