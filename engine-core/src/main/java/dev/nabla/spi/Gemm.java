package dev.nabla.spi;

/**
 * One batched matrix product: for each b &lt; batch, C[b] (m×n) = A[b] (m×k) · B[b] (k×n).
 * Element (i, p) of A[b] is at {@code aOffset + b*aBatchStride + i*aRowStride + p*aColStride};
 * B likewise; C is contiguous {@code [batch, m, n]} at offset 0. Any stride may be 0 (broadcast)
 * and a transposed operand is just swapped row and column strides.
 */
public record Gemm(long batch, long m, long n, long k,
                   long aOffset, long aBatchStride, long aRowStride, long aColStride,
                   long bOffset, long bBatchStride, long bRowStride, long bColStride) {}
