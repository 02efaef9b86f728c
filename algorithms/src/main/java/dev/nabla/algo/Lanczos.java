package dev.nabla.algo;

import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;

/**
 * The Lanczos process with full reorthogonalization: m products with a symmetric operator build
 * an orthonormal basis of the Krylov space of a start vector and the tridiagonal matrix T of the
 * operator in that basis. T's eigenvalues (Ritz values) approximate the operator's extreme
 * eigenvalues first; the squared first components of its eigenvectors are the weights of the
 * Gauss quadrature of the start vector's spectral measure (Golub and Meurant), the basis of
 * stochastic Lanczos quadrature.
 *
 * <p>In floating point the plain three-term recurrence loses orthogonality as Ritz values
 * converge and then repeats them as ghosts; here every new vector is orthogonalized against the
 * whole basis, twice when the first pass cancels much of it ("twice is enough", Kahan and
 * Parlett). The basis is one [m, n] tensor on the operator's device, so each pass is two
 * matrix-vector products.
 */
final class Lanczos {
    private Lanczos() {}

    /** The tridiagonal matrix of a run: diagonal alpha, off-diagonal beta (one shorter). */
    record Tridiagonal(double[] alpha, double[] beta) {
        int steps() { return alpha.length; }
    }

    /**
     * Up to m Lanczos steps from start (any non-zero vector, normalized here). Stops early when the
     * Krylov space is exhausted (an invariant subspace: the new vector vanishes to round-off), so a
     * matrix with d distinct eigenvalues gives at most d steps, whose Ritz values are those eigenvalues.
     */
    static Tridiagonal run(FlatOperator op, Tensor start, int m) {
        int steps = (int) Math.min(m, op.dimension());
        double[] alpha = new double[steps];
        double[] beta = new double[Math.max(0, steps - 1)];
        int done = 0;
        ParameterLayout layout = op.layout();
        try (Scope run = Scope.open(); NoGrad ng = NoGrad.open()) {
            double startNorm = start.norm().item();
            if (!(startNorm > 0) || !Double.isFinite(startNorm)) {
                throw new IllegalArgumentException("lanczos: the start vector must be non-zero and finite, its norm is " + startNorm);
            }
            Tensor basis = Tensor.zeros(layout.dtype(), layout.device(), steps, op.dimension());
            basis.select(0, 0).copyFrom(start.div(startNorm));
            double scale = 0;
            // exhaustion leaves a vector of round-off, about epsilon times the operator's norm
            double breakdown = 1e3 * layout.epsilon();
            for (int j = 0; j < steps; j++) {
                try (Scope step = Scope.open()) {
                    Tensor q = basis.select(0, j);
                    Tensor w = op.apply(q);
                    alpha[j] = q.dot(w).item();
                    done = j + 1;
                    if (!Double.isFinite(alpha[j])) {
                        throw new ArithmeticException("lanczos: the operator's product is not finite at step " + j);
                    }
                    scale = Math.max(scale, Math.abs(alpha[j]));
                    if (j > 0) scale = Math.max(scale, beta[j - 1]);
                    if (j + 1 == steps) break;
                    // removes the components along q_0..q_j, which includes the recurrence's α_j q_j and β_{j-1} q_{j-1}
                    Tensor basisSoFar = basis.narrow(0, 0, j + 1);
                    double before = w.norm().item();
                    w = orthogonalize(w, basisSoFar);
                    double after = w.norm().item();
                    if (after < 0.7 * before) {
                        w = orthogonalize(w, basisSoFar);
                        after = w.norm().item();
                    }
                    if (after <= breakdown * Math.max(scale, before)) break;
                    beta[j] = after;
                    basis.select(0, j + 1).copyFrom(w.div(after));
                }
            }
        }
        double[] a = java.util.Arrays.copyOf(alpha, done);
        double[] b = java.util.Arrays.copyOf(beta, Math.max(0, done - 1));
        return new Tridiagonal(a, b);
    }

    /** w minus its projection on the rows of basis (orthonormal): classical Gram-Schmidt as two matrix-vector products. */
    private static Tensor orthogonalize(Tensor w, Tensor basis) {
        Tensor coefficients = basis.matmul(w);
        return w.sub(basis.mT().matmul(coefficients));
    }
}
