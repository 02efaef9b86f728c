package dev.nabla.nn;

/**
 * How a loss combines its per-element values, as PyTorch's {@code reduction=}: the mean is the default.
 *
 * <pre>{@code
 * Tensor perExample = Losses.crossEntropy(logits, labels, 0, Reduction.NONE);   // [N]
 * }</pre>
 */
public enum Reduction { MEAN, SUM, NONE }
