/**
 * The host side of the GPU backends, written once: what turns the SPI's layouts into launches of
 * the shared kernels (elementwise, copy, reduce, index, random, the tiled GEMM), the caching
 * allocator, buffers, and {@link dev.nabla.gpu.GpuBackend}, the SPI on top of them. A backend
 * (engine-opencl, engine-cuda) supplies only what is its device's own: a {@link
 * dev.nabla.gpu.DeviceMemory} (allocate, free, copy to and from the host), a {@link
 * dev.nabla.gpu.KernelLauncher} (find a compiled kernel, launch it, wait for the queue), and how it
 * finds its devices. Public because the backends live in other modules; nothing else should use it.
 *
 * <pre>{@code
 * public final class OpenClBackend extends GpuBackend<OpenClDevice> { ... }   // discovery, probe text
 * final class OpenClDevice extends GpuDevice implements DeviceMemory { ... }  // cl_mem calls
 * }</pre>
 */
package dev.nabla.gpu;
