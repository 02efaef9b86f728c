package dev.nabla.cuda;

/**
 * One kernel argument, by value, as the kernel's parameter list declares it: the launch layer turns
 * each into the pointer cuLaunchKernel wants, and the tests compare each with the PTX's
 * {@code .param} (size, and float or integer).
 */
sealed interface KernelArg {
    /** Bytes the kernel parameter occupies. */
    int size();

    record I32(int v) implements KernelArg { public int size() { return 4; } }

    record I64(long v) implements KernelArg { public int size() { return 8; } }

    record F32(float v) implements KernelArg { public int size() { return 4; } }

    record F64(double v) implements KernelArg { public int size() { return 8; } }

    record U8(byte v) implements KernelArg { public int size() { return 1; } }

    /** A struct passed by value (the kernels' Lay), already in the device's byte order. */
    record Struct(byte[] bytes) implements KernelArg { public int size() { return bytes.length; } }

    /** A device pointer: the allocation {@code base} plus {@code byteOffset}. */
    record Ptr(Object base, long byteOffset) implements KernelArg { public int size() { return 8; } }
}
