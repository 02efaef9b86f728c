package dev.nabla.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
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
 * The reference for {@link MlpAutodiffBench}: the same MLP (784-256-256-10, tanh, mean
 * cross-entropy through log_softmax and gather, batch 128, F32, same data and initial weights
 * from {@link Mlp}) in PyTorch 2.7.1 (CPU) through DJL 0.36, eager mode.
 *
 * <ul>
 *   <li>{@code forward}: the loss with autograd off.</li>
 *   <li>{@code forwardBackward}: the loss and its backward pass inside a {@link GradientCollector}
 *       (gradients accumulate into each parameter's {@code .grad}, zeroed first, as in PyTorch).</li>
 *   <li>{@code trainingStep}: zero the grads, forward, backward, then SGD in place
 *       ({@code p -= lr·g}, autograd off), as {@code torch.optim.SGD}.</li>
 * </ul>
 *
 * <p>PyTorch's intra-op thread count is set to the number of cores, the thread count of nabla's
 * CPU backend (both read {@code availableProcessors()}). The fork runs with
 * {@code -Dai.djl.offline=true}: DJL copies libtorch out of the {@code pytorch-native-cpu} jar
 * shaded into {@code benchmarks.jar} into its cache ({@code ~/.djl.ai/pytorch}) and never
 * downloads anything.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {
        "--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages",
        // DJL must find libtorch in the class path (the shaded native-cpu jar), never on the network
        "-Dai.djl.offline=true",
        "-Dai.djl.default_engine=PyTorch",
        // JNI (libdjl_torch) and JNA load native code: allow it without JDK 25's warnings
        "--enable-native-access=ALL-UNNAMED"})
public class DjlMlpBench {

    private NDManager manager;
    private NDArray x;
    private NDArray labels;
    private List<NDArray> params = new ArrayList<>();
    private Mlp.Data data;

    @Setup(Level.Trial)
    public void setUp() {
        manager = DjlPeer.manager();
        data = Mlp.data();
        x = manager.create(data.x(), new Shape(Mlp.BATCH, Mlp.WIDTHS[0]));
        labels = manager.create(data.labels(), new Shape(Mlp.BATCH, 1));
        JniUtils.setGradMode(false);
        resetParams();
        System.out.println("DjlMlpBench: " + DjlPeer.describe(manager));
        try (NDManager sub = manager.newSubManager()) {
            attach(sub);
            float l = loss().getFloat();
            if (!(l > 1.5 && l < 3.5)) throw new IllegalStateException("MLP initial loss " + l + ", expected about ln 10");
        }
    }

    /**
     * The initial weights again, at the start of every iteration (as {@link MlpAutodiffBench}):
     * trainingStep's time must not drift as the loss on one batch goes to zero.
     */
    @Setup(Level.Iteration)
    public void resetParams() {
        params.forEach(NDArray::close);
        params.clear();
        for (int i = 0; i < Mlp.SHAPES.size(); i++) {
            NDArray p = manager.create(data.params().get(i), new Shape(Mlp.SHAPES.get(i)));
            p.setRequiresGradient(true);
            params.add(p);
        }
    }

    /**
     * Moves the inputs and parameters into sub until it closes: every array an op makes joins its
     * first operand's manager, so all of one call's temporaries (and the gradients read) go with sub.
     */
    private void attach(NDManager sub) {
        x.tempAttach(sub);
        labels.tempAttach(sub);
        for (NDArray p : params) p.tempAttach(sub);
    }

    /** Mean cross-entropy of the MLP over the batch; weights [out, in] as nn.Linear. */
    private NDArray loss() {
        NDArray h = x;
        int layers = params.size() / 2;
        for (int l = 0; l < layers; l++) {
            h = h.matMul(params.get(2 * l).transpose()).add(params.get(2 * l + 1));
            if (l + 1 < layers) h = h.tanh();
        }
        return h.logSoftmax(1).gather(labels, 1).mean().neg();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    @Benchmark
    public void forward(Blackhole bh) {
        try (NDManager sub = manager.newSubManager()) {
            attach(sub);
            bh.consume(loss());
        }
    }

    @Benchmark
    public void forwardBackward(Blackhole bh) {
        try (NDManager sub = manager.newSubManager()) {
            attach(sub);
            for (NDArray p : params) JniUtils.zeroGrad((PtNDArray) p);
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                NDArray l = loss();
                gc.backward(l);
                bh.consume(l);
            }
        }
    }

    @Benchmark
    public void trainingStep(Blackhole bh) {
        try (NDManager sub = manager.newSubManager()) {
            attach(sub);
            for (NDArray p : params) JniUtils.zeroGrad((PtNDArray) p);
            NDArray l;
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                l = loss();
                gc.backward(l);
            }
            // autograd is off again here: the update is not recorded
            for (NDArray p : params) {
                p.subi(p.getGradient().muli((float) Mlp.LR));
            }
            bh.consume(l);
        }
    }
}
