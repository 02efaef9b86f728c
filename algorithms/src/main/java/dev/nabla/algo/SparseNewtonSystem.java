package dev.nabla.algo;

import dev.nabla.CsrMatrix;
import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;

/**
 * The Newton system of SNS: the negated Hessian of the dual, divided by η, with the plan sparsified,
 * M = [[diag(a), S], [Sᵀ, diag(b)]] (a = P1 and b = Pᵀ1 from the full plan, S its largest entries),
 * solved for M d = g/η by preconditioned conjugate gradient.
 *
 * <p>The null direction: the dual does not change along u = (1, −1) (x + t, y − t give the same
 * plan), the full Hessian has u in its null space, and the gradient is orthogonal to it. With S in
 * place of P, M is merely close to singular along u. So CG runs on M + τ ûûᵀ (û = u/‖u‖, τ the mean
 * diagonal of M): positive definite, and since g ⊥ u, its solution is M's own solution orthogonal to
 * u whenever M is singular along u. The preconditioner is its diagonal (Jacobi), which evens out the
 * marginals' scales.
 */
final class SparseNewtonSystem {
    private final Tensor a;
    private final Tensor b;
    private final CsrMatrix s;
    private final CsrMatrix st;
    private final double tau;
    private final double unitNorm;
    private final Tensor invDiagA;
    private final Tensor invDiagB;

    /** a, b: the full plan's row and column sums; s: its sparsified version [n, m]. Makes its own transpose. */
    SparseNewtonSystem(Tensor a, Tensor b, CsrMatrix s) {
        this.a = a;
        this.b = b;
        this.s = s;
        this.st = s.mT();
        long n = a.numel(), m = b.numel();
        this.tau = (a.sum().item() + b.sum().item()) / (n + m);
        this.unitNorm = Math.sqrt(n + m);
        double shift = tau / (n + m);
        this.invDiagA = a.add(shift).reciprocal();
        this.invDiagB = b.add(shift).reciprocal();
    }

    /** A pair of vectors over the rows and the columns. */
    record Pair(Tensor x, Tensor y) {
        double dot(Pair o) {
            try (Tensor dx = x.dot(o.x); Tensor dy = y.dot(o.y); Tensor sum = dx.add(dy)) {
                return sum.item();   // one wait for the device per dot product
            }
        }
        Pair plus(Pair o, double alpha) { return new Pair(x.add(o.x.mul(alpha)), y.add(o.y.mul(alpha))); }
        void close() {
            x.close();
            y.close();
        }
    }

    /** (M + τûûᵀ) v; the ûᵀv part stays a 0-d tensor, so a product never waits for the device. */
    Pair apply(Pair v) {
        try (Scope sc = Scope.open()) {
            Tensor along = v.x.sum().sub(v.y.sum()).mul(tau / (unitNorm * unitNorm));
            Tensor px = a.mul(v.x).add(s.matmul(v.y)).add(along);
            Tensor py = b.mul(v.y).add(st.matmul(v.x)).sub(along);
            return keep(sc, new Pair(px, py));
        }
    }

    /** What CG returns: the direction and the products it took. */
    record Solution(Pair d, int iterations) {}

    /**
     * Preconditioned CG from 0 on (M + τûûᵀ) d = rhs, until the residual is at most relTol of the
     * right-hand side's or after maxIterations products. Each iteration in its own scope.
     */
    Solution solve(Pair rhs, double relTol, int maxIterations) {
        try (Scope solve = Scope.open(); NoGrad ng = NoGrad.open()) {
            Pair d = new Pair(rhs.x.mul(0.0), rhs.y.mul(0.0));
            Pair r = new Pair(rhs.x.mul(1.0), rhs.y.mul(1.0));
            Pair z = precondition(r);
            Pair p = z;
            double rz = r.dot(z);
            double target = relTol * relTol * rhs.dot(rhs);
            int i = 0;
            while (i < maxIterations && r.dot(r) > target) {
                try (Scope step = Scope.open()) {
                    Pair ap = apply(p);
                    double pap = p.dot(ap);
                    if (!(pap > 0)) break;   // only round-off: the matrix is positive definite
                    double alpha = rz / pap;
                    Pair nd = keep(step, d.plus(p, alpha)), nr = keep(step, r.plus(ap, -alpha));
                    Pair nz = keep(step, precondition(nr));
                    double rzNext = nr.dot(nz);
                    Pair np = keep(step, nz.plus(p, rzNext / rz));
                    d.close();
                    r.close();
                    if (z != p) z.close();
                    p.close();
                    d = nd;
                    r = nr;
                    z = nz;
                    p = np;
                    rz = rzNext;
                }
                i++;
            }
            solve.keep(d.x);
            solve.keep(d.y);
            return new Solution(d, i);
        }
    }

    private Pair precondition(Pair r) {
        return new Pair(r.x.mul(invDiagA), r.y.mul(invDiagB));
    }

    private static Pair keep(Scope s, Pair p) {
        s.keep(p.x);
        s.keep(p.y);
        return p;
    }

    /** Closes the transpose and the preconditioner (a, b and S belong to the caller). */
    void close() {
        st.close();
        invDiagA.close();
        invDiagB.close();
    }
}
