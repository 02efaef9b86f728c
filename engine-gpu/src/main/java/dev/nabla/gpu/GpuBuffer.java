package dev.nabla.gpu;

import dev.nabla.DType;
import dev.nabla.spi.Buffer;

/**
 * Device memory of a GPU backend: {@code numel} elements of {@code dtype} in the block {@code handle}
 * (a cl_mem, a CUdeviceptr: whatever the device's {@link DeviceMemory} gave), which the caching
 * allocator sized for {@link #bytes()}. BOOL is stored one byte per element, 0 or 1.
 */
public final class GpuBuffer implements Buffer {
    private final DType dtype;
    private final long numel;
    private final String device;
    private final int deviceIndex;
    private final Object handle;
    volatile boolean freed;

    GpuBuffer(DType dtype, long numel, String device, int deviceIndex, Object handle) {
        this.dtype = dtype;
        this.numel = numel;
        this.device = device;
        this.deviceIndex = deviceIndex;
        this.handle = handle;
    }

    @Override public DType dtype() { return dtype; }
    @Override public long numel() { return numel; }
    @Override public int deviceIndex() { return deviceIndex; }

    /** The device memory, as the backend's {@link DeviceMemory} allocated it. */
    public Object handle() { return handle; }

    /** Whether the buffer went back to the allocator (its block may already serve another buffer). */
    public boolean freed() { return freed; }

    /** Bytes its elements occupy on the device. */
    public long bytes() { return numel * elementBytes(dtype); }

    /** Bytes per element on the device (BOOL: 1). */
    public static int elementBytes(DType t) {
        return t == DType.BOOL ? 1 : t.byteSize();
    }

    @Override
    public String toString() {
        return "GpuBuffer[" + numel + " " + dtype + " on " + device + "]";
    }
}
