package dev.nabla.algo;

import dev.nabla.CsrMatrix;
import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;

/**
 * The Newton system of SNS: the negated Hessian of the dual over η with the plan sparsified,
 * M = [[diag(a), S], [Sᵀ, diag(b)]] (a = P1 and b = Pᵀ1 from the full plan, S its largest
 * entries), solved for M (dx, dy) = (gx, gy).
 *
 * <p>The x block is diagonal, so it is eliminated: dx = (gx − S dy)/a, and conjugate gradient runs
 * on the Schur complement D = diag(b) − Sᵀ diag(1/a) S for dy alone, preconditioned by its diagonal
 * (b − (S∘S)ᵀ(1/a)). Half the unknowns, and a better-conditioned system: where M's scaled spectrum
 * is 1 ± σ (both ends hurt CG), D's is 1 − σ². D is positive semidefinite whenever S ≤ P entrywise
 * (Cauchy-Schwarz), singular along 1 when nothing is dropped: that is the dual's null direction
 * (1, −1), along which x + t, y − t give the same plan. The right-hand side is orthogonal to it, so
 * CG runs on D + τ11ᵀ/m (τ the mean of b), positive definite, whose solution is D's own orthogonal
 * to 1.
 */
final class SparseNewtonSystem {
    private final Tensor b;
    private final CsrMatrix s;
    private final CsrMatrix st;
    private final Tensor invA;
    private final Tensor invDiag;
    private final double shift;

    /** a, b: the full plan's row and column sums; s: its sparsified version [n, m]. Makes its own transpose. */
    SparseNewtonSystem(Tensor a, Tensor b, CsrMatrix s) {
        this.b = b;
        this.s = s;
        this.st = s.mT();
        long m = b.numel();
        this.invA = a.reciprocal();
        try (Tensor sum = b.sum(); Tensor sq = st.values().square(); CsrMatrix stSq = st.withValues(sq);
             Tensor dropped = stSq.matmul(invA); Tensor diag = b.sub(dropped)) {
            this.shift = sum.item() / m / m;
            try (Tensor shifted = diag.add(shift)) {
                this.invDiag = shifted.reciprocal();
            }
        }
    }

    /** A pair of vectors over the rows and the columns. */
    record Pair(Tensor x, Tensor y) {}

    /** (D + τ11ᵀ/m) v; the 11ᵀ part stays a 0-d tensor, so a product never waits for the device. */
    Tensor apply(Tensor v) {
        try (Scope sc = Scope.open()) {
            Tensor sv = s.matmul(v).mul(invA);
            return sc.keep(b.mul(v).sub(st.matmul(sv)).add(v.sum().mul(shift)));
        }
    }

    /** What CG returns: the direction and the products it took. */
    record Solution(Pair d, int iterations) {}

    /**
     * Solves M d = rhs: preconditioned CG from 0 on the Schur complement until its residual is at
     * most relTol of its right-hand side's, or after maxIterations products; then the x block.
     */
    Solution solve(Pair rhs, double relTol, int maxIterations) {
        try (Scope solve = Scope.open(); NoGrad ng = NoGrad.open()) {
            Tensor g = rhs.y().sub(st.matmul(rhs.x().mul(invA)));
            Tensor y = g.mul(0.0), r = g, z = r.mul(invDiag), p = z;
            double rz = dot(r, z);
            double target = relTol * relTol * dot(g, g);
            int i = 0;
            while (i < maxIterations && dot(r, r) > target) {
                try (Scope step = Scope.open()) {
                    Tensor ap = apply(p);
                    double pap = dot(p, ap);
                    if (!(pap > 0)) break;   // only round-off: the system is positive definite
                    double alpha = rz / pap;
                    Tensor ny = step.keep(y.add(p.mul(alpha))), nr = step.keep(r.sub(ap.mul(alpha)));
                    Tensor nz = step.keep(nr.mul(invDiag));
                    double rzNext = dot(nr, nz);
                    Tensor np = step.keep(nz.add(p.mul(rzNext / rz)));
                    y.close();
                    if (r != g) r.close();
                    if (z != p) z.close();
                    p.close();
                    y = ny;
                    r = nr;
                    z = nz;
                    p = np;
                    rz = rzNext;
                }
                i++;
            }
            Tensor x = rhs.x().sub(s.matmul(y)).mul(invA);
            solve.keep(x);
            solve.keep(y);
            return new Solution(new Pair(x, y), i);
        }
    }

    private static double dot(Tensor u, Tensor v) {
        try (Tensor d = u.dot(v)) {
            return d.item();
        }
    }

    /** Closes the transpose and the scalings (b and S belong to the caller). */
    void close() {
        st.close();
        invA.close();
        invDiag.close();
    }
}
