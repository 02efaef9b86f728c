package dev.nabla.bench;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.algo.EquilibriumNetwork;
import dev.nabla.algo.EquilibriumPropagation;
import dev.nabla.algo.EquilibriumPropagation.Options;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Losses;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Sigmoid;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of equilibrium propagation against one of backprop, on the experiment's
 * network (issue 12): {@link EquilibriumNetwork} 784-256-256-10, steep sigmoid, independent
 * feedback, softmax readout, batch 50 (the paper's), F32 on the CPU, Adam. Phases run a fixed
 * number of steps (tolerance 0), so every call does the same work: T1 = 100 free steps (about
 * what the experiment's free phases take once trained; 15 to 25 at initialization), T2 = 20 steps
 * per nudged phase. Each call runs in a {@link Scope}; the learning rate is 0, so the weights, and
 * with them the work, stay the same.
 *
 * <ul>
 *   <li>{@code epStep} (per N): free phase, the nudged phases (N = 1: one; 2: β and −β; 4: β, −β
 *       and one complex phase, whose conjugate is implied), (∂F/∂θ)ᵀ dσ/dβ with the readout's
 *       gradient, Adam. N = 0 carries a forward-mode tangent through 20 steps instead.</li>
 *   <li>{@code recurrentBackpropStep}: the same 100 free steps, then 100 steps of δ ← δ + Jᵀδ + ∂L/∂u
 *       (one VJP each), the same parameter gradient, Adam: BP on the same
 *       network, the experiment's reference.</li>
 *   <li>{@code feedforwardBackpropStep}: the feedforward MLP 784-256-256-10 with sigmoid
 *       (nn.Sequential, PyTorch's initialization), cross-entropy, backward, Adam: what a
 *       non-recurrent network of the same size costs.</li>
 * </ul>
 * Figures of merit: epStep / feedforwardBackpropStep (the price of learning from the dynamics)
 * and epStep / recurrentBackpropStep.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages"})
public class EpBench {

    static final int BATCH = 50;
    static final Options FIXED = Options.defaults().withSteps(100, 20).withTolerance(0);

    /** The estimator, N nudges at β = 0.5: a state of its own, so only epStep runs once per N. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Estimator {
        @Param({"0", "1", "2", "4"})
        public int nudges;

        EquilibriumPropagation ep;

        @Setup(Level.Trial)
        public void setUp(EpBench b) {
            ep = new EquilibriumPropagation(b.net, FIXED.withNudges(nudges).withBeta(0.5));
        }
    }

    private Tensor x;
    private Tensor labels;
    private EquilibriumNetwork net;
    private EquilibriumPropagation rbp;
    private Optimizer epOpt;
    private Sequential mlp;
    private Optimizer mlpOpt;

    @Setup(Level.Trial)
    public void setUp() {
        Generator data = new Generator(2024);
        x = Tensor.rand(DType.F32, Device.cpu(), data, BATCH, 784);
        try (Tensor u = Tensor.rand(DType.F32, Device.cpu(), data, BATCH); NoGrad ng = NoGrad.open()) {
            labels = u.mul(10.0).floor().clamp(0, 9).to(DType.I64);
        }
        net = EquilibriumNetwork.builder(784, 256, 256, 10).feedbackAngle(90).seed(7).dtype(DType.F32).device(Device.cpu()).build();
        rbp = new EquilibriumPropagation(net, FIXED);
        epOpt = new Adam(net.parameters(), 0);
        Generator g = new Generator(7);
        mlp = new Sequential(new Linear(784, 256, g), new Sigmoid(), new Linear(256, 256, g), new Sigmoid(), new Linear(256, 10, g));
        mlpOpt = new Adam(mlp.parameterList(), 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        epOpt.close();
        mlpOpt.close();
        net.close();
        mlp.close();
        x.close();
        labels.close();
    }

    @Benchmark
    public double epStep(Estimator e) {
        try (Scope s = Scope.open()) {
            return e.ep.train(x, labels, epOpt).loss();
        }
    }

    @Benchmark
    public double recurrentBackpropStep() {
        try (Scope s = Scope.open()) {
            EquilibriumPropagation.Estimate e = rbp.recurrentBackprop(x, labels);
            rbp.apply(e, epOpt);
            return e.loss();
        }
    }

    @Benchmark
    public double feedforwardBackpropStep() {
        try (Scope s = Scope.open()) {
            Tensor loss = Losses.crossEntropy(mlp.forward(x), labels);
            loss.backward();
            mlpOpt.step();
            mlpOpt.zeroGrad();
            return loss.item();
        }
    }
}
