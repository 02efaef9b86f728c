package dev.nabla;

/**
 * Element types. Promotion follows PyTorch: BOOL &lt; I32 &lt; I64 &lt; F32 &lt; F64 within and across
 * categories, so {@code I64 + F32 -> F32} and {@code F32 + F64 -> F64}.
 *
 * <pre>{@code
 * DType.promote(DType.I32, DType.F32);   // F32
 * }</pre>
 */
public enum DType {
    F32(4, true), F64(8, true), I32(4, false), I64(8, false), BOOL(1, false);

    private final int byteSize;
    private final boolean floating;

    DType(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    /** Bytes one element occupies in device memory. */
    public int byteSize() { return byteSize; }

    /** True for F32 and F64. */
    public boolean isFloating() { return floating; }

    /** True for I32 and I64. */
    public boolean isInteger() { return this == I32 || this == I64; }

    private int rank() {
        return switch (this) {
            case BOOL -> 0;
            case I32 -> 1;
            case I64 -> 2;
            case F32 -> 3;
            case F64 -> 4;
        };
    }

    /** The type both operands are computed in, as PyTorch's {@code torch.promote_types}. */
    public static DType promote(DType a, DType b) {
        return a.rank() >= b.rank() ? a : b;
    }

    /** The floating type an integer or bool input is computed in by float-valued ops (F32, PyTorch's default). */
    public DType toFloating() { return floating ? this : F32; }
}
