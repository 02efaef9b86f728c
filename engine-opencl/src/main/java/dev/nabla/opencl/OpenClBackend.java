package dev.nabla.opencl;

import dev.nabla.BackendUnavailableException;
import dev.nabla.gpu.GpuBackend;

/**
 * The OpenCL backend: every device of every OpenCL platform (through JOCL and the system's ICD
 * loader), running the kernels module's sources compiled at run time; the SPI itself is the shared
 * {@link GpuBackend}. Registered in {@code META-INF/services/dev.nabla.spi.Backend}. Without an ICD
 * loader or a platform it still loads, and {@link #probe()} says why there is no device; using one
 * then throws {@link BackendUnavailableException} with that reason.
 *
 * <pre>{@code
 * Tensor x = Tensor.ones(DType.F32, Device.opencl(0), 1024).mul(2.0);   // on the first OpenCL device
 * }</pre>
 */
public final class OpenClBackend extends GpuBackend<OpenClDevice> {

    public OpenClBackend() {
        super(Discovery::run);
    }

    @Override public String kind() { return "opencl"; }

    @Override protected String platformName() { return "OpenCL"; }
}
