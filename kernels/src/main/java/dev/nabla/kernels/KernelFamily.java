package dev.nabla.kernels;

import java.util.List;

/**
 * The registry of kernel families: one source file each under {@code dev/nabla/kernels/} on the
 * class path, compiled once per element type it serves. A backend compiles a family lazily, per
 * device and type, the first time one of its kernels is needed.
 *
 * <pre>{@code
 * String src = KernelSource.assemble(Target.OPENCL, KernelFamily.BINARY, KernelType.F32);
 * // kernels "binary_add", "binary_mul", "binary_lt", ...
 * }</pre>
 */
public enum KernelFamily {
    /** {@code unary_<op>} for every UnaryOp name in lower case (integers: the integer ops). */
    UNARY("unary.kc", List.of(KernelType.F32, KernelType.F64, KernelType.I32, KernelType.I64)),
    /** {@code binary_<op>} for every BinaryOp name in lower case. */
    BINARY("binary.kc", List.of(KernelType.F32, KernelType.F64, KernelType.I32, KernelType.I64, KernelType.BOOL)),
    /** {@code copy_strided}, {@code copy_fill}, {@code copy_where}, {@code cast_to_<dtype>}. */
    COPY("copy.kc", List.of(KernelType.F32, KernelType.F64, KernelType.I32, KernelType.I64, KernelType.BOOL)),
    /** {@code reduce_rows/part/final} and {@code argreduce_rows/part/final}. */
    REDUCE("reduce.kc", List.of(KernelType.F32, KernelType.F64, KernelType.I32, KernelType.I64, KernelType.BOOL)),
    /** {@code gemm_tiled}. */
    GEMM("gemm.kc", List.of(KernelType.F32, KernelType.F64, KernelType.I32, KernelType.I64)),
    /** {@code index_check}, {@code index_gather}, {@code index_scatter_add}. */
    INDEX("index.kc", List.of(KernelType.F32, KernelType.F64, KernelType.I32, KernelType.I64, KernelType.BOOL)),
    /** {@code random_uniform_f32/f64}, {@code random_normal_f32/f64} (the f64 ones need fp64). */
    RANDOM("random.kc", List.of(KernelType.NONE)),
    /** {@code sparse_count}, {@code sparse_compress}, {@code sparse_matmul} and the transpose's structure kernels. */
    SPARSE("sparse.kc", List.of(KernelType.F32, KernelType.F64));

    private final String file;
    private final List<KernelType> types;

    KernelFamily(String file, List<KernelType> types) {
        this.file = file;
        this.types = types;
    }

    /** The source's resource name. */
    public String file() { return file; }

    /** The element types this family is compiled for. */
    public List<KernelType> types() { return types; }
}
