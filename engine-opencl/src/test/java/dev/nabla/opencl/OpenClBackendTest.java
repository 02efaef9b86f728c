package dev.nabla.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.BackendUnavailableException;
import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.DeviceStatus;
import dev.nabla.OutOfMemoryException;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.gpu.CachingAllocator;
import dev.nabla.spi.Backends;
import dev.nabla.spi.MemoryStats;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenCL backend's own behaviour beyond the conformance suite: devices, memory, failures. */
class OpenClBackendTest {
    private OpenClBackend be;

    @BeforeEach
    void requireOpenCl() {
        be = (OpenClBackend) Backends.get("opencl");
        OpenClAvailability.require(be);
    }

    @Test
    void everyDeviceOfEveryPlatformIsListedWithItsKind() {
        List<DeviceStatus> cl = Device.probe().stream().filter(s -> s.device().kind().equals("opencl")).toList();
        assertFalse(cl.isEmpty());
        for (int i = 0; i < cl.size(); i++) {
            assertEquals(Device.opencl(i), cl.get(i).device());
            assertTrue(cl.get(i).available(), cl.get(i).toString());
            String d = cl.get(i).description();
            assertTrue(d.contains("CPU") || d.contains("GPU") || d.contains("accelerator") || d.contains("device"), d);
        }
        assertTrue(Device.available().contains(Device.opencl(0)));
    }

    @Test
    void aCpuOpenClDeviceNeverBeatsTheCpuBackend() {
        boolean anyGpu = Device.probe().stream().anyMatch(s -> s.available() && s.description() != null
                && s.device().kind().equals("opencl") && s.description().contains("GPU"));
        if (!anyGpu) assertEquals(Device.cpu(), Device.best());
    }

    @Test
    void aMissingDeviceIndexSaysWhichDevicesExist() {
        int n = be.probe().size();
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Tensor.zeros(DType.F32, Device.opencl(n), 3));
        assertTrue(e.getMessage().contains("opencl:" + n + " does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("opencl:0 = "), e.getMessage());
    }

    @Test
    void outOfMemoryStatesTheNumbersAndTheBackendStaysUsable() {
        MemoryStats before = be.memoryStats(0);
        long tooMany = before.totalBytes() / 4 + 1_000_000;   // F32: more bytes than the device has
        OutOfMemoryException e = assertThrows(OutOfMemoryException.class,
                () -> Tensor.zeros(DType.F32, Device.opencl(0), tooMany));
        String m = e.getMessage();
        for (String word : List.of("requested", "free", "total", "in use", "cached")) assertTrue(m.contains(word), m);
        assertTrue(m.contains(String.valueOf(tooMany * 4)), m);
        try (Scope s = Scope.open()) {
            Tensor t = Tensor.ones(DType.F32, Device.opencl(0), 5).mul(3.0);
            assertArrayEquals(new float[] {3, 3, 3, 3, 3}, t.toFloatArray());
        }
        assertEquals(before.liveBuffers(), be.memoryStats(0).liveBuffers());
    }

    @Test
    void freedBuffersAreReusedFromTheCacheAndTheCacheCanBeEmptied() {
        try (Tensor a = Tensor.zeros(DType.F32, Device.opencl(0), 1000)) {
            a.sum().close();
        }
        MemoryStats s = be.memoryStats(0);
        assertTrue(s.cachedBytes() >= 4096, s.toString());
        long live = s.liveBuffers();
        try (Tensor b = Tensor.zeros(DType.F32, Device.opencl(0), 1000)) {
            assertEquals(live + 1, be.memoryStats(0).liveBuffers());
            assertTrue(be.memoryStats(0).cachedBytes() < s.cachedBytes(), "the second tensor came from the cache");
        }
        be.emptyCache(0);
        assertEquals(0, be.memoryStats(0).cachedBytes());
    }

    @Test
    void sizeClassesArePowersOfTwoThenWholeMebibytes() {
        CachingAllocator a = be.device(0).allocator();
        assertEquals(256, a.sizeClass(1));
        assertEquals(1024, a.sizeClass(1000));
        assertEquals(1 << 20, a.sizeClass((1 << 20) - 5));
        assertEquals(3L << 20, a.sizeClass((2L << 20) + 1));
    }

    @Test
    void rankAboveTheKernelsLimitIsSplitIntoBlocks() {
        try (Scope s = Scope.open()) {
            long[] shape = {2, 1, 3, 1, 2, 2, 3, 2, 2, 3};
            double[] v = new double[864];
            for (int i = 0; i < v.length; i++) v[i] = i;
            // a permutation no coalescing can flatten: rank 10 reaches the kernels split in blocks
            int[] perm = {9, 0, 8, 2, 7, 4, 6, 5, 3, 1};
            Tensor c = Tensor.of(DType.F64, Device.cpu(), v, shape).permute(perm).contiguous().add(1.0).sum(new int[] {0, 2}, false);
            Tensor o = Tensor.of(DType.F64, Device.opencl(0), v, shape).permute(perm).contiguous().add(1.0).sum(new int[] {0, 2}, false);
            assertArrayEquals(c.toDoubleArray(), o.toDoubleArray(), 1e-9);
        }
    }

    @Test
    void withoutAnOpenClPlatformTheDeviceListSaysWhy(@TempDir Path empty) throws Exception {
        // a fresh JVM whose ICD loader looks for drivers in an empty directory
        String cp = System.getProperty("java.class.path");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp", cp, NoPlatformMain.class.getName());
        pb.environment().put("OCL_ICD_VENDORS", empty.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("opencl:0: unavailable (no OpenCL platform"), out);
        assertTrue(out.contains("BackendUnavailableException: opencl:0 is unavailable: no OpenCL platform"), out);
        assertFalse(out.contains("\tat "), "no stack trace: " + out);
    }

    @Test
    void compiledKernelsAreCachedOnDiskKeyedBySourceDeviceAndDriver(@TempDir Path cache) throws Exception {
        String cp = System.getProperty("java.class.path");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int run = 0; run < 2; run++) {
            ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                    "-Dnabla.kernel.cache=" + cache, "-cp", cp, CacheMain.class.getName());
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("sum=6.0"), out);
        }
        try (var files = Files.list(cache)) {
            List<Path> bins = files.filter(f -> f.toString().endsWith(".bin")).toList();
            assertFalse(bins.isEmpty(), "binaries written to " + cache);
            for (Path b : bins) assertTrue(b.getFileName().toString().matches("[0-9a-f]{64}\\.bin"), b.toString());
        }
        assertTrue(new File(cache.toFile(), ".").exists());
    }
}
