package dev.nabla.algo;

import java.util.Locale;

/**
 * One iteration of an optimal-transport solve, as {@link OtResult#history()} lists them: the
 * state after {@code iteration} iterations, the kind of step that produced it, its marginal error
 * ‖P1 − r‖₁ + ‖Pᵀ1 − c‖₁, the seconds since the solve began, and for a Newton step the entries
 * its sparsified Hessian kept, the conjugate-gradient iterations it took and the step length the
 * line search accepted. When the line search finds no decrease, SNS takes a Sinkhorn iteration
 * instead, listed as such.
 *
 * <pre>{@code
 * for (OtStep s : result.history()) System.out.println(s);   // "  12 newton     error 3.1e-08  ..."
 * }</pre>
 */
public record OtStep(int iteration, Phase phase, double marginalError, double seconds, long nonzeros, int cgIterations,
                     double stepSize) {

    /** START: the state the solve began from; then what produced each later state. */
    public enum Phase { START, SINKHORN, NEWTON }

    static OtStep start(double error, double seconds) {
        return new OtStep(0, Phase.START, error, seconds, 0, 0, 0);
    }

    static OtStep sinkhorn(int iteration, double error, double seconds) {
        return new OtStep(iteration, Phase.SINKHORN, error, seconds, 0, 0, 1);
    }

    @Override
    public String toString() {
        String base = String.format(Locale.ROOT, "%5d %-9s error %.3e  %.4f s", iteration, phase.name().toLowerCase(Locale.ROOT),
                marginalError, seconds);
        if (phase != Phase.NEWTON) return base;
        return base + String.format(Locale.ROOT, "  nnz %d  CG %d  step %.3g", nonzeros, cgIterations, stepSize);
    }
}
