package dev.nabla.spi;

/**
 * Reductions over the trailing dims of a layout. SUM and PROD of integers write I64; ARGMAX and
 * ARGMIN write I64 (first index of the extreme; NaN counts as the extreme, as PyTorch); MAX and MIN
 * keep the dtype and propagate NaN.
 */
public enum ReduceOp { SUM, PROD, MAX, MIN, ARGMAX, ARGMIN }
