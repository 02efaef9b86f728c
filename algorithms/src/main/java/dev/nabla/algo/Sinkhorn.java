package dev.nabla.algo;

import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Entropic optimal transport by Sinkhorn's iterations in the log domain (stabilized): with the plan
 * P = exp(η(−C + x1ᵀ + 1yᵀ) − 1), each iteration sets x so that P1 = r, then y so that Pᵀ1 = c,
 * each a log-sum-exp over the cost matrix with its maximum subtracted. No scaling vector is ever
 * exponentiated on its own, so η up to 1e4 on costs in [0, 1] (ηC up to 1e4) neither overflows nor
 * loses the plan's small entries to underflow where they matter.
 *
 * <pre>{@code
 * OtResult res = Sinkhorn.solve(cost, r, c, 100, OtOptions.defaults().withTol(1e-8));
 * res.cost();            // ⟨C, P⟩
 * res.history();         // one OtStep per iteration: marginal error, seconds
 * }</pre>
 *
 * <p>The marginal error of each iterate is ‖P1 − r‖₁ + ‖Pᵀ1 − c‖₁. After a column update Pᵀ1 = c
 * up to rounding, so from the first iteration on the history counts the row error, read off the
 * log-sum-exps the next row update needs anyway (it costs nothing extra); the start's error, and
 * the result's, are computed from the whole plan. Iterations stop when that error is at most
 * {@code tol} or after {@code maxIterations}; {@code warmupSteps} and {@code sparsity} are
 * {@link SinkhornNewtonSparse}'s and ignored here. Iterations run in scopes: memory stays flat.
 */
public final class Sinkhorn {
    private Sinkhorn() {}

    /** Solves from zero potentials. */
    public static OtResult solve(Tensor cost, Tensor r, Tensor c, double eta, OtOptions o) {
        return solve(cost, r, c, eta, o, null, null);
    }

    /**
     * Solves from the potentials x0 [n] and y0 [m] (a warm start, e.g. a solution at a smaller η);
     * they are copied, not changed.
     */
    public static OtResult solve(Tensor cost, Tensor r, Tensor c, double eta, OtOptions o, Tensor x0, Tensor y0) {
        long start = System.nanoTime();
        List<OtStep> history = new ArrayList<>();
        try (NoGrad ng = NoGrad.open(); OtProblem p = OtProblem.of("Sinkhorn.solve", cost, r, c, eta)) {
            Tensor x = p.start("Sinkhorn.solve", x0, p.n, "x0"), y = p.start("Sinkhorn.solve", y0, p.m, "y0");
            State s = iterate(p, new State(x, y, 0, false), o.maxIterations(), o.tol(), history, start);
            return finish(p, s.x, s.y, s.iteration, history);
        }
    }

    /**
     * The dual objective f(x, y) = −(1/η) Σᵢⱼ exp(η(−Cᵢⱼ + xᵢ + yⱼ) − 1) + rᵀx + cᵀy, a 0-d tensor,
     * differentiable in x and y (its gradient is (r − P1, c − Pᵀ1), its Hessian
     * −η [[diag(P1), P], [Pᵀ, diag(Pᵀ1)]]): both solvers maximize it.
     *
     * <pre>{@code
     * Tensor g = Autodiff.grad(x -> Sinkhorn.dual(cost, r, c, eta, x, y), x);   // r − P1
     * }</pre>
     */
    public static Tensor dual(Tensor cost, Tensor r, Tensor c, double eta, Tensor x, Tensor y) {
        Tensor exponent = cost.neg().add(x.unsqueeze(1)).add(y.unsqueeze(0)).mul(eta).sub(1.0);
        return exponent.exp().sum().div(-eta).add(r.dot(x)).add(c.dot(y));
    }

    /** Potentials, the iteration that produced them, and whether y came from a column update (so Pᵀ1 = c). */
    record State(Tensor x, Tensor y, int iteration, boolean columnsExact) {}

    /**
     * Sinkhorn iterations from s until the error is at most tol or the iteration count reaches
     * last, adding one history entry per state (the first one for s itself: START at iteration 0).
     * Closes s's potentials as it replaces them; returns the last state.
     */
    static State iterate(OtProblem p, State s, int last, double tol, List<OtStep> history, long start) {
        Tensor x = s.x, y = s.y;
        int it = s.iteration;
        boolean exact = s.columnsExact;
        while (true) {
            Tensor nx, ny;
            try (Scope step = Scope.open()) {
                Tensor rowLse = p.rowLse(y);
                double err = p.rowError(x, rowLse) + (exact ? 0 : p.columnError(x, y));
                double seconds = (System.nanoTime() - start) / 1e9;
                history.add(it == 0 ? OtStep.start(err, seconds) : OtStep.sinkhorn(it, err, seconds));
                if (err <= tol || it >= last) break;
                nx = step.keep(p.xFrom(rowLse));
                ny = step.keep(p.yFrom(p.colLse(nx)));
            }
            x.close();
            y.close();
            x = nx;
            y = ny;
            it++;
            exact = true;
        }
        return new State(x, y, it, exact);
    }

    /** The result for potentials (x, y): the plan, its cost and marginal error, computed once more in full. */
    static OtResult finish(OtProblem p, Tensor x, Tensor y, int iterations, List<OtStep> history) {
        try (Scope s = Scope.open()) {
            Tensor plan = p.plan(x, y);
            double err = p.error(plan.sum(1), plan.sum(0));
            double cost = p.cost.mul(plan).sum().item();
            s.keep(x);
            s.keep(y);
            return new OtResult(x, y, s.keep(plan), cost, iterations, err, List.copyOf(history));
        }
    }
}
