package dev.nabla.conformance;

import dev.nabla.Device;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The conformance suite as JUnit 5 dynamic tests, for a backend module's test sources: one container
 * per op, one test per check (a failure fails it, a skip aborts it with the reason), then a last
 * test that writes the report to {@code target/conformance-<device>.md} and prints the table.
 *
 * <pre>{@code
 * class CpuConformanceTest {
 *     @TestFactory
 *     List<DynamicNode> conformance() { return BackendConformance.tests(Device.cpu()); }
 * }
 * }</pre>
 */
public final class BackendConformance {
    private BackendConformance() {}

    public static List<DynamicNode> tests(Device device) {
        return tests(device, Registry.all());
    }

    public static List<DynamicNode> tests(Device device, List<OpSpec> specs) {
        ConformanceRunner runner = new ConformanceRunner(device);
        Report report = new Report(device.toString());
        List<DynamicNode> nodes = new ArrayList<>();
        for (OpSpec s : specs) {
            List<DynamicTest> ts = new ArrayList<>();
            for (ConformanceRunner.Check c : runner.checks(s)) ts.add(test(c, report));
            nodes.add(DynamicContainer.dynamicContainer(s.name(), ts));
        }
        List<DynamicTest> random = new ArrayList<>();
        for (ConformanceRunner.Check c : RandomStreams.checks(runner)) random.add(test(c, report));
        nodes.add(DynamicContainer.dynamicContainer("random streams", random));
        nodes.add(DynamicTest.dynamicTest("report", () -> {
            Path out = Path.of("target", "conformance-" + device.toString().replace(':', '-') + ".md");
            try {
                Files.createDirectories(out.getParent());
                Files.writeString(out, report.markdown());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.out.println(report.text());
            System.out.println("conformance " + device + ": " + report.summary() + " (report: " + out.toAbsolutePath() + ")");
        }));
        return nodes;
    }

    private static DynamicTest test(ConformanceRunner.Check c, Report report) {
        return DynamicTest.dynamicTest(c.column() + " " + c.check(), () -> {
            Result r = c.run().get();
            report.add(r);
            if (r.status() == Result.Status.FAIL) Assertions.fail(r.toString());
            if (r.status() == Result.Status.SKIP) Assumptions.abort(r.detail());
        });
    }
}
