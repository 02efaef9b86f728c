package dev.nabla.algo;

import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;

/**
 * Truncated conjugate gradient for the damped Newton system (B + λI) p = b, from p = 0, on flat
 * vectors (Nocedal and Wright, Algorithm 7.1). It stops when the residual has shrunk by the
 * forcing factor, after maxIterations, or on a direction of non-positive curvature: then the
 * iterate so far (a descent direction) is returned, or b itself if that happens at once. Alongside
 * p it accumulates B p from the products it already takes, so the caller gets the quadratic
 * model's value without another product.
 */
final class ConjugateGradient {
    private ConjugateGradient() {}

    /** Why the iteration stopped. */
    enum Stop { CONVERGED, MAX_ITERATIONS, NEGATIVE_CURVATURE }

    /**
     * The approximate solution, B p (undamped), the products taken, why it stopped, and on
     * negative curvature the undamped Rayleigh quotient dᵀBd / dᵀd of the offending direction
     * (NaN otherwise).
     */
    record Solution(Tensor p, Tensor bp, int iterations, Stop stop, double curvature) {}

    static Solution solve(FlatOperator b, double damping, Tensor rhs, double forcing, int maxIterations) {
        try (Scope solve = Scope.open(); NoGrad ng = NoGrad.open()) {
            Tensor p = b.layout().zeros(), bp = b.layout().zeros();
            Tensor r = rhs, d = rhs;
            double rr = r.dot(r).item();
            double target = forcing * forcing * rr;
            Stop stop = Stop.MAX_ITERATIONS;
            double curvature = Double.NaN;
            int i = 0;
            while (i < maxIterations) {
                try (Scope step = Scope.open()) {
                    Tensor bd = b.apply(d);
                    Tensor ad = damping == 0 ? bd : bd.add(d.mul(damping));
                    double dad = d.dot(ad).item();
                    i++;
                    if (!(dad > 0)) {
                        stop = Stop.NEGATIVE_CURVATURE;
                        curvature = dad / d.dot(d).item() - damping;
                        if (i == 1) {
                            // no progress yet: fall back on b (steepest descent when b = -g), whose product is at hand
                            p = replace(p, step.keep(d.mul(1.0)), rhs);
                            bp = replace(bp, step.keep(bd), rhs);
                        }
                        break;
                    }
                    double a = rr / dad;
                    // the previous vectors are closed as soon as they are replaced: memory stays flat over the iterations
                    p = replace(p, step.keep(p.add(d.mul(a))), rhs);
                    bp = replace(bp, step.keep(bp.add(bd.mul(a))), rhs);
                    r = replace(r, step.keep(r.sub(ad.mul(a))), rhs);
                    double next = r.dot(r).item();
                    if (next <= target) {
                        stop = Stop.CONVERGED;
                        break;
                    }
                    d = replace(d, step.keep(r.add(d.mul(next / rr))), rhs);
                    rr = next;
                }
            }
            solve.keep(p);
            solve.keep(bp);
            return new Solution(p, bp, i, stop, curvature);
        }
    }

    /** Closes old unless it is the caller's right-hand side; returns next. */
    private static Tensor replace(Tensor old, Tensor next, Tensor rhs) {
        if (old != rhs) old.close();
        return next;
    }
}
