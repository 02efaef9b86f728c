package dev.nabla.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
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
 * {@link BandwidthBench}'s ops in PyTorch (CPU, eager) through DJL, same shape [4096, 4096] F32,
 * intra-op threads = cores, each result closed in the call. DJL has no logsumexp, so that row has
 * no PyTorch figure; {@code copy} here is {@code torch.clone}. Same fork arguments as
 * {@link DjlMlpBench}: libtorch comes from the shaded native jar, never from the network.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
        "--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages",
        "-Dai.djl.offline=true",
        "-Dai.djl.default_engine=PyTorch",
        "--enable-native-access=ALL-UNNAMED"})
public class DjlBandwidthBench {

    private NDManager manager;
    private NDArray a;
    private NDArray b;

    @Setup(Level.Trial)
    public void setUp() {
        manager = DjlPeer.manager();
        JniUtils.setGradMode(false);
        Shape shape = new Shape(BandwidthBench.ROWS, BandwidthBench.COLS);
        manager.getEngine().setRandomSeed(7);
        a = manager.randomNormal(shape);
        b = manager.randomNormal(shape);
        System.out.println("DjlBandwidthBench: " + DjlPeer.describe(manager));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /** torch.clone: PyTorch's own copy (for reference; the ceiling is BandwidthBench.copy). */
    @Benchmark
    public void copy(Blackhole bh) {
        try (NDArray c = JniUtils.clone((PtNDArray) a)) {
            bh.consume(c);
        }
    }

    @Benchmark
    public void add(Blackhole bh) {
        try (NDArray c = a.add(b)) {
            bh.consume(c);
        }
    }

    @Benchmark
    public void mul(Blackhole bh) {
        try (NDArray c = a.mul(b)) {
            bh.consume(c);
        }
    }

    @Benchmark
    public void exp(Blackhole bh) {
        try (NDArray c = a.exp()) {
            bh.consume(c);
        }
    }

    @Benchmark
    public void tanh(Blackhole bh) {
        try (NDArray c = a.tanh()) {
            bh.consume(c);
        }
    }

    @Benchmark
    public void sigmoid(Blackhole bh) {
        try (NDArray c = JniUtils.sigmoid((PtNDArray) a)) {
            bh.consume(c);
        }
    }

    @Benchmark
    public void sum(Blackhole bh) {
        try (NDArray c = a.sum()) {
            bh.consume(c);
        }
    }

    @Benchmark
    public void amax(Blackhole bh) {
        try (NDArray c = a.max(new int[] {1})) {
            bh.consume(c);
        }
    }

    @Benchmark
    public void softmax(Blackhole bh) {
        try (NDArray c = a.softmax(1)) {
            bh.consume(c);
        }
    }
}
