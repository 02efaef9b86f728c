package dev.nabla.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Turns JMH's JSON results into {@code bench/RESULTS.md}: each score converted from calls per
 * second into GFLOP/s (matmul, 2n³ flops a call) or GB/s (add, 12 bytes an element), with the
 * command and the machine; the autodiff benchmarks ({@link MlpAutodiffBench}, {@link DjlMlpBench})
 * get their own section of times per call and ratios checked against their targets; the bandwidth
 * ({@link BandwidthBench}, {@link DjlBandwidthBench}) and overhead ({@link OverheadBench},
 * {@link DjlOverheadBench}) benchmarks get sections of ratios against their peers. When
 * {@code numpy.json} (written by {@code bench/compare_numpy.py}) lies beside the JMH file, numpy's
 * figures join as columns and ratios. Run by {@code ./nabla bench} after the benchmarks:
 *
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar dev.nabla.bench.ResultsReport \
 *     bench/target/jmh.json bench/RESULTS.md "./nabla bench" "AMD EPYC" 0.15
 * }</pre>
 */
public final class ResultsReport {

    /** Work done by one benchmark call, in the unit its rate is reported in. */
    private record Work(double perCall, String rateUnit) {}

    private ResultsReport() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: ResultsReport <jmh.json> <RESULTS.md> <command> <cpu model> <load average before>");
            System.exit(2);
        }
        List<?> runs = (List<?>) JmhJson.parse(Files.readString(Path.of(args[0])));
        Map<String, Double> numpy = loadNumpy(Path.of(args[0]).toAbsolutePath().resolveSibling("numpy.json"));
        String report = render(runs, args[2], args[3], args[4], numpy);
        Files.writeString(Path.of(args[1]), report);
        System.out.print(report);
    }

    /**
     * numpy's seconds per call by name ({@code bench/compare_numpy.py}); its description (the
     * {@link #NUMPY_META} entry) goes to {@link #numpyMeta}. Empty when the file is absent or unreadable.
     */
    static Map<String, Double> loadNumpy(Path file) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) return out;
        try {
            Map<?, ?> m = (Map<?, ?>) JmhJson.parse(Files.readString(file));
            m.forEach((k, v) -> {
                if (v instanceof Number n) out.put(String.valueOf(k), n.doubleValue());
            });
            numpyMeta = m.get(NUMPY_META) instanceof String meta ? meta : "numpy";
        } catch (IOException | RuntimeException e) {
            System.err.println("ResultsReport: ignoring " + file + ": " + e);
            out.clear();
        }
        return out;
    }

    private static final String NUMPY_META = "_meta";
    private static String numpyMeta = "numpy";

    static String render(List<?> runs, String command, String cpuModel, String loadBefore) {
        return render(runs, command, cpuModel, loadBefore, Map.of());
    }

    static String render(List<?> runs, String command, String cpuModel, String loadBefore, Map<String, Double> numpy) {
        StringBuilder md = new StringBuilder();
        md.append("# nabla benchmark results\n\n");
        md.append("Written by `./nabla bench` (JMH, then `dev.nabla.bench.ResultsReport` on ")
          .append("`bench/target/jmh.json`); run it again to replace these numbers.\n\n");
        md.append("- Command: `").append(command).append("`\n");
        md.append("- Date: ")
          .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
          .append('\n');
        md.append("- Machine: ").append(cpuModel).append(", ")
          .append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
          .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
          .append("; 1-minute load average before the run: ").append(loadBefore)
          .append(" (other work on the machine shows up as noise)\n");
        if (!runs.isEmpty()) {
            Map<?, ?> first = (Map<?, ?>) runs.get(0);
            md.append("- JDK: ").append(first.get("jdkVersion")).append(" (")
              .append(first.get("vmName")).append(' ').append(first.get("vmVersion")).append(")\n");
            // benchmark classes may warm up and measure differently: one line per distinct setting
            Map<String, List<String>> settings = new LinkedHashMap<>();
            for (Object o : runs) {
                Map<?, ?> run = (Map<?, ?>) o;
                String setting = count(run.get("warmupIterations")) + " × " + run.get("warmupTime") + " warmup, "
                        + count(run.get("measurementIterations")) + " × " + run.get("measurementTime") + " measurement, "
                        + count(run.get("forks")) + " fork(s), " + count(run.get("threads")) + " thread(s)";
                String bench = shortName((String) run.get("benchmark"));
                String cls = bench.contains(".") ? bench.substring(0, bench.lastIndexOf('.')) : bench;
                List<String> classes = settings.computeIfAbsent(setting, k -> new ArrayList<>());
                if (!classes.contains(cls)) classes.add(cls);
            }
            md.append("- JMH ").append(first.get("jmhVersion")).append(": ");
            if (settings.size() == 1) {
                md.append(settings.keySet().iterator().next());
            } else {
                StringJoiner j = new StringJoiner("; ");
                settings.forEach((k, v) -> j.add(k + " (" + String.join(", ", v) + ")"));
                md.append(j);
            }
            md.append("; ± is JMH's 99.9% confidence half-width\n");
        }
        List<Map<?, ?>> kernels = new ArrayList<>();
        Map<String, Timing> mlp = new LinkedHashMap<>();
        Map<String, Timing> bandwidth = new LinkedHashMap<>();
        Map<String, Timing> overhead = new LinkedHashMap<>();
        for (Object o : runs) {
            Map<?, ?> run = (Map<?, ?>) o;
            String name = shortName((String) run.get("benchmark"));
            if (name.startsWith(NABLA_MLP) || name.startsWith(DJL_MLP)) {
                mlp.put(name, timing(run));
            } else if (name.startsWith(NABLA_BW) || name.startsWith(DJL_BW)) {
                bandwidth.put(name, timing(run));
            } else if (name.startsWith(NABLA_OVERHEAD) || name.startsWith(DJL_OVERHEAD)) {
                overhead.put(name, timing(run));
            } else {
                kernels.add(run);
            }
        }
        if (!kernels.isEmpty()) {
            md.append('\n');
            boolean withNumpy = !numpy.isEmpty();
            md.append("| Benchmark | Params | JMH score | Throughput | Time per call |")
              .append(withNumpy ? " numpy | nabla / numpy |\n" : "\n");
            md.append("|---|---|---:|---:|---:|").append(withNumpy ? "---:|---:|\n" : "\n");
            for (Map<?, ?> run : kernels) {
                md.append(row(run));
                if (withNumpy) md.append(numpyCells(run, numpy));
                md.append('\n');
            }
            md.append('\n');
            md.append("Work counted per call: `MatmulBench.matmul` 2n³ floating-point operations (F32, ")
              .append("[n, n] @ [n, n]); `ElementwiseBench.add` 12 bytes per element (two 4-byte reads, one ")
              .append("4-byte write) over ").append(String.format(Locale.ROOT, "%,d", ElementwiseBench.ELEMENTS))
              .append(" contiguous F32 elements. 1 GFLOP/s = 10⁹ flop/s, 1 GB/s = 10⁹ bytes/s.");
            if (!numpy.isEmpty()) {
                md.append(" numpy: the same work in ").append(numpyMeta)
                  .append(" (`bench/compare_numpy.py`, `bench/target/numpy.json`, run after JMH); nabla / numpy is ")
                  .append("the throughput ratio, above 1 when nabla is faster.");
            }
            md.append('\n');
        }
        if (!bandwidth.isEmpty()) {
            md.append('\n').append(bandwidthSection(bandwidth, numpy));
        }
        if (!overhead.isEmpty()) {
            md.append('\n').append(overheadSection(overhead));
        }
        if (!mlp.isEmpty()) {
            md.append('\n').append(autodiffSection(mlp));
        }
        return md.toString();
    }

    /** The numpy and ratio cells of a kernel row, or blanks when numpy has no such figure. */
    private static String numpyCells(Map<?, ?> run, Map<String, Double> numpy) {
        String benchmark = (String) run.get("benchmark");
        Map<?, ?> params = run.get("params") instanceof Map<?, ?> p ? p : Map.of();
        String key = null;
        if (benchmark.endsWith(".MatmulBench.matmul")) key = "matmul.f32.n=" + params.get("n");
        if (benchmark.endsWith(".ElementwiseBench.add")) key = "bandwidth.add";
        Double seconds = key == null ? null : numpy.get(key);
        Work work = work(benchmark, params);
        if (seconds == null || work == null) return " - | - |";
        Timing nabla = timing(run);
        Timing ratio = throughputRatio(nabla, new Timing(seconds, Double.NaN));
        return " " + significant(work.perCall() / seconds / 1e9) + " " + work.rateUnit() + " | "
               + ratioText(ratio) + " |";
    }

    // ---- bandwidth-bound ops and per-op overhead: nabla against PyTorch (DJL) and numpy -------

    private static final String NABLA_BW = "BandwidthBench.";
    private static final String DJL_BW = "DjlBandwidthBench.";
    private static final String NABLA_OVERHEAD = "OverheadBench.";
    private static final String DJL_OVERHEAD = "DjlOverheadBench.";

    /** a's throughput over b's (b's time over a's), errors propagated; an unknown error counts as none. */
    static Timing throughputRatio(Timing a, Timing b) {
        double r = b.seconds() / a.seconds();
        double ra = Double.isNaN(a.error()) ? Double.NaN : a.error() / a.seconds();
        double rb = Double.isNaN(b.error()) ? Double.NaN : b.error() / b.seconds();
        double rel = Double.isNaN(ra) && Double.isNaN(rb) ? Double.NaN
                : Math.hypot(Double.isNaN(ra) ? 0 : ra, Double.isNaN(rb) ? 0 : rb);
        return new Timing(r, Math.abs(r) * rel);
    }

    private static String ratioText(Timing r) {
        return r == null ? "-" : withError(r.seconds(), r.error() / Math.abs(r.seconds()));
    }

    private static String gbps(Timing t, double bytes) {
        if (t == null) return "-";
        return withError(bytes / t.seconds() / 1e9, t.error() / t.seconds());
    }

    static String bandwidthSection(Map<String, Timing> t, Map<String, Double> numpy) {
        double elements = BandwidthBench.ELEMENTS;
        StringBuilder md = new StringBuilder();
        md.append("## Bandwidth-bound ops (16M floats)\n\n");
        md.append("F32, shape [").append(BandwidthBench.ROWS).append(", ").append(BandwidthBench.COLS)
          .append("] (").append(String.format(Locale.ROOT, "%,d", BandwidthBench.ELEMENTS))
          .append(" elements, 64 MiB an operand); reductions over the last dim except `sum` (all elements). ")
          .append("GB/s counts each op's bytes once: every input read once, an output of the input's size ")
          .append("written once (reductions' outputs are negligible). The ceiling is `System.arraycopy` between two ")
          .append("float[16M] (`BandwidthBench.copy`, 8 B an element): the machine's copy bandwidth from the JVM. ")
          .append("nabla: `BandwidthBench`; PyTorch ").append(djlProperty("pytorch_version")).append(" through DJL ")
          .append(djlProperty("djl_version")).append(": `DjlBandwidthBench` (intra-op threads = cores)");
        if (!numpy.isEmpty()) md.append("; numpy: ").append(numpyMeta);
        md.append(". Ratios are throughput ratios, nabla over its peer: above 1 when nabla is faster.\n\n");

        Timing ceiling = t.get(NABLA_BW + "copy");
        double ceilingGbps = ceiling == null ? Double.NaN : 8 * elements / ceiling.seconds() / 1e9;
        boolean withNumpy = !numpy.isEmpty();
        md.append("| Op | B/elem | nabla time | nabla GB/s | of copy ceiling | PyTorch GB/s | nabla / PyTorch |")
          .append(withNumpy ? " numpy GB/s | nabla / numpy |\n" : "\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|").append(withNumpy ? "---:|---:|\n" : "\n");
        for (Map.Entry<String, Integer> e : BandwidthBench.BYTES_PER_ELEMENT.entrySet()) {
            String op = e.getKey();
            double bytes = e.getValue() * elements;
            Timing nabla = t.get(NABLA_BW + op);
            Timing torch = t.get(DJL_BW + op);
            Double np = numpy.get("bandwidth." + op);
            String label = op.equals("copy") ? "copy (ceiling: `System.arraycopy`; PyTorch `clone`, numpy `copyto`)" : "`" + op + "`";
            md.append("| ").append(label).append(" | ").append(e.getValue()).append(" | ")
              .append(nabla == null ? "-" : durationWithError(nabla)).append(" | ")
              .append(gbps(nabla, bytes)).append(" | ")
              .append(nabla == null || Double.isNaN(ceilingGbps) ? "-"
                      : String.format(Locale.ROOT, "%.0f%%", 100 * bytes / nabla.seconds() / 1e9 / ceilingGbps)).append(" | ")
              .append(gbps(torch, bytes)).append(" | ")
              .append(nabla == null || torch == null ? "-" : ratioText(throughputRatio(nabla, torch))).append(" |");
            if (withNumpy) {
                md.append(' ').append(np == null ? "-" : significant(bytes / np / 1e9)).append(" | ")
                  .append(nabla == null || np == null ? "-" : ratioText(throughputRatio(nabla, new Timing(np, Double.NaN))))
                  .append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
        md.append("DJL has no logsumexp, so that row has no PyTorch figure. numpy runs these ops on one thread ")
          .append("(BLAS threads do not apply), allocates every output afresh, and composes sigmoid, logsumexp and ")
          .append("softmax from several passes (`1/(1+exp(-x))`, max-shifted exp and sum), so its GB/s for those ")
          .append("rows are lower bounds of what a fused kernel would do. The copy row's ratios compare the JVM's ")
          .append("arraycopy with PyTorch's and numpy's copies. Reductions only read, and reading alone can go faster ")
          .append("than copying, so their share of the copy ceiling may pass 100%.\n");
        return md.toString();
    }

    static String overheadSection(Map<String, Timing> t) {
        int n = OverheadBench.CHAIN;
        StringBuilder md = new StringBuilder();
        md.append("## Overhead (").append(n).append(" small elementwise ops)\n\n");
        md.append("A chain of ").append(n).append(" ops, add and mul with a second tensor alternating, on ")
          .append(String.format(Locale.ROOT, "%,d", OverheadBench.SIZE))
          .append("-element F32 tensors, every intermediate closed once the next exists: the arithmetic is ")
          .append("negligible, the time is dispatch, checks and allocation. nabla: `OverheadBench.chain`; PyTorch ")
          .append(djlProperty("pytorch_version")).append(" through DJL: `DjlOverheadBench.chain`. Per op = chain / ")
          .append(n).append(".\n\n");
        md.append("| Engine | Chain of ").append(n).append(" | Per op |\n");
        md.append("|---|---:|---:|\n");
        Timing nabla = t.get(NABLA_OVERHEAD + "chain");
        Timing torch = t.get(DJL_OVERHEAD + "chain");
        for (Object[] r : new Object[][] {{"nabla", nabla}, {"PyTorch (DJL)", torch}}) {
            Timing v = (Timing) r[1];
            md.append("| ").append(r[0]).append(" | ").append(v == null ? "not measured" : durationWithError(v))
              .append(" | ").append(v == null ? "-" : durationWithError(new Timing(v.seconds() / n, v.error() / n)))
              .append(" |\n");
        }
        md.append('\n');
        md.append("Time per op, nabla / PyTorch: ")
          .append(nabla == null || torch == null ? "not measured" : ratioText(throughputRatio(torch, nabla)))
          .append(" (below 1 when nabla's per-op overhead is smaller).\n");
        return md.toString();
    }

    // ---- autodiff: the MLP benchmarks, nabla against PyTorch through DJL ----------------------

    private static final String NABLA_MLP = "MlpAutodiffBench.";
    private static final String DJL_MLP = "DjlMlpBench.";

    /** Seconds per call and its absolute error (JMH's 99.9% half-width; NaN when unknown). */
    record Timing(double seconds, double error) {
        Timing minus(Timing o) {
            return new Timing(seconds - o.seconds, Math.hypot(error, o.error));
        }

        /** The ratio, its error propagated as for independent measurements. */
        Timing over(Timing o) {
            double r = seconds / o.seconds;
            return new Timing(r, Math.abs(r) * Math.hypot(error / seconds, o.error / o.seconds));
        }
    }

    private static Timing timing(Map<?, ?> run) {
        Map<?, ?> metric = (Map<?, ?>) run.get("primaryMetric");
        double score = number(metric.get("score"));
        double error = number(metric.get("scoreError"));
        double seconds = 1 / callsPerSecond(score, (String) metric.get("scoreUnit"));
        double rel = Double.isFinite(error) && score != 0 ? Math.abs(error / score) : Double.NaN;
        return new Timing(seconds, seconds * rel);
    }

    static String autodiffSection(Map<String, Timing> t) {
        String torch = "PyTorch " + djlProperty("pytorch_version") + " (DJL " + djlProperty("djl_version") + ")";
        StringBuilder md = new StringBuilder();
        md.append("## Autodiff (MLP 784-256-256-10, batch 128, F32)\n\n");
        md.append("The model: three `nn.Linear`-style layers (weights `[out, in]`, PyTorch's default uniform init), ")
          .append("tanh between them, mean cross-entropy through `logSoftmax(1)` and `gather`; ")
          .append(String.format(Locale.ROOT, "%,d", Mlp.parameterCount()))
          .append(" parameters, seeded inputs x[128, 784] and labels, the same numbers in both engines (`Mlp`). ")
          .append("nabla (`MlpAutodiffBench`) and ").append(torch)
          .append(" (`DjlMlpBench`, eager, CPU) run in the same JMH invocation, each benchmark in its own fork. ")
          .append("Threads: nabla's CPU pool and PyTorch's intra-op pool both use every core (")
          .append(Runtime.getRuntime().availableProcessors()).append(" here).\n\n");

        md.append("| Benchmark | Measures | Time per call |\n");
        md.append("|---|---|---:|\n");
        String[][] rows = {
            {NABLA_MLP + "forward", "the loss under NoGrad (no tape)"},
            {NABLA_MLP + "forwardWithTape", "the loss over parameters requiring grad: the tape is recorded, no backward"},
            {NABLA_MLP + "forwardBackward", "taped loss, then `Autodiff.grad(loss, params, null, false)`"},
            {"backward", "derived: forwardBackward − forwardWithTape"},
            {NABLA_MLP + "gradient", "`Autodiff.grad(f, params)` (functional)"},
            {NABLA_MLP + "hvp", "`Autodiff.hvp(f, params, vs)`, forward-over-reverse"},
            {NABLA_MLP + "hvpReverseOverReverse", "`Autodiff.hvp(…, REVERSE_OVER_REVERSE)`"},
            {NABLA_MLP + "trainingStep", "value and gradient, then SGD into new parameter tensors (old ones closed)"},
            {DJL_MLP + "forward", "PyTorch: the loss, autograd off"},
            {DJL_MLP + "forwardBackward", "PyTorch: zero grads, loss and backward in a GradientCollector"},
            {DJL_MLP + "trainingStep", "PyTorch: zero grads, loss, backward, in-place SGD `p -= lr·g`"},
        };
        Timing backward = derived(t, NABLA_MLP + "forwardBackward", NABLA_MLP + "forwardWithTape");
        for (String[] r : rows) {
            Timing v = r[0].equals("backward") ? backward : t.get(r[0]);
            md.append("| ").append(r[0].equals("backward") ? "backward (derived)" : r[0]).append(" | ").append(r[1])
              .append(" | ").append(v == null ? "not measured" : durationWithError(v)).append(" |\n");
        }
        md.append('\n');

        md.append("| Ratio | Value | Target | Result |\n");
        md.append("|---|---:|---:|---|\n");
        ratioRow(md, "backward / forward (nabla)", backward, t.get(NABLA_MLP + "forward"), 2, true);
        ratioRow(md, "backward / forwardWithTape (nabla)", backward, t.get(NABLA_MLP + "forwardWithTape"), 2, true);
        ratioRow(md, "hvp / gradient (forward-over-reverse)", t.get(NABLA_MLP + "hvp"), t.get(NABLA_MLP + "gradient"), 4, true);
        ratioRow(md, "hvpReverseOverReverse / gradient", t.get(NABLA_MLP + "hvpReverseOverReverse"),
                t.get(NABLA_MLP + "gradient"), 4, true);
        ratioRow(md, "trainingStep: nabla / PyTorch", t.get(NABLA_MLP + "trainingStep"), t.get(DJL_MLP + "trainingStep"), 1, false);
        ratioRow(md, "forward: nabla / PyTorch", t.get(NABLA_MLP + "forward"), t.get(DJL_MLP + "forward"), Double.NaN, false);
        ratioRow(md, "backward / forward (PyTorch: (forwardBackward − forward) / forward)",
                derived(t, DJL_MLP + "forwardBackward", DJL_MLP + "forward"), t.get(DJL_MLP + "forward"), Double.NaN, false);
        md.append('\n');
        md.append("Pass/fail compares the point estimate with the target; ± is propagated from JMH's 99.9% half-widths ")
          .append("as if the measurements were independent. The backward pass alone is forwardBackward − forwardWithTape. ")
          .append("The trainingStep target (nabla no slower than PyTorch) is reported here, not yet required. ")
          .append("A ± above a fifth of its value means the iterations disagreed (on a machine with few cores ")
          .append("PyTorch's OpenMP threads compete with the JVM's compiler and GC threads, and its times can ")
          .append("switch between two levels): read the iterations in `bench/target/jmh.json` and rerun before ")
          .append("trusting that ratio.\n");
        return md.toString();
    }

    private static Timing derived(Map<String, Timing> t, String a, String b) {
        Timing x = t.get(a);
        Timing y = t.get(b);
        return x == null || y == null ? null : x.minus(y);
    }

    private static void ratioRow(StringBuilder md, String name, Timing a, Timing b, double target, boolean required) {
        md.append("| ").append(name).append(" | ");
        if (a == null || b == null) {
            md.append("not measured | ");
        } else {
            Timing r = a.over(b);
            md.append(withError(r.seconds(), r.seconds() == 0 ? Double.NaN : r.error() / Math.abs(r.seconds()))).append(" | ");
        }
        if (Double.isNaN(target)) {
            md.append("- | for reference |\n");
            return;
        }
        md.append("≤ ").append(significant(target)).append(" | ");
        if (a == null || b == null) {
            md.append("- |\n");
        } else {
            boolean pass = a.over(b).seconds() <= target;
            md.append(pass ? "pass" : "fail").append(required ? "" : " (reported only)").append(" |\n");
        }
    }

    private static String durationWithError(Timing t) {
        double s = Math.abs(t.seconds());
        double scale = s >= 1 ? 1 : s >= 1e-3 ? 1e3 : 1e6;
        String unit = s >= 1 ? " s" : s >= 1e-3 ? " ms" : " µs";
        String v = significant(t.seconds() * scale);
        return Double.isNaN(t.error()) ? v + unit : v + " ± " + significant(t.error() * scale) + unit;
    }

    /** A version from pytorch-engine.properties (in benchmarks.jar), or "?" outside it. */
    private static String djlProperty(String key) {
        try (var in = ResultsReport.class.getResourceAsStream("/pytorch-engine.properties")) {
            if (in == null) return "?";
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty(key, "?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String row(Map<?, ?> run) {
        String benchmark = (String) run.get("benchmark");
        Map<?, ?> params = run.get("params") instanceof Map<?, ?> p ? p : Map.of();
        Map<?, ?> metric = (Map<?, ?>) run.get("primaryMetric");
        double score = number(metric.get("score"));
        double error = number(metric.get("scoreError"));
        String unit = (String) metric.get("scoreUnit");

        double callsPerSecond = callsPerSecond(score, unit);
        // a rate's relative error equals the time's relative error, to first order
        double relError = Double.isFinite(error) && score != 0 ? Math.abs(error / score) : Double.NaN;
        Work work = work(benchmark, params);

        StringJoiner paramText = new StringJoiner(", ").setEmptyValue("-");
        params.forEach((k, v) -> paramText.add(k + "=" + v));
        String rate = work == null ? "" : withError(callsPerSecond * work.perCall() / 1e9, relError) + " " + work.rateUnit();
        return "| " + shortName(benchmark) + " | " + paramText + " | " + withError(score, relError) + " " + unit
               + " | " + rate + " | " + duration(1 / callsPerSecond) + " |";
    }

    private static Work work(String benchmark, Map<?, ?> params) {
        if (benchmark.endsWith(".MatmulBench.matmul")) {
            double n = Double.parseDouble(String.valueOf(params.get("n")));
            return new Work(2 * n * n * n, "GFLOP/s");
        }
        if (benchmark.endsWith(".ElementwiseBench.add")) {
            return new Work(12.0 * ElementwiseBench.ELEMENTS, "GB/s");
        }
        return null;
    }

    /** Converts a JMH score in ops/s, ops/ms, … (throughput) or s/op, ms/op, … (time) to calls per second. */
    static double callsPerSecond(double score, String unit) {
        String[] parts = unit.split("/");
        if (parts[0].equals("ops")) {
            return score / seconds(parts[1]);
        }
        return 1 / (score * seconds(parts[0]));
    }

    private static double seconds(String unit) {
        return switch (unit) {
            case "s" -> 1;
            case "ms" -> 1e-3;
            case "us" -> 1e-6;
            case "ns" -> 1e-9;
            case "min" -> 60;
            default -> throw new IllegalArgumentException("unknown JMH time unit: " + unit);
        };
    }

    private static String withError(double value, double relError) {
        String v = significant(value);
        return Double.isNaN(relError) ? v : v + " ± " + significant(value * relError);
    }

    private static String significant(double v) {
        double a = Math.abs(v);
        String pattern = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3g";
        return String.format(Locale.ROOT, pattern, v);
    }

    private static String duration(double seconds) {
        if (seconds >= 1) {
            return significant(seconds) + " s";
        }
        if (seconds >= 1e-3) {
            return significant(seconds * 1e3) + " ms";
        }
        return significant(seconds * 1e6) + " µs";
    }

    private static String shortName(String benchmark) {
        String prefix = ResultsReport.class.getPackageName() + ".";
        return benchmark.startsWith(prefix) ? benchmark.substring(prefix.length()) : benchmark;
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN; // JMH writes "NaN" as a string
    }

    private static String count(Object o) {
        return o instanceof Number n ? String.valueOf(n.longValue()) : String.valueOf(o);
    }
}
