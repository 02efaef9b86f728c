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
 * The scaling baseline: {@link MatmulBench}'s n = 1024 and {@link BandwidthBench}'s add on 16M
 * floats with nabla's CPU backend held to one thread ({@code -Dnabla.cpu.threads=1}, set when the
 * fork starts). {@link ResultsReport} divides by the all-cores figures for the speedup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages", "-Dnabla.cpu.threads=1"})
public class SingleThreadBench {

    public static final int GEMM_N = 1024;

    private Tensor a;
    private Tensor b;
    private Tensor x;
    private Tensor y;

    @Setup(Level.Trial)
    public void setUp() {
        Generator g = new Generator(42);
        a = Tensor.randn(g, GEMM_N, GEMM_N);
        b = Tensor.randn(g, GEMM_N, GEMM_N);
        x = Tensor.randn(g, BandwidthBench.ROWS, BandwidthBench.COLS);
        y = Tensor.randn(g, BandwidthBench.ROWS, BandwidthBench.COLS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        x.close();
        y.close();
    }

    @Benchmark
    public void matmul(Blackhole bh) {
        try (Tensor c = a.matmul(b)) {
            bh.consume(c);
        }
    }

    @Benchmark
    public void add(Blackhole bh) {
        try (Tensor c = x.add(y)) {
            bh.consume(c);
        }
    }
}
