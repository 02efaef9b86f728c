package dev.nabla.bench;

import java.util.List;

/**
 * Every benchmark that no section of the report interprets, as a plain time per call, so a new
 * benchmark class shows up in RESULTS.md on the next run before anyone writes its section.
 */
final class OtherSection {
    private OtherSection() {}

    /** Benchmark classes the other sections read. */
    private static final List<String> COVERED = List.of(
            "CeilingBench.", "MatmulBench.", "DjlMatmulBench.", "BandwidthBench.", "DjlBandwidthBench.",
            "OverheadBench.", "DjlOverheadBench.", "SingleThreadBench.", "MlpAutodiffBench.", "DjlMlpBench.",
            "HessianBench.", "OpenClBench.", "OtBench.", "NtkBench.", "EpBench.");

    static String render(Results r) {
        StringBuilder rows = new StringBuilder();
        for (String key : r.keys()) {
            if (COVERED.stream().anyMatch(key::startsWith)) continue;
            rows.append("| `").append(key).append("` | ").append(Fmt.duration(r.get(key))).append(" |\n");
        }
        if (rows.isEmpty()) return null;
        return "## Other benchmarks\n\nMeasured in the same run; no section of the report interprets them yet.\n\n"
                + "| Benchmark | Time per call |\n|---|---:|\n" + rows;
    }
}
