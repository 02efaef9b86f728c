package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.spi.Backends;
import dev.nabla.spi.DeviceInfo;
import java.util.List;

/**
 * Whether the tests that need a GPU can run here. Without one they are skipped with the probe's
 * reason, in CI too (CI machines have no GPU); with NABLA_REQUIRE_CUDA=1 (set by ./nabla gpu-check)
 * a skip is a failure, so a GPU check can never pass by skipping.
 */
final class CudaAvailability {
    private CudaAvailability() {}

    static void require() {
        List<DeviceInfo> infos = Backends.get("cuda").probe();
        boolean ok = !infos.isEmpty() && infos.get(0).available();
        String why = infos.isEmpty() ? "no CUDA device" : infos.get(0).reason();
        if (!ok && "1".equals(System.getenv("NABLA_REQUIRE_CUDA"))) {
            fail("NABLA_REQUIRE_CUDA=1 but CUDA is unavailable: " + why);
        }
        assumeTrue(ok, () -> "CUDA unavailable: " + why);
    }
}
