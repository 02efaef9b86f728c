package dev.nabla.cuda;

import dev.nabla.DType;
import dev.nabla.spi.Buffer;

/**
 * Device memory of the CUDA backend: a block of {@code bucketBytes} (the allocator's size class, at
 * least what {@code numel} elements need) at the opaque device pointer {@code ptr}. BOOL is stored
 * one byte per element, 0 or 1.
 */
final class CudaBuffer implements Buffer {
    final DType dtype;
    final long numel;
    final int device;
    final Object ptr;
    final long bucketBytes;
    volatile boolean freed;

    CudaBuffer(DType dtype, long numel, int device, Object ptr, long bucketBytes) {
        this.dtype = dtype;
        this.numel = numel;
        this.device = device;
        this.ptr = ptr;
        this.bucketBytes = bucketBytes;
    }

    @Override public DType dtype() { return dtype; }
    @Override public long numel() { return numel; }
    @Override public int deviceIndex() { return device; }

    /** Bytes per element on the device (BOOL: 1). */
    static int elementBytes(DType t) {
        return t == DType.BOOL ? 1 : t.byteSize();
    }

    @Override
    public String toString() {
        return "CudaBuffer[" + numel + " " + dtype + " on cuda:" + device + "]";
    }
}
