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
 *   conjugate gradient on sparse products (on the Schur complement of the diagonal block, with the
 *   null direction (1, −1) handled there: see {@code SparseNewtonSystem}). A line search then
 *   halves the step until the marginal error ‖P1 − r‖₁ + ‖Pᵀ1 − c‖₁ drops: not the dual itself,
 *   whose terms cancel in floating point so that a search on it stalls near 1e-7.</li>
 * </ol>
 *
 * <p>Where the paper is silent, this implementation decides so (each rule matters only off the
 * paper's easy cases; on the random assignment problem Newton steps run back to back):
 * <ul>
 *   <li>No potential moves by more than 10/η in one step (a plan entry by more than e^10): far
 *   from the solution a nearly empty row or column gets a huge Newton component.</li>
 *   <li>A step the line search must damp (or refuses after {@value #MAX_HALVINGS} halvings) means
 *   the iterate is still far from the solution, where Sinkhorn does better: the next 1, 2, 4, ...
 *   (at most {@value #MAX_BACKOFF}) iterations are Sinkhorn's, doubling while Newton keeps being
 *   damped, back to 1 after a full step. A refused step is replaced by a Sinkhorn iteration.</li>
 *   <li>A full step that does not halve the error, or a damped or refused step right after a full
 *   one, means the sparsified Hessian is too coarse (a dense plan: small η, smooth or degenerate
 *   costs such as L1 on a grid): from then on it keeps twice as many entries, up to all of them,
 *   which is Newton's method. {@link OtStep#nonzeros()} shows what each step kept.</li>
 * </ul>
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

    static final double CG_TOLERANCE = 1e-2;
    static final int CG_MAX_ITERATIONS = 1000;
    static final int MAX_HALVINGS = 6;
    static final double MAX_EXPONENT_STEP = 10;
    static final int MAX_BACKOFF = 32;

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
            int sinkhornRun = 0, backoff = 1;
            boolean lastFull = false;
            while (cur.error > o.tol() && it < o.maxIterations()) {
                it++;
                Iterate next = null;
                OtStep step = null;
                try (Scope sc = Scope.open()) {
                    if (sinkhornRun == 0) {
                        CsrMatrix sparse = CsrMatrix.topK(cur.plan, keep);
                        Trial t = newton(p, cur, sparse);
                        if (t != null) {
                            next = t.next;
                            step = new OtStep(it, OtStep.Phase.NEWTON, next.error, seconds(start), sparse.nnz(), t.cgIterations, t.alpha);
                        }
                        if (t != null && t.alpha == 1) {
                            backoff = 1;
                            lastFull = true;
                            // a full step that did not halve the error: the sparsified Hessian is too coarse
                            if (next.error > 0.5 * cur.error) keep = Math.min(p.n * p.m, 2 * keep);
                        } else {
                            // damped or refused: still far from the solution, where Sinkhorn does better; try
                            // Newton again after 1, 2, 4, ... Sinkhorn steps while it keeps being damped
                            sinkhornRun = backoff;
                            backoff = Math.min(MAX_BACKOFF, 2 * backoff);
                            // right after a full step, in Newton's region: the sparsified Hessian has become too coarse
                            if (lastFull) keep = Math.min(p.n * p.m, 2 * keep);
                            lastFull = false;
                        }
                    }
                    if (next == null) {
                        sinkhornRun--;
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

    /** An accepted Newton step: the new iterate, the step length and the CG products taken. */
    private record Trial(Iterate next, double alpha, int cgIterations) {}

    /**
     * One Newton step from cur with the sparsified plan: the direction by CG, then the line search on
     * the marginal error. Null when no trial lowers the error enough.
     */
    private static Trial newton(OtProblem p, Iterate cur, CsrMatrix sparse) {
        SparseNewtonSystem system = new SparseNewtonSystem(cur.a, cur.b, sparse);
        SparseNewtonSystem.Pair rhs = new SparseNewtonSystem.Pair(p.r.sub(cur.a).div(p.eta), p.c.sub(cur.b).div(p.eta));
        SparseNewtonSystem.Solution dir = system.solve(rhs, CG_TOLERANCE, CG_MAX_ITERATIONS);
        system.close();
        // no potential moves by more than MAX_EXPONENT_STEP/η (a plan entry by more than a factor
        // e^MAX_EXPONENT_STEP): far from the solution a nearly empty row or column gets a huge component,
        // which would overflow, and scaling the whole step down for it would stall every other one
        double limit = MAX_EXPONENT_STEP / p.eta;
        Tensor dx = dir.d().x().clamp(-limit, limit), dy = dir.d().y().clamp(-limit, limit);
        double alpha = 1;
        for (int h = 0; h <= MAX_HALVINGS; h++) {
            Iterate trial = Iterate.at(p, cur.x.add(dx.mul(alpha)), cur.y.add(dy.mul(alpha)));
            // sufficient decrease of the error itself (a NaN from an overflowing trial fails too)
            if (trial.error <= (1 - 1e-4 * alpha) * cur.error) return new Trial(trial, alpha, dir.iterations());
            trial.close();
            alpha /= 2;
        }
        return null;
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
