package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.OutOfMemoryException;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.spi.Backends;
import dev.nabla.spi.MemoryStats;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend's own behaviour on a real GPU, beyond the conformance suite: cuBLAS and the shared
 * GEMM kernel against the CPU, out-of-memory with the driver's numbers, flat memory. Skipped without
 * a GPU (see CudaAvailability).
 */
class CudaGpuTest {
    private CudaBackend be;

    @BeforeEach
    void requireGpu() {
        CudaAvailability.require();
        be = (CudaBackend) Backends.get("cuda");
    }

    @Test
    void cublasAndTheSharedKernelAgreeWithTheCpuOnTransposedAndBroadcastProducts() {
        Device gpu = Device.cuda(0);
        for (DType t : List.of(DType.F32, DType.F64)) {
            try (Scope s = Scope.open()) {
                Generator g = new Generator(3);
                Tensor a = Tensor.randn(t, Device.cpu(), g, 4, 37, 29), b = Tensor.randn(t, Device.cpu(), g, 53, 29);
                Tensor want = a.matmul(b.mT());                                   // B transposed, broadcast over the batch
                Tensor got = a.to(gpu).matmul(b.to(gpu).mT()).to(Device.cpu());
                double tol = t == DType.F32 ? 1e-4 : 1e-12;
                assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), tol * 30);
                Tensor wantT = a.mT().matmul(a);                                  // A transposed
                Tensor gotT = a.to(gpu).mT().matmul(a.to(gpu)).to(Device.cpu());
                assertArrayEquals(wantT.toDoubleArray(), gotT.toDoubleArray(), tol * 40);
            }
        }
        CudaDevice dev = be.device(0);
        CudaBuffer a = be.allocateOn(dev, DType.F32, 64 * 64), c1 = be.allocateOn(dev, DType.F32, 64 * 64),
                c2 = be.allocateOn(dev, DType.F32, 64 * 64);
        try {
            float[] v = new float[64 * 64];
            for (int i = 0; i < v.length; i++) v[i] = (i % 17) - 8;   // small integers: both paths are exact
            be.copyFromHost(v, a);
            var g = new dev.nabla.spi.Gemm(1, 64, 64, 64, 0, 0, 1, 64, 0, 0, 64, 1);
            synchronized (dev.lock) {
                GemmCu.matmul(be, dev, g, a, a, c1, true);
                GemmCu.matmul(be, dev, g, a, a, c2, false);
            }
            assertArrayEquals((float[]) be.copyToHost(c1, 0, 4096), (float[]) be.copyToHost(c2, 0, 4096));
        } finally {
            be.free(a);
            be.free(c1);
            be.free(c2);
        }
    }

    @Test
    void outOfMemoryStatesTheDriversNumbersAndTheBackendStaysUsable() {
        MemoryStats before = be.memoryStats(0);
        long tooMany = before.totalBytes() / 4 + 1_000_000;
        OutOfMemoryException e = assertThrows(OutOfMemoryException.class, () -> Tensor.zeros(DType.F32, Device.cuda(0), tooMany));
        for (String word : List.of("requested", "free", "total", "in use", "cached")) assertTrue(e.getMessage().contains(word), e.getMessage());
        try (Scope s = Scope.open()) {
            assertArrayEquals(new float[] {3, 3, 3}, Tensor.ones(DType.F32, Device.cuda(0), 3).mul(3.0).toFloatArray());
        }
        assertEquals(before.liveBuffers(), be.memoryStats(0).liveBuffers());
    }

    @Test
    void aTrainingLikeLoopKeepsMemoryFlat() {
        Device gpu = Device.cuda(0);
        Tensor w = Tensor.randn(DType.F32, gpu, new Generator(1), 64, 64).requiresGrad(true);
        long live = -1;
        for (int step = 0; step < 50; step++) {
            try (Scope s = Scope.open()) {
                Tensor x = Tensor.randn(DType.F32, gpu, new Generator(step), 32, 64);
                x.matmul(w).tanh().square().mean().backward();
                w.zeroGrad();
            }
            be.sync(0);
            if (step == 5) live = be.memoryStats(0).liveBuffers();
            if (step > 5) assertEquals(live, be.memoryStats(0).liveBuffers(), "step " + step);
        }
        w.close();
    }
}
