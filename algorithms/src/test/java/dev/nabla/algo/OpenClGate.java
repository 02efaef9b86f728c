package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.DeviceStatus;
import dev.nabla.spi.Backends;

/**
 * The gate of the algorithms' OpenCL tests: a test class is skipped when opencl:0 is unavailable,
 * except under CI=true, where CI installs PoCL and a missing device is a failure.
 */
final class OpenClGate {
    static final Device OPENCL = Device.opencl(0);

    private OpenClGate() {}

    /** Skips (or, under CI, fails) without opencl:0; returns whether it supports float64. */
    static boolean require() {
        return require(false);
    }

    /** As {@link #require()}, counting a device without float64 as unusable too. */
    static boolean require(boolean needF64) {
        DeviceStatus status = Device.probe().stream().filter(s -> s.device().equals(OPENCL)).findFirst().orElse(null);
        boolean available = status != null && status.available();
        boolean fp64 = available && Backends.get("opencl").supportedDTypes(0).contains(DType.F64);
        boolean ok = available && (fp64 || !needF64);
        String why = status == null ? "no OpenCL backend on the class path" : available ? "no float64" : status.reason();
        if (!ok && "true".equalsIgnoreCase(System.getenv("CI"))) fail("CI=true but opencl:0 is unusable here: " + why);
        assumeTrue(ok, () -> "opencl:0 unusable: " + why);
        return fp64;
    }
}
