package dev.nabla.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one run's measurements into {@code bench/RESULTS.md} and the chart {@code bench/gemm.png}:
 * the targets first, then the machine's ceilings, GEMM, bandwidth-bound ops, overhead, scaling and
 * the autodiff/training-step figures, each beside its peers (PyTorch through DJL in the same JMH
 * run, numpy from {@code compare_numpy.py}). Run by {@code ./nabla bench} after the benchmarks:
 *
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar dev.nabla.bench.ResultsReport \
 *     bench/target/jmh.json bench/RESULTS.md "./nabla bench" "AMD EPYC" 0.15
 * }</pre>
 */
public final class ResultsReport {

    private ResultsReport() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: ResultsReport <jmh.json> <RESULTS.md> <command> <cpu model> <load average before>");
            System.exit(2);
        }
        Path jmh = Path.of(args[0]).toAbsolutePath();
        Path out = Path.of(args[1]).toAbsolutePath();
        // NABLA_BENCH_KEEP=1 ./nabla bench <regex>: the launcher moved earlier runs to bench/target/kept/
        List<Path> earlier = new java.util.ArrayList<>();
        Path kept = jmh.resolveSibling("kept");
        if (Files.isDirectory(kept)) {
            try (var files = Files.list(kept)) {
                files.filter(f -> f.getFileName().toString().endsWith(".json")).forEach(earlier::add);
            }
            earlier.sort(java.util.Comparator.comparing((Path f) -> f.getFileName().toString()).reversed());
        }
        Results results = Results.load(jmh, earlier, jmh.resolveSibling("numpy.json"));
        Ceilings ceilings = Ceilings.of(results);
        Path chart = out.resolveSibling("gemm.png");
        boolean charted = GemmChart.write(results, ceilings, chart);
        String report = render(results, ceilings, args[2], args[3], args[4], charted ? chart.getFileName().toString() : null);
        Files.writeString(out, report);
        System.out.print(report);
    }

    static String render(Results r, Ceilings ceilings, String command, String cpuModel, String loadBefore, String chart) {
        Targets targets = new Targets();
        Map<String, String> sections = new LinkedHashMap<>();
        sections.put("ceilings", ceilings.section());
        sections.put("gemm", GemmSection.render(r, ceilings, targets));
        sections.put("bandwidth", BandwidthSection.render(r, ceilings, targets));
        sections.put("overhead", OverheadSection.render(r, targets));
        sections.put("scaling", ScalingSection.render(r, targets));
        sections.put("autodiff", AutodiffSection.render(r, ceilings, targets));
        optional(sections, "hessian", HessianSection.render(r));
        optional(sections, "ot", OtSection.render(r));
        optional(sections, "ntk", NtkSection.render(r));
        optional(sections, "ep", EpSection.render(r));
        optional(sections, "opencl", OpenClSection.render(r));
        optional(sections, "other", OtherSection.render(r));

        StringBuilder md = new StringBuilder("# nabla benchmark results\n\n");
        md.append("Written by `./nabla bench` (JMH, then `bench/compare_numpy.py`, then `dev.nabla.bench.ResultsReport`); ")
          .append("run it again to replace these numbers. Raw data: `bench/target/jmh.json`, `bench/target/numpy.json`.\n\n");
        md.append("- Command: `").append(command).append("`\n");
        md.append("- Date: ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
          .append('\n');
        md.append("- Machine: ").append(cpuModel).append(", ").append(Runtime.getRuntime().availableProcessors())
          .append(" cores, ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
          .append("; 1-minute load average before the run: ").append(loadBefore).append('\n');
        md.append("- JDK: ").append(r.jdk).append("; every fork runs with `--add-modules jdk.incubator.vector ")
          .append("-XX:+UseTransparentHugePages` (the JVM flag the README recommends for nabla programs: 64 MiB arrays ")
          .append("on 4 KiB pages spend much of a streaming op in TLB misses)\n");
        if (!r.keptClasses.isEmpty()) {
            Map<String, List<String>> byRun = new java.util.TreeMap<>();
            r.keptClasses.forEach((cls, when) -> byRun.computeIfAbsent(when, k -> new java.util.ArrayList<>()).add(cls));
            md.append("- This run measured only some benchmarks (`NABLA_BENCH_KEEP=1`); figures kept from earlier runs:");
            byRun.forEach((when, classes) -> md.append(" ").append(String.join(", ", classes)).append(" (run finished ")
                    .append(when).append(");"));
            md.setLength(md.length() - 1);
            md.append("; a ratio between a class of this run and a kept one compares two runs\n");
        }
        md.append("- JMH ").append(r.jmhVersion).append(": ").append(settings(r)).append("; ± is JMH's 99.9% confidence half-width\n");
        if (chart != null) md.append("- Chart: `bench/").append(chart).append("` (square F32 GEMM, GFLOP/s against n)\n");
        md.append('\n').append(targets.section());
        for (String s : sections.values()) md.append('\n').append(s);
        return md.toString();
    }

    /** A section that renders only when its benchmarks ran (null otherwise). */
    private static void optional(Map<String, String> sections, String key, String section) {
        if (section != null) sections.put(key, section);
    }

    /** JMH's settings, one entry per distinct setting with the classes that used it. */
    private static String settings(Results r) {
        Map<String, List<String>> bySetting = new LinkedHashMap<>();
        r.settings.forEach((cls, s) -> bySetting.computeIfAbsent(s, k -> new java.util.ArrayList<>()).add(cls));
        if (bySetting.size() == 1) return bySetting.keySet().iterator().next();
        java.util.StringJoiner j = new java.util.StringJoiner("; ");
        bySetting.forEach((s, classes) -> j.add(s + " (" + String.join(", ", classes) + ")"));
        return j.toString();
    }
}
