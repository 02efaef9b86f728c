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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Contiguous F32 {@code a.add(b)} over {@value #ELEMENTS} elements: memory-bound, at least 12 bytes
 * moved per element (two 4-byte reads, one 4-byte write), which {@link ResultsReport} turns into GB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBench {

    /** 16M floats: 64 MiB per operand, far beyond any cache. */
    public static final int ELEMENTS = 16 * 1024 * 1024;

    private Tensor a;
    private Tensor b;

    @Setup(Level.Trial)
    public void setUp() {
        Generator g = new Generator(7);
        a = Tensor.randn(g, ELEMENTS);
        b = Tensor.randn(g, ELEMENTS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
    }

    @Benchmark
    public void add(Blackhole bh) {
        try (Tensor c = a.add(b)) {
            bh.consume(c);
        }
    }
}
