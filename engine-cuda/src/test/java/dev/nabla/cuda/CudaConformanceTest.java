package dev.nabla.cuda;

import dev.nabla.Device;
import dev.nabla.conformance.BackendConformance;
import dev.nabla.spi.Backends;
import java.util.List;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The whole backend conformance suite on cuda:0; the report goes to target/conformance-cuda-0.md.
 * Without a GPU (this repository's CI) it is skipped with the probe's reason; under
 * NABLA_REQUIRE_CUDA=1 that skip is a failure.
 */
class CudaConformanceTest {

    @TestFactory
    List<DynamicNode> conformance() {
        if (Backends.get("cuda").probe().get(0).available()) return BackendConformance.tests(Device.cuda(0));
        // one test that reports as skipped, with the reason (or fails under NABLA_REQUIRE_CUDA=1)
        return List.of(DynamicTest.dynamicTest("conformance suite on cuda:0", CudaAvailability::require));
    }
}
