package dev.nabla.cpu;

import dev.nabla.DType;
import dev.nabla.spi.Buffer;

/**
 * Host memory for the CPU backend: a Java array, so Vector API loads and stores run on it directly.
 * float[] F32, double[] F64, int[] I32, long[] I64, boolean[] BOOL.
 */
final class CpuBuffer implements Buffer {
    final DType dtype;
    final Object array;
    final int numel;

    /** A buffer over a fresh (zeroed) array. */
    CpuBuffer(DType dtype, int numel) {
        this(dtype, numel, newArray(dtype, numel));
    }

    /** A buffer over an existing array of exactly {@code numel} elements of the dtype's type. */
    CpuBuffer(DType dtype, int numel, Object array) {
        this.dtype = dtype;
        this.numel = numel;
        this.array = array;
    }

    static Object newArray(DType dtype, int numel) {
        return switch (dtype) {
            case F32 -> new float[numel];
            case F64 -> new double[numel];
            case I32 -> new int[numel];
            case I64 -> new long[numel];
            case BOOL -> new boolean[numel];
        };
    }

    @Override public DType dtype() { return dtype; }
    @Override public long numel() { return numel; }
    @Override public int deviceIndex() { return 0; }

    float[] f32() { return (float[]) array; }
    double[] f64() { return (double[]) array; }
    int[] i32() { return (int[]) array; }
    long[] i64() { return (long[]) array; }
    boolean[] bool() { return (boolean[]) array; }

    long byteSize() { return (long) numel * dtype.byteSize(); }
}
