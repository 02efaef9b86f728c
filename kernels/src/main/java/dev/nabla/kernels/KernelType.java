package dev.nabla.kernels;

/**
 * The element type a kernel variant is compiled for, spelled as the engine's dtypes
 * ({@code F32 F64 I32 I64 BOOL}), plus {@link #NONE} for families that pick their types per kernel
 * (random). Each one becomes a few {@code #define}s ahead of the family's text: {@code T}, its
 * kind ({@code TK_F32}, ...), {@code IS_FLOAT}, the unsigned twin {@code UT} and {@code VEC4}.
 *
 * <pre>{@code
 * KernelType.F32.defines(Target.OPENCL);   // "#define T float\n#define TK_F32 1\n..."
 * }</pre>
 */
public enum KernelType {
    F32("float", null, "float4", true, 4),
    F64("double", null, "double4", true, 8),
    I32("i32", "u32", "int4", false, 4),
    I64("i64", "u64", "long4", false, 8),
    BOOL("u8", "u8", "uchar4", false, 1),
    NONE(null, null, null, false, 0);

    private final String cType;
    private final String unsignedType;
    private final String vec4;
    private final boolean floating;
    private final int byteSize;

    KernelType(String cType, String unsignedType, String vec4, boolean floating, int byteSize) {
        this.cType = cType;
        this.unsignedType = unsignedType;
        this.vec4 = vec4;
        this.floating = floating;
        this.byteSize = byteSize;
    }

    /** Bytes per element (0 for NONE). */
    public int byteSize() { return byteSize; }

    /** Whether this variant needs double precision on the device. */
    public boolean needsF64() { return this == F64; }

    /** The lines defining this type for the kernel text; empty for NONE. */
    public String defines(Target target) {
        if (this == NONE) return "";
        StringBuilder sb = new StringBuilder();
        sb.append("#define T ").append(cType).append('\n');
        sb.append("#define TK_").append(name()).append(" 1\n");
        if (floating) sb.append("#define IS_FLOAT 1\n");
        if (unsignedType != null) sb.append("#define UT ").append(unsignedType).append('\n');
        // CUDA kernels load four elements with LOAD4's scalar form: no vector type needed there
        if (target == Target.OPENCL) sb.append("#define VEC4 ").append(vec4).append('\n');
        return sb.toString();
    }
}
