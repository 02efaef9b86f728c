package dev.nabla.bench;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.algo.CurvatureOperator;
import dev.nabla.algo.GaussNewton;
import dev.nabla.autodiff.Autodiff;
import dev.nabla.autodiff.Autodiff.HvpMode;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Losses;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
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
 * Hessian-vector products against gradients on the tour's model, as {@code Tour} and
 * {@code dev.nabla.algo.HessianSpectrum} use it: {@code Sequential(Linear 784-256, ReLU,
 * Linear 256-256, ReLU, Linear 256-10)} with PyTorch's initialization (seed 7, the tour's), mean
 * {@code Losses.crossEntropy} over a batch of 128 (the tour's batch), through
 * {@code Module.functionalCall}, F32 on the CPU. ({@link MlpAutodiffBench} measures the same sizes
 * with tanh and a hand-written loss.) The inputs are uniform in [0, 1) like pixels; the cost does
 * not depend on their values. Each call runs inside a {@link Scope}.
 *
 * <ul>
 *   <li>{@code gradient}: {@code Autodiff.grad(loss, params)}.</li>
 *   <li>{@code hvp}: {@code Autodiff.hvp(loss, params, v)}, forward-over-reverse (the default, and
 *       what HessianSpectrum uses).</li>
 *   <li>{@code hvpReverseOverReverse}: the same product by two reverse passes.</li>
 *   <li>{@code gaussNewton}: {@code GaussNewton.operator(...).apply(v)}: Jᵀ H_L J v.</li>
 * </ul>
 * The figure of merit is hvp / gradient: the price of one curvature product in gradients.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages"})
public class HessianBench {

    static final int BATCH = 128;

    private Sequential model;
    private Tensor x;
    private Tensor labels;
    private List<Tensor> params;
    private List<Tensor> v;
    private Function<List<Tensor>, Tensor> loss;
    private CurvatureOperator gaussNewton;

    @Setup(Level.Trial)
    public void setUp() {
        Generator g = new Generator(7);
        model = new Sequential(new Linear(784, 256, g), new ReLU(), new Linear(256, 256, g), new ReLU(), new Linear(256, 10, g));
        Generator data = new Generator(2024);
        x = Tensor.rand(DType.F32, Device.cpu(), data, BATCH, 784);
        try (Tensor u = Tensor.rand(DType.F32, Device.cpu(), data, BATCH); NoGrad ng = NoGrad.open()) {
            labels = u.mul(10.0).floor().clamp(0, 9).to(DType.I64);
        }
        params = new ArrayList<>();
        v = new ArrayList<>();
        try (NoGrad ng = NoGrad.open()) {
            for (Tensor p : model.parameterList()) {
                params.add(p.detach());
                v.add(Tensor.randn(DType.F32, Device.cpu(), data, p.shape()));
            }
        }
        loss = p -> Losses.crossEntropy(model.functionalCall(p, x), labels);
        gaussNewton = GaussNewton.operator(p -> model.functionalCall(p, x), z -> Losses.crossEntropy(z, labels), params);
        // a wrong model would measure nothing useful: the initial loss of 10 classes is near ln 10
        try (Scope s = Scope.open(); NoGrad ng = NoGrad.open()) {
            double l = loss.apply(params).item();
            if (!(l > 1.5 && l < 3.5)) throw new IllegalStateException("tour MLP initial loss " + l + ", expected about ln 10");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        v.forEach(Tensor::close);
        x.close();
        labels.close();
        model.close();
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
            bh.consume(Autodiff.hvp(loss, params, v));
        }
    }

    @Benchmark
    public void hvpReverseOverReverse(Blackhole bh) {
        try (Scope s = Scope.open()) {
            bh.consume(Autodiff.hvp(loss, params, v, HvpMode.REVERSE_OVER_REVERSE));
        }
    }

    @Benchmark
    public void gaussNewton(Blackhole bh) {
        try (Scope s = Scope.open()) {
            bh.consume(gaussNewton.apply(v));
        }
    }
}
