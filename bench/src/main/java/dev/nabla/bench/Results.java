package dev.nabla.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What one {@code ./nabla bench} run measured: JMH's results (bench/target/jmh.json) as a time per
 * call per benchmark, keyed {@code Class.method} or {@code Class.method[param values]} (e.g.
 * {@code MatmulBench.matmul[n=1024]}), and numpy's seconds per call ({@code compare_numpy.py}'s
 * bench/target/numpy.json, keyed by its own names) when that file exists.
 */
final class Results {

    private final Map<String, Timing> jmh = new LinkedHashMap<>();
    private final Map<String, Double> numpy = new LinkedHashMap<>();
    /** Per JMH key, each secondary metric (an {@code @AuxCounters} field) as the largest value any iteration reported. */
    private final Map<String, Map<String, Double>> secondary = new LinkedHashMap<>();
    /** JMH's settings per benchmark class, for the header. */
    final Map<String, String> settings = new LinkedHashMap<>();
    String jdk = "?";
    String jmhVersion = "?";
    String numpyMeta = "";
    /** Benchmark classes whose figures were kept from an earlier run, with that run's file time. */
    final Map<String, String> keptClasses = new LinkedHashMap<>();

    Timing get(String key) {
        return jmh.get(key);
    }

    /**
     * The largest value a secondary metric (a JMH aux counter, e.g. NtkBench's {@code peakMiB})
     * took in any measured iteration of key: JMH sums EVENTS counters over iterations in its score,
     * so the raw per-iteration values are read instead. NaN when absent.
     */
    double secondaryMax(String key, String metric) {
        Map<String, Double> m = secondary.get(key);
        Double v = m == null ? null : m.get(metric);
        return v == null ? Double.NaN : v;
    }

    /** numpy's time per call for a compare_numpy.py name, as a Timing without error; null when absent. */
    Timing numpy(String key) {
        Double s = numpy.get(key);
        return s == null ? null : new Timing(s, Double.NaN);
    }

    boolean hasNumpy() {
        return !numpy.isEmpty();
    }

    boolean isEmpty() {
        return jmh.isEmpty();
    }

    /** Every JMH key, in run order. */
    List<String> keys() {
        return new ArrayList<>(jmh.keySet());
    }

    static Results load(Path jmhJson, Path numpyJson) throws IOException {
        return load(jmhJson, List.of(), numpyJson);
    }

    /**
     * This run's results, then those of earlier runs ({@code NABLA_BENCH_KEEP=1}, newest first) for
     * every benchmark class this run did not measure; a class is taken whole from one run, never mixed.
     */
    static Results load(Path jmhJson, List<Path> earlier, Path numpyJson) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Results r = new Results();
        for (JsonNode run : json.readTree(jmhJson.toFile())) r.add(run);
        Set<String> measured = new HashSet<>(r.settings.keySet());
        String jdk = r.jdk, jmhVersion = r.jmhVersion;
        for (Path file : earlier) {
            String when = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                    .format(Files.getLastModifiedTime(file).toInstant().atZone(ZoneOffset.UTC));
            for (JsonNode run : json.readTree(file.toFile())) {
                String cls = className(shortName(run.path("benchmark").asText()));
                if (measured.contains(cls)) continue;
                r.add(run);
                r.keptClasses.putIfAbsent(cls, when);
            }
            measured.addAll(r.settings.keySet());
        }
        r.jdk = jdk;
        r.jmhVersion = jmhVersion;
        if (Files.isRegularFile(numpyJson)) {
            try {
                JsonNode np = json.readTree(numpyJson.toFile());
                for (Iterator<Map.Entry<String, JsonNode>> it = np.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getValue().isNumber()) r.numpy.put(e.getKey(), e.getValue().asDouble());
                    else if (e.getKey().equals("_meta")) r.numpyMeta = e.getValue().asText();
                }
            } catch (IOException e) {
                System.err.println("ResultsReport: ignoring " + numpyJson + ": " + e.getMessage());
                r.numpy.clear();
            }
        }
        return r;
    }

    /** Adds one JMH run (tests build Results this way too). */
    void add(JsonNode run) {
        String name = shortName(run.path("benchmark").asText());
        StringJoiner params = new StringJoiner(",", "[", "]").setEmptyValue("");
        run.path("params").forEach(v -> params.add(v.asText()));
        JsonNode metric = run.path("primaryMetric");
        double score = metric.path("score").asDouble(Double.NaN);
        double error = metric.path("scoreError").isNumber() ? metric.path("scoreError").asDouble() : Double.NaN;
        double seconds = 1 / callsPerSecond(score, metric.path("scoreUnit").asText());
        double rel = Double.isFinite(error) && score != 0 ? Math.abs(error / score) : Double.NaN;
        jmh.put(name + params, new Timing(seconds, seconds * rel));
        for (Iterator<Map.Entry<String, JsonNode>> it = run.path("secondaryMetrics").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            double max = Double.NaN;
            for (JsonNode fork : e.getValue().path("rawData")) {
                for (JsonNode v : fork) if (v.isNumber() && !(v.asDouble() <= max)) max = v.asDouble();
            }
            if (Double.isNaN(max)) max = e.getValue().path("score").asDouble(Double.NaN);
            secondary.computeIfAbsent(name + params, k -> new LinkedHashMap<>()).put(e.getKey(), max);
        }
        jdk = run.path("jdkVersion").asText() + " (" + run.path("vmName").asText() + " " + run.path("vmVersion").asText() + ")";
        jmhVersion = run.path("jmhVersion").asText();
        String cls = className(name);
        settings.putIfAbsent(cls, run.path("warmupIterations").asInt() + " × " + run.path("warmupTime").asText()
                + " warmup, " + run.path("measurementIterations").asInt() + " × " + run.path("measurementTime").asText()
                + " measurement, " + run.path("forks").asInt() + " fork(s), " + run.path("threads").asInt() + " thread(s)");
    }

    /** Converts a JMH score in ops/s, ops/ms, … (throughput) or s/op, ms/op, … (time) to calls per second. */
    static double callsPerSecond(double score, String unit) {
        String[] parts = unit.split("/");
        if (parts[0].equals("ops")) return score / seconds(parts[1]);
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

    private static String className(String name) {
        return name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    }

    private static String shortName(String benchmark) {
        String prefix = Results.class.getPackageName() + ".";
        return benchmark.startsWith(prefix) ? benchmark.substring(prefix.length()) : benchmark;
    }
}
