package dev.nabla.conformance;

/** How an op's results are compared, which picks the tolerance preset (see {@link Tolerance}). */
public enum Kind {
    /** One rounding per element: the elementwise presets. */
    ELEMENTWISE,
    /** Sums of K terms (reductions, matmul): presets widened by √K, relative to Σ|terms|. */
    ACCUMULATE,
    /** Values moved, not computed (copies, gather, cat, where): bit-exact in every dtype. */
    EXACT
}
