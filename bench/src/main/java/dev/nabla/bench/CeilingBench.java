package dev.nabla.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's ceilings, measured once per run so every other figure can be read as a fraction of
 * its floor: the peak F32 FMA rate the Vector API reaches on one core and on all of them, and the
 * copy bandwidth between two 64 MiB arrays with one thread ({@code System.arraycopy}) and with one
 * thread per core (each copying its share). No engine is involved.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages"})
public class CeilingBench {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Iterations of the FMA loop per call: 12 independent FMAs of S.length() lanes each. */
    public static final int FMA_ITERATIONS = 1 << 16;
    /** Independent accumulators: more than FMA latency × FMA ports, so the loop is throughput-bound. */
    public static final int FMA_CHAINS = 12;

    /** Floating-point operations per {@link #fma} call (an FMA counts 2). */
    public static double fmaFlopsPerCall() {
        return 2.0 * FMA_CHAINS * S.length() * FMA_ITERATIONS;
    }

    private float[] src;
    private float[] dst;
    private ExecutorService pool;
    private int cores;

    @Setup(Level.Trial)
    public void setUp() {
        src = new float[BandwidthBench.ELEMENTS];
        dst = new float[BandwidthBench.ELEMENTS];
        java.util.Arrays.fill(src, 1.5f);
        cores = Runtime.getRuntime().availableProcessors();
        pool = Executors.newFixedThreadPool(Math.max(1, cores - 1));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.shutdownNow();
    }

    /** One core's FMA throughput: 12 chains of vector FMAs on registers, no memory traffic. */
    @Benchmark
    public float fma() {
        return fmaLoop();
    }

    /** The same on every core at once (JMH runs one copy per core; the report sums the rates). */
    @Benchmark
    @Threads(Threads.MAX)
    public float fmaAllCores() {
        return fmaLoop();
    }

    private static float fmaLoop() {
        FloatVector a = FloatVector.broadcast(S, 1.0000001f);
        FloatVector b = FloatVector.broadcast(S, 0.9999999f);
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int i = 0; i < FMA_ITERATIONS; i++) {
            c0 = a.fma(c0, b);
            c1 = a.fma(c1, b);
            c2 = a.fma(c2, b);
            c3 = a.fma(c3, b);
            c4 = a.fma(c4, b);
            c5 = a.fma(c5, b);
            c6 = a.fma(c6, b);
            c7 = a.fma(c7, b);
            c8 = a.fma(c8, b);
            c9 = a.fma(c9, b);
            c10 = a.fma(c10, b);
            c11 = a.fma(c11, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }

    /** Copy bandwidth from one thread: 4 bytes read and 4 written per element. */
    @Benchmark
    public float[] copy() {
        System.arraycopy(src, 0, dst, 0, src.length);
        return dst;
    }

    /**
     * The same copy as a Vector API loop with ordinary stores, on every core: what a kernel the JVM
     * compiles can reach. Java has no streaming (non-temporal) store, so each written cache line is
     * first read into the cache (write-allocate): this copy moves 12 bytes per element for the 8 it
     * is credited with, as an add moves 16 for its 12.
     */
    @Benchmark
    public float[] copyStoresAllCores() throws Exception {
        int n = src.length, share = (n + cores - 1) / cores;
        Future<?>[] parts = new Future<?>[cores - 1];
        for (int c = 1; c < cores; c++) {
            int from = c * share, to = Math.min(n, from + share);
            parts[c - 1] = pool.submit(() -> vectorCopy(src, dst, from, to));
        }
        vectorCopy(src, dst, 0, Math.min(n, share));
        for (Future<?> f : parts) f.get();
        return dst;
    }

    private static void vectorCopy(float[] from, float[] to, int start, int end) {
        int i = start;
        for (; i + S.length() <= end; i += S.length()) FloatVector.fromArray(S, from, i).intoArray(to, i);
        for (; i < end; i++) to[i] = from[i];
    }

    /** Copy bandwidth from every core, each copying a contiguous share. */
    @Benchmark
    public float[] copyAllCores() throws Exception {
        int n = src.length, share = (n + cores - 1) / cores;
        Future<?>[] parts = new Future<?>[cores - 1];
        for (int c = 1; c < cores; c++) {
            int from = c * share, len = Math.min(n, from + share) - from;
            parts[c - 1] = pool.submit(() -> System.arraycopy(src, from, dst, from, len));
        }
        System.arraycopy(src, 0, dst, 0, Math.min(n, share));
        for (Future<?> f : parts) f.get();
        return dst;
    }
}
