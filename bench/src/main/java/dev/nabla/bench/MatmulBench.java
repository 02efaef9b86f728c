package dev.nabla.bench;

import dev.nabla.Generator;
import dev.nabla.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Square F32 matmul {@code [n, n] @ [n, n]} on the default device: 2n³ floating-point operations
 * per call, which {@link ResultsReport} turns into GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatmulBench {

    @Param({"256", "512", "1024"})
    public int n;

    private Tensor a;
    private Tensor b;

    @Setup(Level.Trial)
    public void setUp() {
        Generator g = new Generator(42);
        a = Tensor.randn(g, n, n);
        b = Tensor.randn(g, n, n);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
    }

    @Benchmark
    public void matmul(Blackhole bh) {
        // the CPU backend computes synchronously; closing returns the result's memory every call
        try (Tensor c = a.matmul(b)) {
            bh.consume(c);
        }
    }
}
