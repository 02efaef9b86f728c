package dev.nabla.spi;

/**
 * Elementwise unary primitives. Floating-only ops receive F32/F64 input (the frontend casts integers);
 * those with {@link #acceptsIntegers()} also run on I32/I64. The output has the input's dtype.
 */
public enum UnaryOp {
    NEG, ABS, SQUARE, EXP, LOG, SQRT, RSQRT, RECIPROCAL, SIN, COS, TANH, SIGMOID, RELU,
    /** tanh approximation is not used: gelu(x) = x·Φ(x) with the exact erf, as PyTorch's default. */
    GELU,
    /** log(1 + e^x), computed as max(x, 0) + log1p(e^-|x|) so it never overflows. */
    SOFTPLUS,
    SIGN, FLOOR, CEIL, ROUND, LOG1P, EXPM1, ERF;

    /** True for ops defined on integers too (with integer results). */
    public boolean acceptsIntegers() {
        return this == NEG || this == ABS || this == SQUARE || this == SIGN || this == RELU
                || this == FLOOR || this == CEIL || this == ROUND;
    }
}
