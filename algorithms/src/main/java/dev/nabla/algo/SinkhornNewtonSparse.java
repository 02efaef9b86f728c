package dev.nabla.algo;

import dev.nabla.CsrMatrix;
import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Sinkhorn-Newton-Sparse (Tang, Shavlovsky, Rahmanian, Tardini, Thekumparampil, Xiao and Ying,
 * "Accelerating Sinkhorn Algorithm with Sparse Newton Iterations", ICLR 2024): entropic optimal
 * transport by maximizing the dual f(x, y) = −(1/η) Σ exp(η(−C + x1ᵀ + 1yᵀ) − 1) + rᵀx + cᵀy
 * ({@link Sinkhorn#dual}) in two stages.
 * <ol>
 *   <li>{@code warmupSteps} log-domain Sinkhorn iterations ({@link Sinkhorn}), which bring the plan
 *   near its final sparsity pattern;</li>
 *   <li>Newton steps. The Hessian is −η [[diag(P1), P], [Pᵀ, diag(Pᵀ1)]]; P in its off-diagonal
 *   blocks is replaced by its {@code sparsity}·n·m largest entries ({@link CsrMatrix#topK}), the
 *   diagonal keeps the full plan's sums. The direction solves that system by preconditioned
 *   conjugate gradient on sparse products, with the null direction (1, −1) handled by adding it
 *   back with the mean diagonal as its eigenvalue (see {@code SparseNewtonSystem}). A line search
 *   then halves the step until the marginal error ‖P1 − r‖₁ + ‖Pᵀ1 − c‖₁ drops: not the dual
 *   itself, whose terms cancel in floating point so that a search on it stalls near 1e-7. If no
 *   trial lowers the error, a Sinkhorn iteration is taken instead, and from then on the Hessian
 *   keeps twice as many entries (up to all of them: Newton's method), so that SNS converges even
 *   where the plan is too dense for λ (small n, small η).</li>
 * </ol>
 * Each Newton step costs O(n·m) (one plan, its sums, the top-k selection) plus CG products on the
 * O(sparsity·n·m) kept entries; near the solution each step divides the error by orders of
 * magnitude where Sinkhorn gains a constant factor per iteration.
 *
 * <pre>{@code
 * OtResult res = SinkhornNewtonSparse.solve(cost, r, c, 1200, OtOptions.defaults().withTol(1e-10));
 * res.iterations();                  // warm-up and Newton steps together
 * res.history().getLast().cgIterations();
 * }</pre>
 *
 * <p>The Newton system is solved to a relative residual of {@value #CG_TOLERANCE} in at most
 * {@value #CG_MAX_ITERATIONS} CG iterations; the line search halves the step at most
 * {@value #MAX_HALVINGS} times. Every step runs in a scope: memory stays flat.
 */
public final class SinkhornNewtonSparse {
    private SinkhornNewtonSparse() {}

    static final double CG_TOLERANCE = Double.parseDouble(System.getProperty("sns.cgtol", "1e-1"));
    static final int CG_MAX_ITERATIONS = Integer.getInteger("sns.cgmax", 5000);
    static final int MAX_HALVINGS = 12;
    static final double MAX_EXPONENT_STEP = 10;

    /** Solves from zero potentials. */
    public static OtResult solve(Tensor cost, Tensor r, Tensor c, double eta, OtOptions o) {
        return solve(cost, r, c, eta, o, null, null);
    }

    /** Solves from the potentials x0 [n] and y0 [m] (copied, not changed); the warm-up steps still run first. */
    public static OtResult solve(Tensor cost, Tensor r, Tensor c, double eta, OtOptions o, Tensor x0, Tensor y0) {
        long start = System.nanoTime();
        List<OtStep> history = new ArrayList<>();
        String op = "SinkhornNewtonSparse.solve";
        try (NoGrad ng = NoGrad.open(); OtProblem p = OtProblem.of(op, cost, r, c, eta)) {
            Sinkhorn.State warm = Sinkhorn.iterate(p, new Sinkhorn.State(p.start(op, x0, p.n, "x0"), p.start(op, y0, p.m, "y0"), 0, false),
                    Math.min(o.warmupSteps(), o.maxIterations()), o.tol(), history, start);
            if (history.getLast().marginalError() <= o.tol() || warm.iteration() >= o.maxIterations()) {
                return Sinkhorn.finish(p, warm.x(), warm.y(), warm.iteration(), history);
            }
            long keep = o.keptEntries(p.n, p.m);
            Iterate cur = Iterate.at(p, warm.x(), warm.y());
            int it = warm.iteration();
            while (cur.error > o.tol() && it < o.maxIterations()) {
                it++;
                Iterate next;
                OtStep step;
                try (Scope sc = Scope.open()) {
                    CsrMatrix sparse = CsrMatrix.topK(cur.plan, keep);
                    SparseNewtonSystem system = new SparseNewtonSystem(cur.a, cur.b, sparse);
                    SparseNewtonSystem.Pair rhs = new SparseNewtonSystem.Pair(p.r.sub(cur.a).div(p.eta), p.c.sub(cur.b).div(p.eta));
                    SparseNewtonSystem.Solution dir = system.solve(rhs, CG_TOLERANCE, CG_MAX_ITERATIONS);
                    system.close();
                    // no trial may change a plan entry by more than a factor e^MAX_EXPONENT_STEP: far from the
                    // solution a nearly empty row or column gets a huge component, which would overflow
                    double largest;
                    try (Tensor mx = dir.d().x().abs().amax(); Tensor my = dir.d().y().abs().amax()) {
                        largest = Math.max(mx.item(), my.item());
                    }
                    double alpha = Math.min(1, MAX_EXPONENT_STEP / (p.eta * largest));
                    next = null;
                    for (int h = 0; h <= MAX_HALVINGS; h++) {
                        Iterate trial = Iterate.at(p, cur.x.add(dir.d().x().mul(alpha)), cur.y.add(dir.d().y().mul(alpha)));
                        // sufficient decrease of the error itself (a NaN from an overflowing trial fails too)
                        if (trial.error <= (1 - 1e-4 * alpha) * cur.error) {
                            next = trial;
                            break;
                        }
                        trial.close();
                        alpha /= 2;
                    }
                    if (next != null) {
                        step = new OtStep(it, OtStep.Phase.NEWTON, next.error, seconds(start), sparse.nnz(), dir.iterations(), alpha);
                    } else {
                        // the sparsified Hessian misled the step: keep more of the plan from now on (all of it
                        // at worst, which is Newton's method), and make progress with a Sinkhorn iteration
                        keep = Math.min(p.n * p.m, 2 * keep);
                        Tensor nx = p.xFrom(p.rowLse(cur.y));
                        next = Iterate.at(p, nx, p.yFrom(p.colLse(nx)));
                        step = OtStep.sinkhorn(it, next.error, seconds(start));
                    }
                    next.keep(sc);
                }
                history.add(step);
                cur.close();
                cur = next;
            }
            cur.plan.close();
            cur.a.close();
            cur.b.close();
            return Sinkhorn.finish(p, cur.x, cur.y, it, history);
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Potentials with their plan, its row and column sums, and its marginal error. */
    private record Iterate(Tensor x, Tensor y, Tensor plan, Tensor a, Tensor b, double error) {
        static Iterate at(OtProblem p, Tensor x, Tensor y) {
            Tensor plan = p.plan(x, y);
            Tensor a = plan.sum(1), b = plan.sum(0);
            return new Iterate(x, y, plan, a, b, p.error(a, b));
        }

        void keep(Scope s) {
            s.keep(x);
            s.keep(y);
            s.keep(plan);
            s.keep(a);
            s.keep(b);
        }

        void close() {
            x.close();
            y.close();
            plan.close();
            a.close();
            b.close();
        }
    }
}
