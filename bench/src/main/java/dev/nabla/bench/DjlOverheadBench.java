package dev.nabla.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
 * {@link OverheadBench}'s chain in PyTorch (CPU, eager) through DJL: {@value OverheadBench#CHAIN}
 * alternating add/mul ops on {@value OverheadBench#SIZE}-element F32 arrays, each intermediate
 * closed once the next exists.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
        "--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages",
        "-Dai.djl.offline=true",
        "-Dai.djl.default_engine=PyTorch",
        "--enable-native-access=ALL-UNNAMED"})
public class DjlOverheadBench {

    private NDManager manager;
    private NDArray x;
    private NDArray y;

    @Setup(Level.Trial)
    public void setUp() {
        manager = DjlPeer.manager();
        JniUtils.setGradMode(false);
        manager.getEngine().setRandomSeed(3);
        x = manager.randomNormal(new ai.djl.ndarray.types.Shape(OverheadBench.SIZE));
        y = manager.randomUniform(0.995f, 1.005f, new ai.djl.ndarray.types.Shape(OverheadBench.SIZE));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    @Benchmark
    public void chain(Blackhole bh) {
        NDArray t = x.add(y);
        for (int i = 1; i < OverheadBench.CHAIN; i++) {
            NDArray next = (i & 1) == 0 ? t.add(y) : t.mul(y);
            t.close();
            t = next;
        }
        bh.consume(t);
        t.close();
    }
}
