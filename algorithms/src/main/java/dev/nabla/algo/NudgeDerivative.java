package dev.nabla.algo;

import dev.nabla.Scope;
import dev.nabla.Tensor;

import java.util.function.Function;

/**
 * The derivative at 0 of a function of the nudge strength, f'(0), from its values at N nudges on
 * the circle |β|: the discrete Cauchy integral of holomorphic equilibrium propagation,
 *
 * <pre>
 *   f'(0) ≈ (1/N) Σ_{k<N} (f(βω^k) − f(0)) / (βω^k),     ω = e^{2πi/N}.
 * </pre>
 *
 * Subtracting f(0) changes nothing in exact arithmetic for N ≥ 2 (Σ ω^{−k} = 0) but removes the
 * cancellation of the large terms f(0)/(βω^k) in floating point, and it makes one formula of the
 * three estimators: N = 1 is the one-sided difference (f(β) − f(0))/β, N = 2 the symmetric
 * difference (f(β) − f(−β))/(2β), N ≥ 3 the holomorphic estimate with complex nudges. The error is
 * the aliased Taylor terms, f^{(1+N)}(0) β^N/(N+1)! and beyond: for f = e^z at β = 1, N = 4 it gives
 * 1 + 1/5! + 1/9! + … = 1.0083361.
 *
 * <p>f must be real on the real axis with real coefficients (real weights, inputs and targets), so
 * f(β ω^{N−k}) is the conjugate of f(β ω^k): only k ≤ N/2 is evaluated and the pair counted twice
 * through its real part, which halves the complex phases. A complex nudge is passed as a 0-d
 * {@link Complex} (imaginary part null when real: β and −β run the real dynamics).
 */
final class NudgeDerivative {
    private NudgeDerivative() {}

    /** The estimate of f'(0) from f(0) = f0 and N evaluations of f (⌊N/2⌋ + 1 of them, by conjugate symmetry). */
    static Tensor estimate(Function<Complex, Complex> f, Tensor f0, double beta, int n) {
        Operands.require(n >= 1, "EquilibriumPropagation", "the number of nudges must be at least 1 (0 for forward mode), got " + n);
        Operands.require(beta != 0 && Double.isFinite(beta), "EquilibriumPropagation", "beta must be finite and non-zero, got " + beta);
        Tensor sum = null;
        for (int k = 0; k <= n / 2; k++) {
            boolean selfConjugate = k == 0 || 2 * k == n;   // the real nudges β and −β
            double c = k == 0 ? 1 : 2 * k == n ? -1 : Math.cos(2 * Math.PI * k / n);
            double s = selfConjugate ? 0 : Math.sin(2 * Math.PI * k / n);
            try (Scope scope = Scope.open()) {
                Complex value = f.apply(Complex.scalar(f0, beta * c, beta * s));
                // Re[(f − f0) / (βω^k)] = (Re(f − f0) cos θ + Im f sin θ) / β, as |ω| = 1
                Tensor term = value.re().sub(f0).mul(c);
                if (!value.isReal() && s != 0) term = term.add(value.im().mul(s));
                term = term.mul((selfConjugate ? 1.0 : 2.0) / (n * beta));
                Tensor next = sum == null ? term : sum.add(term);
                scope.keep(next);
                if (sum != null) sum.close();
                sum = next;
            }
        }
        return sum;
    }
}
