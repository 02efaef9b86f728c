package dev.nabla.cpu;

import dev.nabla.Device;
import dev.nabla.conformance.BackendConformance;
import java.util.List;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/** The whole backend conformance suite on the CPU backend; the report goes to target/conformance-cpu.md. */
class CpuConformanceTest {

    @TestFactory
    List<DynamicNode> conformance() {
        return BackendConformance.tests(Device.cpu());
    }
}
