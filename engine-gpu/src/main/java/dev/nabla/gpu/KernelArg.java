package dev.nabla.gpu;

/**
 * One kernel argument, by value, as the kernel's parameter list declares it: the launcher turns each
 * into what its API wants (clSetKernelArg's size and pointer, cuLaunchKernel's parameter pointer),
 * and the CUDA tests compare each with the PTX's {@code .param} (size, and float or integer).
 */
public sealed interface KernelArg {
    /** Bytes the kernel parameter occupies. */
    int size();

    record I32(int v) implements KernelArg { public int size() { return 4; } }

    record I64(long v) implements KernelArg { public int size() { return 8; } }

    record F32(float v) implements KernelArg { public int size() { return 4; } }

    record F64(double v) implements KernelArg { public int size() { return 8; } }

    record U8(byte v) implements KernelArg { public int size() { return 1; } }

    /** A struct passed by value (the kernels' Lay), already in the device's byte order. */
    record Struct(byte[] bytes) implements KernelArg { public int size() { return bytes.length; } }

    /**
     * Device memory: the block {@code base} (a {@link GpuBuffer#handle()}) from {@code byteOffset}
     * on. Only a launcher whose {@link KernelLauncher#maxGrid()} is limited is given an offset other
     * than 0 (a grid split into chunks); OpenCL, unlimited, passes whole buffers.
     */
    record Ptr(Object base, long byteOffset) implements KernelArg { public int size() { return 8; } }
}
