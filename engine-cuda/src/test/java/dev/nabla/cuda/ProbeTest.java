package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.nabla.BackendUnavailableException;
import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.DeviceStatus;
import dev.nabla.Tensor;
import dev.nabla.spi.Backends;
import dev.nabla.spi.DeviceInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the probe says on a machine without an NVIDIA driver (as this repository's CI): cuda is
 * listed as unavailable with one line of reason, Device.best() moves on, using cuda:0 throws
 * BackendUnavailableException with that reason, and nothing prints a stack trace. On a machine with
 * a GPU these are skipped (CudaConformanceTest and CudaGpuTest run there instead).
 */
class ProbeTest {
    static final String NO_DRIVER = "no NVIDIA driver: libcuda.so.1 is not installed (JCuda's driver binding needs it; "
            + "install the NVIDIA driver to use a GPU)";

    private static DeviceInfo cudaProbe() {
        List<DeviceInfo> infos = Backends.get("cuda").probe();
        assertFalse(infos.isEmpty());
        assumeFalse(infos.get(0).available(), () -> "a CUDA device is present: " + infos.get(0).description());
        return infos.get(0);
    }

    @Test
    void withoutADriverCudaIsListedUnavailableWithOneLineOfReason() {
        DeviceInfo info = cudaProbe();
        String reason = info.reason();
        assertFalse(reason.isBlank());
        assertFalse(reason.contains("\n") || reason.contains("\tat "), reason);
        if (reason.contains("libcuda.so.1")) assertEquals(NO_DRIVER, reason);
        DeviceStatus s = Device.probe().stream().filter(d -> d.device().equals(Device.cuda(0))).findFirst().orElseThrow();
        assertFalse(s.available());
        assertEquals(reason, s.reason());
        assertFalse(Device.available().contains(Device.cuda(0)));
        assertEquals(Device.cpu(), Device.best());
    }

    @Test
    void usingCudaWithoutADriverThrowsBackendUnavailableWithTheReason() {
        String reason = cudaProbe().reason();
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Tensor.zeros(DType.F32, Device.cuda(0), 2));
        assertEquals("cuda:0 is unavailable: " + reason, e.getMessage());
        try (Tensor t = Tensor.ones(3)) {
            assertThrows(BackendUnavailableException.class, () -> t.to(Device.cuda(1)));
        }
    }

    @Test
    void cublasAndNvrtcProbesNameTheMissingLibrary() {
        String blas = Cublas.loadFailure();
        Nvrtc.Probe nvrtc = Nvrtc.load();
        System.out.println("cuBLAS here: " + (blas == null ? "loads" : blas));
        System.out.println("NVRTC here: " + (nvrtc.failure() == null ? nvrtc.nvrtc().version() : nvrtc.failure()));
        if (blas != null) {
            assertFalse(blas.contains("\n"), blas);
            if (blas.contains("libcublas")) assertEquals("libcublas.so.12 could not be loaded (JCuda's cuBLAS binding needs it)", blas);
        }
        if (nvrtc.failure() != null) {
            assertNull(nvrtc.nvrtc());
            assertFalse(nvrtc.failure().contains("\n"), nvrtc.failure());
            if (nvrtc.failure().contains("libnvrtc")) {
                assertEquals("libnvrtc.so.12 could not be loaded (JCuda's NVRTC binding needs it)", nvrtc.failure());
            }
        }
    }

    @Test
    void aFreshJvmWithoutADriverPrintsTheReasonAndNoStackTrace() throws Exception {
        String reason = cudaProbe().reason();
        String cp = System.getProperty("java.class.path");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", cp, NoDriverMain.class.getName());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("cuda:0: unavailable (" + reason + ")"), out);
        assertTrue(out.contains("best=cpu"), out);
        assertTrue(out.contains("BackendUnavailableException: cuda:0 is unavailable: " + reason), out);
        assertFalse(out.contains("\tat "), "no stack trace: " + out);
        assertFalse(out.contains("UnsatisfiedLinkError"), out);
    }

    @Test
    void nativeLoadErrorsAreReadDownToTheMissingLibrary() {
        // the shape of JCuda's message: both load attempts, with their stack traces, in the message
        String jcuda = """
                Error while loading native library "JCublas2-12.6.0-linux-x86_64"
                Operating system name: Linux
                ---(start of nested stack traces)---
                Stack trace from the attempt to load the library as a file:
                java.lang.UnsatisfiedLinkError: no JCublas2-12.6.0-linux-x86_64 in java.library.path: /usr/lib
                \tat java.base/java.lang.ClassLoader.loadLibrary(ClassLoader.java:2285)
                Stack trace from the attempt to load the library as a resource:
                java.lang.UnsatisfiedLinkError: /tmp/libJCublas2-12.6.0-linux-x86_64.so: libcublas.so.12: cannot open shared object file: No such file or directory
                \tat java.base/jdk.internal.loader.NativeLibraries.load(Native Method)
                ---(end of nested stack traces)---
                """;
        UnsatisfiedLinkError e = new UnsatisfiedLinkError(jcuda);
        assertEquals("libcublas.so.12", NativeLibs.missingLibrary(e));
        assertEquals("libcublas.so.12 could not be loaded (cuBLAS needs it)", NativeLibs.explain(e, "cuBLAS"));
        UnsatisfiedLinkError old = new UnsatisfiedLinkError("/tmp/libJCudaDriver-12.6.0-linux-x86_64.so: undefined symbol: cuCtxCreate_v4");
        assertEquals("the installed library lacks cuCtxCreate_v4 (the driver binding needs a newer one)",
                NativeLibs.explain(old, "the driver binding"));
        NoClassDefFoundError again = new NoClassDefFoundError("Could not initialize class jcuda.driver.JCudaDriver");
        assertEquals("the driver binding failed to load: NoClassDefFoundError: Could not initialize class jcuda.driver.JCudaDriver",
                NativeLibs.explain(again, "the driver binding"));
    }
}
