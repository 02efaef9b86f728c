package dev.nabla.cuda;

import dev.nabla.BackendUnavailableException;
import dev.nabla.gpu.Discovered;
import dev.nabla.gpu.GpuBackend;
import dev.nabla.gpu.GpuBuffer;
import dev.nabla.spi.Gemm;

import java.util.function.Supplier;

/**
 * The CUDA backend: every GPU the NVIDIA driver reports, through JCuda's driver API (a primary
 * context and one stream per device), running the kernels module's sources (bundled PTX and cubins,
 * else NVRTC) on the shared {@link GpuBackend}, and cuBLAS for F32/F64 matmul. Registered in
 * {@code META-INF/services}. Without an NVIDIA driver it still loads, and {@link #probe()} says why
 * there is no device; using one then throws {@link BackendUnavailableException} with that reason.
 * {@code -Dnabla.cuda.gemm=kernel} runs matmul on the shared GEMM kernel even where cuBLAS is present.
 *
 * <pre>{@code
 * Tensor x = Tensor.ones(DType.F32, Device.cuda(0), 1024).mul(2.0);   // on the first GPU
 * }</pre>
 */
public final class CudaBackend extends GpuBackend<CudaDevice> {
    private static final boolean KERNEL_GEMM = "kernel".equals(System.getProperty("nabla.cuda.gemm"));

    public CudaBackend() { this(Discovery::standard); }

    /** A backend over given devices (the tests' recording devices). */
    CudaBackend(Supplier<Discovered<CudaDevice>> discover) { super(discover); }

    @Override public String kind() { return "cuda"; }

    @Override protected String platformName() { return "CUDA"; }

    @Override
    protected void gemm(CudaDevice dev, Gemm g, GpuBuffer a, GpuBuffer b, GpuBuffer c) {
        GemmCu.matmul(dev, g, a, b, c, !KERNEL_GEMM);
    }
}
