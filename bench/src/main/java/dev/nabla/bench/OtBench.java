package dev.nabla.bench;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.algo.OtOptions;
import dev.nabla.algo.OtResult;
import dev.nabla.algo.OtStep;
import dev.nabla.algo.Sinkhorn;
import dev.nabla.algo.SinkhornNewtonSparse;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * One Sinkhorn iteration and one Newton step of Sinkhorn-Newton-Sparse on the random assignment
 * problem of the SNS paper (costs uniform in [0, 1), uniform marginals, η = 1200, F64, CPU) at
 * n = 500, 1000 and 2000, from the state where SNS's marginal error first falls below 1e-5 (in its
 * Newton phase; computed once).
 * Both go through the public solvers, warm-started there, so each call also evaluates the start
 * and the result; the {@code ...Overhead} benchmarks measure exactly that (a solve of zero
 * iterations), and the step's own cost is the difference:
 * <ul>
 *   <li>Sinkhorn iteration = ({@code sinkhorn10} − {@code sinkhornOverhead}) / 10: two
 *       log-sum-exps over the n × n cost, O(n²);</li>
 *   <li>Newton step = {@code newtonStep} − {@code newtonOverhead}: the plan and its sums, the top
 *       entries SNS keeps at that point, 2n or 4n ({@code CsrMatrix.topK}), its transpose, preconditioned CG on sparse products,
 *       and the line search's trial plans. O(n²) too, with a larger constant; what makes SNS fast
 *       is how few of them it takes.</li>
 * </ul>
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages"})
public class OtBench {

    static final double ETA = 1200;
    /** The marginal error of the state both steps start from. */
    static final double WARM_ERROR = 1e-5;

    @Param({"500", "1000", "2000"})
    public int n;

    private Tensor cost;
    private Tensor marginal;
    private Tensor x0;
    private Tensor y0;
    private double sparsity;

    @Setup(Level.Trial)
    public void setUp() {
        cost = Tensor.rand(DType.F64, Device.cpu(), new Generator(2024), n, n);
        marginal = Tensor.full(DType.F64, Device.cpu(), 1.0 / n, n);
        // a state in SNS's Newton phase: where its steps run, and where one divides the error by a good factor
        // (right after the 20 warm-up steps a step may still be damped)
        OtResult warm = SinkhornNewtonSparse.solve(cost, marginal, marginal, ETA, OtOptions.defaults().withTol(WARM_ERROR).withMaxIterations(500));
        if (!(warm.marginalError() <= WARM_ERROR)) {
            throw new IllegalStateException("OtBench: SNS did not reach " + WARM_ERROR + " in 500 iterations: " + warm.marginalError());
        }
        x0 = warm.x();
        y0 = warm.y();
        // the entries SNS's Hessian kept by then (it doubles them when 2n prove too coarse), as λ
        long kept = warm.history().stream().filter(st -> st.phase() == OtStep.Phase.NEWTON).mapToLong(OtStep::nonzeros).max().orElse(2L * n);
        sparsity = (double) kept / ((double) n * n);
        warm.plan().close();
        // a wrong setup would time nothing useful: the step must be a Newton step the line search accepted (a
        // refused one is replaced by a Sinkhorn iteration)
        try (Scope s = Scope.open()) {
            OtResult one = newton(1);
            OtStep last = one.history().getLast();
            if (last.phase() != OtStep.Phase.NEWTON || !(one.marginalError() < one.history().getFirst().marginalError())) {
                throw new IllegalStateException("OtBench: no Newton step accepted: " + last + ", from "
                        + one.history().getFirst().marginalError());
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cost.close();
        marginal.close();
        x0.close();
        y0.close();
    }

    private OtResult sinkhorn(int iterations) {
        return Sinkhorn.solve(cost, marginal, marginal, ETA, OtOptions.defaults().withTol(0).withMaxIterations(iterations), x0, y0);
    }

    private OtResult newton(int iterations) {
        OtOptions o = OtOptions.defaults().withTol(0).withMaxIterations(iterations).withWarmupSteps(0).withSparsity(sparsity);
        return SinkhornNewtonSparse.solve(cost, marginal, marginal, ETA, o, x0, y0);
    }

    @Benchmark
    public void sinkhornOverhead(Blackhole bh) {
        try (Scope s = Scope.open()) {
            bh.consume(sinkhorn(0));
        }
    }

    @Benchmark
    public void sinkhorn10(Blackhole bh) {
        try (Scope s = Scope.open()) {
            bh.consume(sinkhorn(10));
        }
    }

    @Benchmark
    public void newtonOverhead(Blackhole bh) {
        try (Scope s = Scope.open()) {
            bh.consume(newton(0));
        }
    }

    @Benchmark
    public void newtonStep(Blackhole bh) {
        try (Scope s = Scope.open()) {
            bh.consume(newton(1));
        }
    }
}
