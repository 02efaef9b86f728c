package dev.nabla.kernels;

/**
 * A compiler the kernel sources are assembled for: each has its own prelude
 * ({@code prelude.opencl.h}, {@code prelude.cuda.h}) mapping the shared names ({@code KERNEL},
 * {@code GLOBAL}, {@code LOCAL}, {@code BARRIER()}, {@code GLOBAL_ID(d)}, the integer types, bit
 * casts) onto the target's own.
 */
public enum Target {
    OPENCL("prelude.opencl.h"),
    CUDA("prelude.cuda.h");

    private final String prelude;

    Target(String prelude) { this.prelude = prelude; }

    /** The prelude's resource name next to the family sources. */
    public String prelude() { return prelude; }
}
