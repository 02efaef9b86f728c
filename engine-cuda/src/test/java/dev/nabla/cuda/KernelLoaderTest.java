package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.BackendUnavailableException;
import dev.nabla.kernels.BinaryCache;
import dev.nabla.kernels.CudaBundle;
import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where kernels come from (bundle, then NVRTC with its disk cache) and what a failure says. */
class KernelLoaderTest {
    private static final DeviceInfoCu SM86 = new DeviceInfoCu("test GPU", 8, 6, 84, 1L << 34, 12060, 0, 0, null, "NVRTC 12.6", null);

    /** A device that refuses every image with a JIT log, or accepts PTX only from the compiler. */
    private static final class Refusing extends RecordingApi {
        final List<String> offered = new ArrayList<>();
        Refusing() { super(1L << 20); }

        @Override
        public Object loadModule(byte[] image, boolean ptx) {
            offered.add(ptx ? "ptx" : "cubin");
            if (new String(image, StandardCharsets.UTF_8).startsWith("// compiled at run time")) return "module";
            throw new ModuleLoadException(222, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION",
                    "ptxas application ptx input, line 9; fatal   : Unsupported .version 9.0; current version is '8.5'");
        }
    }

    /** A stand-in for NVRTC that counts its compilations. */
    private static class CountingCompiler implements RuntimeCompiler {
        int compiled;

        @Override public String version() { return "NVRTC 12.6"; }

        @Override public List<String> options(int cc) { return List.of("--gpu-architecture=compute_" + cc, "--fmad=false"); }

        @Override
        public Output compile(String source, String name, int cc) {
            compiled++;
            assertTrue(source.contains("prelude for CUDA"), "the CUDA prelude is part of the source");
            return new Output(("// compiled at run time: " + name).getBytes(StandardCharsets.UTF_8), true, options(cc));
        }
    }

    @Test
    void aBundledImageTheDriverRefusesFallsBackToNvrtcWhoseOutputIsCachedOnDisk(@TempDir Path dir) throws Exception {
        RecordingDevices.requireBundle();
        Refusing api = new Refusing();
        CountingCompiler nvrtc = new CountingCompiler();
        BinaryCache cache = new BinaryCache(dir);
        KernelLoader first = new KernelLoader(api, "cuda:0 (test GPU)", SM86, CudaBundle.standard(), nvrtc, null, cache);
        assertEquals("module", first.load(KernelFamily.UNARY, KernelType.F32));
        assertEquals(List.of("cubin", "ptx", "ptx"), api.offered, "the sm_80 cubin, the bundled PTX, then NVRTC's");
        assertEquals(1, nvrtc.compiled);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.filter(f -> f.getFileName().toString().matches("[0-9a-f]{64}\\.bin")).count());
        }
        KernelLoader second = new KernelLoader(api, "cuda:0 (test GPU)", SM86, CudaBundle.standard(), nvrtc, null, cache);
        assertEquals("module", second.load(KernelFamily.UNARY, KernelType.F32));
        assertEquals(1, nvrtc.compiled, "the second process-like loader reads the disk cache");
    }

    @Test
    void withoutNvrtcTheErrorListsEveryAttemptWithTheJitLog() {
        RecordingDevices.requireBundle();
        KernelLoader loader = new KernelLoader(new Refusing(), "cuda:0 (test GPU)", SM86, CudaBundle.standard(), null,
                "libnvrtc.so.12 could not be loaded (JCuda's NVRTC binding needs it)", new BinaryCache(Path.of("/nonexistent")));
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> loader.load(KernelFamily.REDUCE, KernelType.F64));
        String m = e.getMessage();
        assertTrue(m.startsWith("cuda:0 (test GPU): cannot load the kernels of reduce.kc for F64 (tried in order):"), m);
        assertTrue(m.contains("bundled reduce-f64.sm_80.cubin: CUDA_ERROR_UNSUPPORTED_PTX_VERSION:\nptxas application ptx input"), m);
        assertTrue(m.contains("bundled reduce-f64.ptx (compute_75): CUDA_ERROR_UNSUPPORTED_PTX_VERSION"), m);
        assertTrue(m.contains("Unsupported .version 9.0"), "the JIT log: " + m);
        assertTrue(m.contains("NVRTC: libnvrtc.so.12 could not be loaded"), m);
    }

    @Test
    void aKernelMissingFromTheBundleWithoutNvrtcIsAClearError() {
        KernelLoader loader = new KernelLoader(new RecordingApi(1L << 20), "cuda:0 (test GPU)", SM86, CudaBundle.empty(), null,
                "libnvrtc.so.12 could not be loaded (JCuda's NVRTC binding needs it)", new BinaryCache(Path.of("/nonexistent")));
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> loader.load(KernelFamily.GEMM, KernelType.I64));
        assertEquals("cuda:0 (test GPU): cannot load the kernels of gemm.kc for I64 (tried in order):\n"
                + "  - bundled binaries: no CUDA binaries were bundled (nvcc was not on PATH when the kernels module was built)\n"
                + "  - NVRTC: libnvrtc.so.12 could not be loaded (JCuda's NVRTC binding needs it)", e.getMessage());
    }

    @Test
    void anNvrtcCompileErrorCarriesItsLog() {
        RuntimeCompiler broken = new CountingCompiler() {
            @Override
            public Output compile(String source, String name, int cc) {
                throw new IllegalStateException("NVRTC 12.6 could not compile " + name + " (NVRTC_ERROR_COMPILATION):\n"
                        + name + "(12): error: identifier \"erfc\" is undefined");
            }
        };
        KernelLoader loader = new KernelLoader(new RecordingApi(1L << 20), "cuda:0 (test GPU)", SM86, CudaBundle.empty(), broken,
                null, new BinaryCache(Path.of("/nonexistent")));
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> loader.load(KernelFamily.UNARY, KernelType.F64));
        assertTrue(e.getMessage().contains("unary-f64.cu(12): error: identifier \"erfc\" is undefined"), e.getMessage());
    }

    @Test
    void theBundleOffersTheCubinOfTheDevicesArchitectureOrItsMajorThenPtx() {
        RecordingDevices.requireBundle();
        CudaBundle b = CudaBundle.standard();
        assertEquals(List.of("unary-f32.sm_90.cubin", "unary-f32.ptx (compute_75)"), labels(b, 9, 0));
        assertEquals(List.of("unary-f32.sm_80.cubin", "unary-f32.ptx (compute_75)"), labels(b, 8, 9));
        assertEquals(List.of("unary-f32.sm_75.cubin", "unary-f32.ptx (compute_75)"), labels(b, 7, 5));
        assertEquals(List.of("unary-f32.ptx (compute_75)"), labels(b, 12, 0), "Blackwell JITs the PTX");
        for (CudaBundle.Image im : b.images(KernelFamily.UNARY, KernelType.F32, 9, 0)) {
            assertFalse(im.bytes().length == 0);
            if (!im.ptx()) assertEquals(0x7f, im.bytes()[0], "a cubin is an ELF file");
        }
        assertInstanceOf(String.class, b.nvccVersion());
        assertSame(b, CudaBundle.standard());
    }

    private static List<String> labels(CudaBundle b, int major, int minor) {
        return b.images(KernelFamily.UNARY, KernelType.F32, major, minor).stream().map(CudaBundle.Image::label).toList();
    }
}
