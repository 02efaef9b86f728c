package dev.nabla.nn;

/** How a loss combines its per-element values, as PyTorch's {@code reduction=}: the mean is the default. */
public enum Reduction { MEAN, SUM, NONE }
