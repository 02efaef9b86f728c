package dev.nabla.bench;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.NoGrad;
import dev.nabla.Tensor;
import dev.nabla.algo.EmpiricalNtk;
import dev.nabla.algo.EmpiricalNtk.Method;
import dev.nabla.algo.EmpiricalNtk.Options;
import dev.nabla.algo.EmpiricalNtk.Outputs;
import dev.nabla.algo.NtkCost;
import dev.nabla.nn.Linear;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.spi.Backends;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * The empirical NTK of an MLP 784-256-10 ({@code Sequential(Linear, ReLU, Linear)}, PyTorch's
 * initialization, seed 7; P = 203,530) between two batches of 128 inputs (uniform in [0, 1) like
 * pixels), F32 on the CPU, with each method of {@link EmpiricalNtk} and with the automatic choice,
 * for the full kernel [128, 128, 10, 10] and for its trace over outputs [128, 128]
 * ({@code -p outputs=FULL|TRACE}). Default options: contraction holds at most 1 GiB of Jacobians
 * (a whole side's, 128 × 10 × P floats, is 1.04 GB, so it works in blocks of 64 samples and
 * recomputes x2's Jacobians once), the vector products run their JVPs over all 128 samples at once.
 *
 * <p>Each call is seconds long, so each is timed alone ({@code SingleShotTime}). Besides the time,
 * the secondary result {@code peakMiB} is the most device memory (the CPU backend's allocated
 * bytes, its high-water mark in this fork) above what the setup left allocated: what the method
 * itself needs. Each method runs in its own fork, so the mark is its own. JMH sums such counters
 * over iterations in its printed score; the report ({@link NtkSection}) reads the per-iteration
 * values. {@code auto} also reports which method the cost model picked (counters
 * {@code choseContraction}, {@code choseVectorProducts}).
 *
 * <pre>
 * ./nabla bench NtkBench                 # both outputs modes, 3 methods: about 4 minutes
 * ./nabla bench NtkBench -p outputs=FULL
 * </pre>
 *
 * The cost model's figures for this case are printed once per fork ({@link NtkCost}): for the
 * full kernel contraction 3.3e11 flops against 6.7e10 for the vector products, for the trace
 * 3.4e10 against 6.7e10.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages", "-Xmx6g"})
public class NtkBench {

    static final int SAMPLES = 128;

    @Param({"FULL", "TRACE"})
    public String outputs;

    private Sequential model;
    private Tensor x1;
    private Tensor x2;
    private Outputs kind;
    private long baseline;
    private NtkCost cost;

    /** The memory high-water mark above the setup's allocations, reported next to the time. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Memory {
        public double peakMiB;
    }

    /**
     * What AUTO ran, from the same cost model EmpiricalNtk consults: 1 for the method chosen, 0 for
     * the other (reported by {@link NtkSection}).
     */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Choice {
        public double choseContraction;
        public double choseVectorProducts;
    }

    @Setup(Level.Trial)
    public void setUp() {
        Generator g = new Generator(7);
        model = new Sequential(new Linear(784, 256, g), new ReLU(), new Linear(256, 10, g));
        Generator data = new Generator(2024);
        x1 = Tensor.rand(DType.F32, Device.cpu(), data, SAMPLES, 784);
        x2 = Tensor.rand(DType.F32, Device.cpu(), data, SAMPLES, 784);
        kind = Outputs.valueOf(outputs);
        cost = EmpiricalNtk.cost(model::functionalCall, model.parameterList(), x1, x2, kind, Options.defaults());
        System.out.println("NtkBench " + kind + ": " + cost);
        // a wrong kernel would time nothing useful: the two methods must agree on a corner of it
        try (NoGrad ng = NoGrad.open();
             Tensor a = EmpiricalNtk.kernel(model, x1.narrow(0, 0, 3), x2.narrow(0, 0, 2), kind, Method.JACOBIAN_CONTRACTION, Options.defaults());
             Tensor b = EmpiricalNtk.kernel(model, x1.narrow(0, 0, 3), x2.narrow(0, 0, 2), kind, Method.NTK_VECTOR_PRODUCTS, Options.defaults());
             Tensor d = a.sub(b).abs().amax()) {
            double scale = a.abs().amax().item();
            if (!(d.item() <= 1e-4 * scale)) throw new IllegalStateException("NtkBench: methods differ by " + d.item() + " of " + scale);
        }
        baseline = Backends.get("cpu").memoryStats(0).allocatedBytes();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        x1.close();
        x2.close();
        model.close();
    }

    private Tensor run(Method method, Memory memory) {
        Tensor k = EmpiricalNtk.kernel(model, x1, x2, kind, method, Options.defaults());
        memory.peakMiB = (Backends.get("cpu").memoryStats(0).peakBytes() - baseline) / (1024.0 * 1024.0);
        return k;
    }

    @Benchmark
    public double jacobianContraction(Memory memory) {
        try (Tensor k = run(Method.JACOBIAN_CONTRACTION, memory)) {
            return k.numel();
        }
    }

    @Benchmark
    public double ntkVectorProducts(Memory memory) {
        try (Tensor k = run(Method.NTK_VECTOR_PRODUCTS, memory)) {
            return k.numel();
        }
    }

    @Benchmark
    public double auto(Memory memory, Choice choice) {
        choice.choseContraction = cost.choice() == Method.JACOBIAN_CONTRACTION ? 1 : 0;
        choice.choseVectorProducts = cost.choice() == Method.NTK_VECTOR_PRODUCTS ? 1 : 0;
        try (Tensor k = run(Method.AUTO, memory)) {
            return k.numel();
        }
    }
}
