package dev.nabla.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Turns JMH's JSON results into {@code bench/RESULTS.md}: each score converted from calls per
 * second into GFLOP/s (matmul, 2n³ flops a call) or GB/s (add, 12 bytes an element), with the
 * command and the machine. Run by {@code ./nabla bench} after the benchmarks:
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
        String report = render(runs, args[2], args[3], args[4]);
        Files.writeString(Path.of(args[1]), report);
        System.out.print(report);
    }

    static String render(List<?> runs, String command, String cpuModel, String loadBefore) {
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
            md.append("- JMH ").append(first.get("jmhVersion")).append(": ")
              .append(count(first.get("warmupIterations"))).append(" × ").append(first.get("warmupTime"))
              .append(" warmup, ").append(count(first.get("measurementIterations"))).append(" × ")
              .append(first.get("measurementTime")).append(" measurement, ")
              .append(count(first.get("forks"))).append(" fork(s), ")
              .append(count(first.get("threads"))).append(" thread(s); ± is JMH's 99.9% confidence half-width\n");
        }
        md.append('\n');
        md.append("| Benchmark | Params | JMH score | Throughput | Time per call |\n");
        md.append("|---|---|---:|---:|---:|\n");
        for (Object o : runs) {
            md.append(row((Map<?, ?>) o)).append('\n');
        }
        md.append('\n');
        md.append("Work counted per call: `MatmulBench.matmul` 2n³ floating-point operations (F32, ")
          .append("[n, n] @ [n, n]); `ElementwiseBench.add` 12 bytes per element (two 4-byte reads, one ")
          .append("4-byte write) over ").append(String.format(Locale.ROOT, "%,d", ElementwiseBench.ELEMENTS))
          .append(" contiguous F32 elements. 1 GFLOP/s = 10⁹ flop/s, 1 GB/s = 10⁹ bytes/s.\n");
        return md.toString();
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
