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
 * Per-op overhead: a chain of {@value #CHAIN} elementwise ops (add and mul with a second tensor,
 * alternating) on {@value #SIZE}-element F32 tensors, every intermediate closed as soon as the next
 * exists. The work per op is a few hundred nanoseconds of arithmetic at most, so the time is the
 * engine's dispatch, validation and allocation. {@link ResultsReport} divides by {@value #CHAIN}
 * and sets it beside {@link DjlOverheadBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages"})
public class OverheadBench {

    public static final int SIZE = 1000;
    public static final int CHAIN = 10;

    private Tensor x;
    private Tensor y;

    @Setup(Level.Trial)
    public void setUp() {
        Generator g = new Generator(3);
        x = Tensor.randn(g, SIZE);
        // near 1, so that the chain's values stay finite and normal
        try (Tensor r = Tensor.rand(g, SIZE)) {
            y = r.mul(0.01).add(0.995);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        x.close();
        y.close();
    }

    @Benchmark
    public void chain(Blackhole bh) {
        Tensor t = x.add(y);
        for (int i = 1; i < CHAIN; i++) {
            Tensor next = (i & 1) == 0 ? t.add(y) : t.mul(y);
            t.close();
            t = next;
        }
        bh.consume(t);
        t.close();
    }
}
