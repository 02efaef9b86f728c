package dev.nabla.bench;

import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autodiff.Autodiff;
import dev.nabla.autodiff.Autodiff.HvpMode;
import dev.nabla.autodiff.Autodiff.ValueAndGrads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * nabla's autodiff on the MLP 784-256-256-10 (tanh, mean cross-entropy through logSoftmax and
 * gather), batch 128, F32 on the CPU; see {@link Mlp}. Each benchmark runs inside a {@link Scope},
 * so every tensor it creates is freed before the next call.
 *
 * <ul>
 *   <li>{@code forward}: the loss under {@link NoGrad} (no tape).</li>
 *   <li>{@code forwardWithTape}: the loss over parameters that require grad (the tape is recorded),
 *       no backward; {@code forwardBackward − forwardWithTape} is the backward pass alone.</li>
 *   <li>{@code forwardBackward}: the taped loss, then {@code Autodiff.grad(loss, params, null, false)}.</li>
 *   <li>{@code gradient}: the functional {@code Autodiff.grad(f, params)}.</li>
 *   <li>{@code hvp}, {@code hvpReverseOverReverse}: {@code Autodiff.hvp(f, params, vs)} in each mode.</li>
 *   <li>{@code trainingStep}: value and gradient, then SGD ({@code p - lr·g} under NoGrad) into new
 *       parameter tensors; the old ones are closed.</li>
 * </ul>
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages"})
public class MlpAutodiffBench {

    private Tensor x;
    private Tensor labels;
    /** Plain parameters: the inputs of the functional transforms. */
    private List<Tensor> params;
    /** Views of the same storage marked requiresGrad, for the tape-style benchmarks. */
    private List<Tensor> leaves;
    /** Directions for the Hessian-vector products, one per parameter. */
    private List<Tensor> vs;
    /** The parameters trainingStep updates (a fresh list of tensors after every call). */
    private List<Tensor> trained;
    private Function<List<Tensor>, Tensor> loss;
    private Mlp.Data data;

    @Setup(Level.Trial)
    public void setUp() {
        Mlp.Data d = data = Mlp.data();
        x = Tensor.of(d.x(), Mlp.BATCH, Mlp.WIDTHS[0]);
        labels = Tensor.of(d.labels(), Mlp.BATCH, 1);
        params = new ArrayList<>();
        leaves = new ArrayList<>();
        vs = new ArrayList<>();
        trained = new ArrayList<>();
        for (int i = 0; i < Mlp.SHAPES.size(); i++) {
            long[] shape = Mlp.SHAPES.get(i);
            Tensor p = Tensor.of(d.params().get(i), shape);
            params.add(p);
            leaves.add(p.detach().requiresGrad(true));
            vs.add(Tensor.randn(new dev.nabla.Generator(Mlp.SEED + 1 + i), shape));
        }
        loss = ps -> loss(ps, x, labels);
        // a wrong model would measure nothing useful: the initial loss of 10 classes is near ln 10
        try (Scope s = Scope.open(); NoGrad ng = NoGrad.open()) {
            double l = loss.apply(params).item();
            if (!(l > 1.5 && l < 3.5)) throw new IllegalStateException("MLP initial loss " + l + ", expected about ln 10");
        }
    }

    /**
     * Starts every iteration of trainingStep from the initial weights: a thousand SGD steps on one
     * batch would otherwise drive the loss and gradients toward zero (denormal floats are slow on
     * x86), and the time per step would drift with the number of steps taken.
     */
    @Setup(Level.Iteration)
    public void resetTrained() {
        trained.forEach(Tensor::close);
        trained.clear();
        for (int i = 0; i < Mlp.SHAPES.size(); i++) trained.add(Tensor.of(data.params().get(i), Mlp.SHAPES.get(i)));
    }

    /** Mean cross-entropy of the MLP over the batch; weights [out, in] as nn.Linear. */
    static Tensor loss(List<Tensor> p, Tensor x, Tensor labels) {
        Tensor h = x;
        int layers = p.size() / 2;
        for (int l = 0; l < layers; l++) {
            h = h.matmul(p.get(2 * l).mT()).add(p.get(2 * l + 1));
            if (l + 1 < layers) h = h.tanh();
        }
        return h.logSoftmax(1).gather(1, labels).mean().neg();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        x.close();
        labels.close();
        for (List<Tensor> ts : List.of(leaves, params, vs, trained)) ts.forEach(Tensor::close);
    }

    @Benchmark
    public void forward(Blackhole bh) {
        try (Scope s = Scope.open(); NoGrad ng = NoGrad.open()) {
            bh.consume(loss.apply(params));
        }
    }

    @Benchmark
    public void forwardWithTape(Blackhole bh) {
        try (Scope s = Scope.open()) {
            bh.consume(loss.apply(leaves));
        }
    }

    @Benchmark
    public void forwardBackward(Blackhole bh) {
        try (Scope s = Scope.open()) {
            Tensor l = loss.apply(leaves);
            bh.consume(Autodiff.grad(l, leaves, null, false));
            bh.consume(l);
        }
    }

    @Benchmark
    public void gradient(Blackhole bh) {
        try (Scope s = Scope.open()) {
            bh.consume(Autodiff.grad(loss, params));
        }
    }

    @Benchmark
    public void hvp(Blackhole bh) {
        try (Scope s = Scope.open()) {
            bh.consume(Autodiff.hvp(loss, params, vs));
        }
    }

    @Benchmark
    public void hvpReverseOverReverse(Blackhole bh) {
        try (Scope s = Scope.open()) {
            bh.consume(Autodiff.hvp(loss, params, vs, HvpMode.REVERSE_OVER_REVERSE));
        }
    }

    @Benchmark
    public void trainingStep(Blackhole bh) {
        List<Tensor> next = new ArrayList<>(trained.size());
        try (Scope s = Scope.open()) {
            ValueAndGrads vg = Autodiff.valueAndGrad(loss, trained);
            try (NoGrad ng = NoGrad.open()) {
                for (int i = 0; i < trained.size(); i++) {
                    next.add(s.keep(trained.get(i).sub(vg.grads().get(i).mul(Mlp.LR))));
                }
            }
            bh.consume(vg.value());
        }
        trained.forEach(Tensor::close);
        trained = next;
    }
}
