package dev.nabla.opencl;

import dev.nabla.DType;
import dev.nabla.spi.Buffer;
import org.jocl.cl_mem;

/**
 * Device memory of the OpenCL backend: a cl_mem of {@code bucketBytes} (the allocator's size class,
 * at least what {@code numel} elements need). BOOL is stored one byte per element, 0 or 1.
 */
final class OpenClBuffer implements Buffer {
    final DType dtype;
    final long numel;
    final int device;
    final cl_mem mem;
    final long bucketBytes;
    volatile boolean freed;

    OpenClBuffer(DType dtype, long numel, int device, cl_mem mem, long bucketBytes) {
        this.dtype = dtype;
        this.numel = numel;
        this.device = device;
        this.mem = mem;
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
        return "OpenClBuffer[" + numel + " " + dtype + " on opencl:" + device + "]";
    }
}
