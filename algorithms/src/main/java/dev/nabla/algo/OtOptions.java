package dev.nabla.algo;

/**
 * Options of the optimal-transport solvers ({@link Sinkhorn}, {@link SinkhornNewtonSparse}): stop
 * when the marginal error ‖P1 − r‖₁ + ‖Pᵀ1 − c‖₁ is at most {@code tol}, or after
 * {@code maxIterations} iterations in all (Sinkhorn's and Newton's together); SNS first takes
 * {@code warmupSteps} Sinkhorn iterations, then Newton steps whose Hessian keeps the
 * {@code sparsity}·n·m largest entries of the plan (0 means the paper's default λ = 2/min(n, m),
 * that is 2·max(n, m) entries: a vertex of the transport polytope has at most n + m − 1).
 *
 * <pre>{@code
 * OtOptions o = OtOptions.defaults().withTol(1e-10).withSparsity(15.0 / n);   // the paper's choice for L1 costs
 * }</pre>
 */
public record OtOptions(double tol, int maxIterations, int warmupSteps, double sparsity) {

    public OtOptions {
        Operands.require(tol >= 0, "OtOptions", "tol must be >= 0, got " + tol);
        Operands.require(maxIterations >= 0, "OtOptions", "maxIterations must be >= 0, got " + maxIterations);
        Operands.require(warmupSteps >= 0, "OtOptions", "warmupSteps must be >= 0, got " + warmupSteps);
        Operands.require(sparsity >= 0 && sparsity <= 1, "OtOptions", "sparsity must be in [0, 1] (0: 2/min(n, m)), got " + sparsity);
    }

    /** Marginal error 1e-9, 1000 iterations, 20 Sinkhorn warm-up steps, λ = 2/min(n, m). */
    public static OtOptions defaults() {
        return new OtOptions(1e-9, 1000, 20, 0);
    }

    public OtOptions withTol(double t) { return new OtOptions(t, maxIterations, warmupSteps, sparsity); }
    public OtOptions withMaxIterations(int n) { return new OtOptions(tol, n, warmupSteps, sparsity); }
    public OtOptions withWarmupSteps(int n) { return new OtOptions(tol, maxIterations, n, sparsity); }
    public OtOptions withSparsity(double lambda) { return new OtOptions(tol, maxIterations, warmupSteps, lambda); }

    /** How many entries of an n × m plan the sparsified Hessian keeps (at least one per row and column's worth: n + m − 1). */
    public long keptEntries(long n, long m) {
        long k = sparsity > 0 ? (long) Math.ceil(sparsity * n * m) : 2 * Math.max(n, m);
        return Math.min(n * m, Math.max(k, Math.min(n * m, n + m - 1)));
    }
}
