package dev.nabla.algo;

import dev.nabla.Tensor;

import java.util.List;

/**
 * The outcome of an optimal-transport solve, on the cost's device: the potentials x [n] and y [m],
 * the plan P = exp(η(−C + x1ᵀ + 1yᵀ) − 1) [n, m], the transport cost ⟨C, P⟩, the iterations taken
 * in all, the final marginal error ‖P1 − r‖₁ + ‖Pᵀ1 − c‖₁ (computed from the returned plan), and
 * one {@link OtStep} per iteration (and one for the start).
 *
 * <pre>{@code
 * OtResult res = SinkhornNewtonSparse.solve(cost, r, c, 1000, OtOptions.defaults());
 * double w = res.cost();   // res.plan() closes with the caller's scope
 * }</pre>
 */
public record OtResult(Tensor x, Tensor y, Tensor plan, double cost, int iterations,
                       double marginalError, List<OtStep> history) {

    /** The iterations of each phase: {Sinkhorn, Newton}. */
    public int[] iterationsByPhase() {
        int s = 0, n = 0;
        for (OtStep step : history) {
            if (step.phase() == OtStep.Phase.SINKHORN) s++;
            if (step.phase() == OtStep.Phase.NEWTON) n++;
        }
        return new int[] {s, n};
    }
}
