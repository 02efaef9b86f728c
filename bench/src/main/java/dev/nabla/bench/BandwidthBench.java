package dev.nabla.bench;

import dev.nabla.Generator;
import dev.nabla.Tensor;
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
 * Memory-bound F32 ops on {@value #ELEMENTS} elements (shape [{@value #ROWS}, {@value #COLS}],
 * 64 MiB per operand, far beyond any cache), each result closed in the call. {@link ResultsReport}
 * turns each time into GB/s, counting every byte an op must move once ({@link #BYTES_PER_ELEMENT}),
 * and sets it beside {@link DjlBandwidthBench} (PyTorch), numpy ({@code bench/compare_numpy.py}) and
 * {@link #copy}, the machine's copy bandwidth: {@code System.arraycopy} between two float[16M].
 * Two forks: whether a fork's heap gets transparent huge pages depends on how fragmented the
 * machine's memory is when it starts, and a streaming op's time differs by up to 2× between the
 * two cases, so one fork can land on either side.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages"})
public class BandwidthBench {

    public static final int ROWS = 4096;
    public static final int COLS = 4096;
    public static final int ELEMENTS = ROWS * COLS;

    /**
     * Bytes each op moves per element, each counted once: reads of every input plus the write of an
     * output of the input's size (reductions write a negligible output). softmax and logsumexp are
     * counted as one read (and softmax one write), although a two-pass kernel reads the row twice.
     */
    public static final java.util.Map<String, Integer> BYTES_PER_ELEMENT = orderedBytes();

    private static java.util.Map<String, Integer> orderedBytes() {
        java.util.Map<String, Integer> m = new java.util.LinkedHashMap<>();
        m.put("copy", 8);
        m.put("add", 12);
        m.put("mul", 12);
        m.put("exp", 8);
        m.put("tanh", 8);
        m.put("sigmoid", 8);
        m.put("sum", 4);
        m.put("amax", 4);
        m.put("logsumexp", 4);
        m.put("softmax", 8);
        return java.util.Collections.unmodifiableMap(m);
    }

    private Tensor a;
    private Tensor b;
    private float[] src;
    private float[] dst;

    @Setup(Level.Trial)
    public void setUp() {
        Generator g = new Generator(7);
        a = Tensor.randn(g, ROWS, COLS);
        b = Tensor.randn(g, ROWS, COLS);
        src = new float[ELEMENTS];
        dst = new float[ELEMENTS];
        java.util.Arrays.fill(src, 1.5f);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
    }

    /** The copy ceiling: 4 bytes read and 4 written per element, no engine involved. */
    @Benchmark
    public void copy(Blackhole bh) {
        System.arraycopy(src, 0, dst, 0, ELEMENTS);
        bh.consume(dst);
    }

    @Benchmark
    public void add(Blackhole bh) {
        try (Tensor c = a.add(b)) {
            bh.consume(c);
        }
    }

    @Benchmark
    public void mul(Blackhole bh) {
        try (Tensor c = a.mul(b)) {
            bh.consume(c);
        }
    }

    @Benchmark
    public void exp(Blackhole bh) {
        try (Tensor c = a.exp()) {
            bh.consume(c);
        }
    }

    @Benchmark
    public void tanh(Blackhole bh) {
        try (Tensor c = a.tanh()) {
            bh.consume(c);
        }
    }

    @Benchmark
    public void sigmoid(Blackhole bh) {
        try (Tensor c = a.sigmoid()) {
            bh.consume(c);
        }
    }

    /** The sum of all elements. */
    @Benchmark
    public void sum(Blackhole bh) {
        try (Tensor c = a.sum()) {
            bh.consume(c);
        }
    }

    /** Max over the last dim: [4096, 4096] to [4096]. */
    @Benchmark
    public void amax(Blackhole bh) {
        try (Tensor c = a.amax(1)) {
            bh.consume(c);
        }
    }

    @Benchmark
    public void logsumexp(Blackhole bh) {
        try (Tensor c = a.logsumexp(1)) {
            bh.consume(c);
        }
    }

    @Benchmark
    public void softmax(Blackhole bh) {
        try (Tensor c = a.softmax(1)) {
            bh.consume(c);
        }
    }
}
