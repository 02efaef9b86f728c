package dev.nabla.bench;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.Tensor;
import dev.nabla.spi.Backend;
import dev.nabla.spi.Backends;
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

/**
 * The shared kernels on an OpenCL device next to the CPU backend, F32, one call per operation with
 * the device synchronized inside it (so queued work is timed, not just enqueued):
 * <ul>
 *   <li>{@code gemm}: [512, 512] @ [512, 512], 2·512³ flops per call (GFLOP/s = ops/s · 0.268);</li>
 *   <li>{@code add}: 4M + 4M floats, at least 12 bytes per element moved (GB/s = ops/s · 0.0503);</li>
 *   <li>{@code sum}: all of 4M floats, at least 4 bytes per element (GB/s = ops/s · 0.0168);</li>
 *   <li>{@code softmax}: dim -1 of [1024, 1024], at least 8 bytes per element read and written
 *   (GB/s = ops/s · 0.00839).</li>
 * </ul>
 * {@code device} picks {@code cpu} or {@code opencl:0}; without OpenCL the opencl runs fail at setup.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar OpenClBench
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages", "--enable-native-access=ALL-UNNAMED"})
public class OpenClBench {
    public static final int N = 512;
    public static final int ELEMENTS = 4 * 1024 * 1024;
    public static final int ROWS = 1024;

    @Param({"cpu", "opencl:0"})
    public String device;

    private Device dev;
    private Backend backend;
    private Tensor ma, mb, a, b, rows;

    @Setup(Level.Trial)
    public void setUp() {
        dev = Device.parse(device);
        backend = Backends.get(dev.kind());
        Generator g = new Generator(11);
        ma = Tensor.randn(DType.F32, dev, g, N, N);
        mb = Tensor.randn(DType.F32, dev, g, N, N);
        a = Tensor.randn(DType.F32, dev, g, ELEMENTS);
        b = Tensor.randn(DType.F32, dev, g, ELEMENTS);
        rows = Tensor.randn(DType.F32, dev, g, ROWS, ROWS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Tensor t : new Tensor[] {ma, mb, a, b, rows}) t.close();
    }

    private void done(Tensor t) {
        backend.sync(dev.index());
        t.close();
    }

    @Benchmark
    public void gemm() { done(ma.matmul(mb)); }

    @Benchmark
    public void add() { done(a.add(b)); }

    @Benchmark
    public void sum() { done(a.sum()); }

    @Benchmark
    public void softmax() { done(rows.softmax(-1)); }
}
