package dev.nabla.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
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
 * {@link MatmulBench}'s cases in PyTorch (CPU, eager, {@code torch.matmul}) through DJL, intra-op
 * threads = cores. A transposed operand is {@code transpose} of a contiguous array: a strided view
 * in PyTorch, which hands BLAS a transpose flag, as nabla's packing reads the view's strides.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
        "--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages",
        "-Dai.djl.offline=true",
        "-Dai.djl.default_engine=PyTorch",
        "--enable-native-access=ALL-UNNAMED"})
public class DjlMatmulBench {

    @Param({
        "n=256", "n=512", "n=1024", "n=2048",
        "128x784@784x256", "128x784@784x256^T", "256x128^T@128x784", "128x256@256x784",
        "128x256@256x10", "128x256@256x10^T", "10x128^T@128x256", "128x10@10x256",
        "64*64x64@64x64",
        "f64 n=512", "f64 n=1024",
    })
    public String shape;

    private NDManager manager;
    private NDArray a;
    private NDArray b;

    @Setup(Level.Trial)
    public void setUp() {
        GemmCase c = GemmCase.parse(shape);
        manager = DjlPeer.manager();
        JniUtils.setGradMode(false);
        manager.getEngine().setRandomSeed(42);
        DataType dt = c.f64() ? DataType.FLOAT64 : DataType.FLOAT32;
        a = operand(manager.randomNormal(0, 1, new Shape(c.aStorage()), dt), c.transA());
        b = operand(manager.randomNormal(0, 1, new Shape(c.bStorage()), dt), c.transB());
        System.out.println("DjlMatmulBench: " + DjlPeer.describe(manager));
    }

    /** The stored array, or its last two axes swapped (a view). */
    private static NDArray operand(NDArray stored, boolean transposed) {
        if (!transposed) return stored;
        int r = stored.getShape().dimension();
        return stored.swapAxes(r - 2, r - 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    @Benchmark
    public void matmul(Blackhole bh) {
        try (NDArray c = a.matMul(b)) {
            bh.consume(c);
        }
    }
}
