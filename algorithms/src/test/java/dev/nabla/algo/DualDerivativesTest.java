package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.CsrMatrix;
import dev.nabla.Device;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autodiff.Autodiff;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dual f(x, y) through autodiff against its closed forms: gradient (r − P1, c − Pᵀ1), Hessian
 * −η [[diag(P1), P], [Pᵀ, diag(Pᵀ1)]] with (1, −1) in its null space; and SNS's Newton operator,
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
    void newtonOperatorWithNothingDroppedIsTheNegatedHessianOverEta() {
        try (Scope s = Scope.open()) {
            Tensor cost = OtProblems.matrix(COST, CPU), r = OtProblems.vector(R, CPU), c = OtProblems.vector(C, CPU);
            Tensor x = OtProblems.vector(X, CPU), y = OtProblems.vector(Y, CPU);
            OtProblem problem = OtProblem.of("test", cost, r, c, ETA);
            Tensor plan = problem.plan(x, y);
            Tensor a = plan.sum(1), b = plan.sum(0);
            SparseNewtonSystem system = new SparseNewtonSystem(a, b, CsrMatrix.topK(plan, N * M));
            Tensor vx = OtProblems.vector(new double[] {1, -2, 0.5, 3}, CPU), vy = OtProblems.vector(new double[] {-1, 0.25, 2}, CPU);
            SparseNewtonSystem.Pair mv = system.apply(new SparseNewtonSystem.Pair(vx, vy));
            // autodiff: H v for the same v, by forward-over-reverse
            List<Tensor> hv = Autodiff.hvp(p -> Sinkhorn.dual(cost, r, c, ETA, p.get(0), p.get(1)), List.of(x, y), List.of(vx, vy));
            double tau = (a.sum().item() + b.sum().item()) / (N + M);
            double along = tau * (vx.sum().item() - vy.sum().item()) / (N + M);   // the added τ ûûᵀ v
            double[] mx = mv.x().toDoubleArray(), my = mv.y().toDoubleArray(), hx = hv.get(0).toDoubleArray(), hy = hv.get(1).toDoubleArray();
            for (int i = 0; i < N; i++) assertEquals(-hx[i] / ETA + along, mx[i], 1e-14, "row " + i);
            for (int j = 0; j < M; j++) assertEquals(-hy[j] / ETA - along, my[j], 1e-14, "column " + j);
            system.close();
            problem.close();
        }
    }
}
