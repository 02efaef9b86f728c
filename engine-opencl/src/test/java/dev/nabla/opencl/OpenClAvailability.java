package dev.nabla.opencl;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.spi.DeviceInfo;
import java.util.List;

/**
 * Whether the OpenCL tests can run here. Without a device they are skipped with the reason, except
 * under CI=true, where a skipped OpenCL suite fails the run: CI installs PoCL precisely so that
 * these tests run.
 */
final class OpenClAvailability {
    private OpenClAvailability() {}

    static void require(OpenClBackend be) {
        List<DeviceInfo> infos = be.probe();
        boolean ok = !infos.isEmpty() && infos.get(0).available();
        String why = infos.isEmpty() ? "no OpenCL device" : infos.get(0).reason();
        if (!ok && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true but OpenCL is unavailable, so the OpenCL suite would be skipped: " + why);
        }
        assumeTrue(ok, () -> "OpenCL unavailable: " + why);
    }
}
