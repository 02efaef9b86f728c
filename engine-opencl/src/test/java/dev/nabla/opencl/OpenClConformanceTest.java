package dev.nabla.opencl;

import dev.nabla.Device;
import dev.nabla.conformance.BackendConformance;
import dev.nabla.spi.Backends;
import java.util.List;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The whole backend conformance suite on opencl:0 (PoCL in CI); the report goes to
 * target/conformance-opencl-0.md. Without OpenCL it is skipped with the reason, and under CI=true
 * that skip is a failure.
 */
class OpenClConformanceTest {

    @TestFactory
    List<DynamicNode> conformance() {
        OpenClAvailability.require((OpenClBackend) Backends.get("opencl"));
        return BackendConformance.tests(Device.opencl(0));
    }
}
