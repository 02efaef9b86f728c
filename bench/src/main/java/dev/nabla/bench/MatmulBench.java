package dev.nabla.bench;

import dev.nabla.DType;
import dev.nabla.Device;
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
 * nabla's matmul on every {@link GemmCase}: square F32 products, the MLP's training shapes with the
 * transposed operands backward uses, a batched product, and F64. {@link ResultsReport} turns calls
 * per second into GFLOP/s and sets them beside {@link DjlMatmulBench} and numpy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages"})
public class MatmulBench {

    @Param({
        "n=256", "n=512", "n=1024", "n=2048",
        "128x784@784x256", "128x784@784x256^T", "256x128^T@128x784", "128x256@256x784",
        "128x256@256x10", "128x256@256x10^T", "10x128^T@128x256", "128x10@10x256",
        "64*64x64@64x64",
        "f64 n=512", "f64 n=1024",
    })
    public String shape;

    private Tensor aStorage;
    private Tensor bStorage;
    private Tensor a;
    private Tensor b;

    @Setup(Level.Trial)
    public void setUp() {
        GemmCase c = GemmCase.parse(shape);
        Generator g = new Generator(42);
        DType dt = c.f64() ? DType.F64 : DType.F32;
        aStorage = Tensor.randn(dt, Device.cpu(), g, c.aStorage());
        bStorage = Tensor.randn(dt, Device.cpu(), g, c.bStorage());
        a = c.transA() ? aStorage.mT() : aStorage;
        b = c.transB() ? bStorage.mT() : bStorage;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        aStorage.close();
        bStorage.close();
    }

    @Benchmark
    public void matmul(Blackhole bh) {
        // the CPU backend computes synchronously; closing returns the result's memory every call
        try (Tensor c = a.matmul(b)) {
            bh.consume(c);
        }
    }
}
