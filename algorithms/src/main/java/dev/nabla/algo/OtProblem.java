package dev.nabla.algo;

import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;

import java.util.Arrays;

/**
 * An entropic optimal-transport problem as both solvers see it: the cost C [n, m], the marginals
 * r [n] and c [m], the inverse temperature η, and the quantities every iteration reuses (−ηC,
 * log r + 1, log c + 1). All in the log domain: a plan entry is exp(η(−Cᵢⱼ + xᵢ + yⱼ) − 1), and a
 * Sinkhorn half-step is a log-sum-exp with its maximum subtracted, so nothing overflows for any η
 * the dtype can hold ηC in.
 */
final class OtProblem implements AutoCloseable {
    final Tensor cost;
    final Tensor r;
    final Tensor c;
    final double eta;
    final long n;
    final long m;
    private final Tensor negEtaC;
    private final Tensor logR1;
    private final Tensor logC1;

    private OtProblem(Tensor cost, Tensor r, Tensor c, double eta) {
        this.cost = cost;
        this.r = r;
        this.c = c;
        this.eta = eta;
        this.n = cost.shape()[0];
        this.m = cost.shape()[1];
        try (NoGrad ng = NoGrad.open()) {
            negEtaC = cost.mul(-eta);
            logR1 = r.log().add(1.0);
            logC1 = c.log().add(1.0);
        }
    }

    /**
     * Validates the inputs: a 2-D floating cost, marginals [n] and [m] of its dtype and device,
     * positive and of equal mass (relative difference at most 1e-6), and a finite η &gt; 0.
     */
    static OtProblem of(String op, Tensor cost, Tensor r, Tensor c, double eta) {
        if (cost.rank() != 2) throw Operands.shape(op, "the cost must be 2-D", cost, r, c);
        if (!cost.dtype().isFloating()) throw Operands.dtype(op, "the cost must be F32 or F64", cost, r, c);
        if (r.dtype() != cost.dtype() || c.dtype() != cost.dtype()) throw Operands.dtype(op, "marginals must have the cost's dtype", cost, r, c);
        if (!r.device().equals(cost.device()) || !c.device().equals(cost.device())) {
            throw Operands.device(op, "cost and marginals must be on one device", cost, r, c);
        }
        long[] s = cost.shape();
        if (!Arrays.equals(r.shape(), new long[] {s[0]}) || !Arrays.equals(c.shape(), new long[] {s[1]})) {
            throw Operands.shape(op, "marginals must be [n] and [m] for a cost [n, m]", cost, r, c);
        }
        if (s[0] == 0 || s[1] == 0) throw Operands.shape(op, "the cost must not be empty", cost, r, c);
        Operands.require(eta > 0 && Double.isFinite(eta), op, "eta must be finite and > 0, got " + eta);
        try (Scope scope = Scope.open(); NoGrad ng = NoGrad.open()) {
            double minR = r.amin().item(), minC = c.amin().item();
            double sumR = r.sum().item(), sumC = c.sum().item();
            Operands.require(minR > 0 && minC > 0, op, "marginals must be positive (smallest entries " + minR + ", " + minC + ")");
            Operands.require(Math.abs(sumR - sumC) <= 1e-6 * Math.max(sumR, sumC), op,
                    "marginals must have equal mass, got " + sumR + " and " + sumC);
        }
        return new OtProblem(cost, r, c, eta);
    }

    /** Starting potentials: zeros, or a copy of the caller's (checked against the problem). */
    Tensor start(String op, Tensor given, long size, String name) {
        if (given == null) return Tensor.zeros(cost.dtype(), cost.device(), size);
        if (!Arrays.equals(given.shape(), new long[] {size}) || given.dtype() != cost.dtype() || !given.device().equals(cost.device())) {
            throw Operands.shape(op, name + " must be [" + size + "] of the cost's dtype and device", cost, given);
        }
        return given.mul(1.0);
    }

    /** P = exp(−ηC + ηx1ᵀ + η1yᵀ − 1). */
    Tensor plan(Tensor x, Tensor y) {
        try (Scope s = Scope.open()) {
            Tensor rowTerm = x.mul(eta).sub(1.0).unsqueeze(1), colTerm = y.mul(eta).unsqueeze(0);
            return s.keep(negEtaC.add(rowTerm).add(colTerm).exp());
        }
    }

    /** log Σⱼ exp(η(yⱼ − Cᵢⱼ)) for each row i: the row sums of the plan are exp(ηxᵢ − 1 + this). */
    Tensor rowLse(Tensor y) {
        try (Scope s = Scope.open()) {
            return s.keep(negEtaC.add(y.mul(eta).unsqueeze(0)).logsumexp(1));
        }
    }

    /** log Σᵢ exp(η(xᵢ − Cᵢⱼ)) for each column j. */
    Tensor colLse(Tensor x) {
        try (Scope s = Scope.open()) {
            return s.keep(negEtaC.add(x.mul(eta).unsqueeze(1)).logsumexp(0));
        }
    }

    /** The x making the plan's row sums r for the given row log-sum-exps: (log r + 1 − L)/η. */
    Tensor xFrom(Tensor rowLse) {
        try (Tensor d = logR1.sub(rowLse)) {
            return d.div(eta);
        }
    }

    /** The y making the plan's column sums c. */
    Tensor yFrom(Tensor colLse) {
        try (Tensor d = logC1.sub(colLse)) {
            return d.div(eta);
        }
    }

    /** ‖P1 − r‖₁ from x and the row log-sum-exps at y. */
    double rowError(Tensor x, Tensor rowLse) {
        try (Scope s = Scope.open()) {
            return x.mul(eta).sub(1.0).add(rowLse).exp().sub(r).abs().sum().item();
        }
    }

    /** ‖P1 − r‖₁ + ‖Pᵀ1 − c‖₁ from the plan's row sums a and column sums b. */
    double error(Tensor a, Tensor b) {
        try (Scope s = Scope.open()) {
            return a.sub(r).abs().sum().item() + b.sub(c).abs().sum().item();
        }
    }

    /** ‖Pᵀ1 − c‖₁ of the plan at (x, y). */
    double columnError(Tensor x, Tensor y) {
        try (Scope s = Scope.open()) {
            return plan(x, y).sum(0).sub(c).abs().sum().item();
        }
    }

    @Override
    public void close() {
        negEtaC.close();
        logR1.close();
        logC1.close();
    }
}
