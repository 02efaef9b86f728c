package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.kernels.CudaBundle;
import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelType;
import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every kernel family, in every element type, was compiled by nvcc (the kernels module's build step)
 * to PTX and to cubins for sm_75 and sm_90 (and sm_80), from the sources now on the class path.
 * Skipped, with the reason, where nvcc is not on PATH.
 */
class BundleTest {

    @Test
    void everyKernelWasCompiledByNvccForSm75AndSm90() {
        boolean nvcc = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, "nvcc").canExecute()) nvcc = true;
        }
        assumeTrue(nvcc, "nvcc is not on PATH: the kernels were not compiled for sm_75/sm_90 (the backend would use NVRTC)");
        CudaBundle b = CudaBundle.standard();
        assertEquals(List.of("sm_75", "sm_80", "sm_90"), b.archs());
        int variants = 0;
        for (KernelFamily f : KernelFamily.values()) {
            for (KernelType t : f.types()) {
                assertNull(b.unavailableReason(f, t), f + "/" + t);
                for (int[] cc : new int[][] {{7, 5}, {9, 0}}) {
                    List<CudaBundle.Image> ims = b.images(f, t, cc[0], cc[1]);
                    assertEquals(CudaBundle.name(f, t) + ".sm_" + cc[0] + cc[1] + ".cubin", ims.get(0).label());
                    assertTrue(ims.get(1).ptx());
                }
                assertTrue(b.ptx(f, t).contains(".target sm_75"), "PTX for compute_75");
                variants++;
            }
        }
        assertEquals(31, variants);
        assertTrue(b.nvccVersion().contains("release"), b.nvccVersion());
    }
}
