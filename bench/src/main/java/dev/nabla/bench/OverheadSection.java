package dev.nabla.bench;

/** Per-op overhead ({@link OverheadBench} beside {@link DjlOverheadBench}) and its target: at most 1 µs an op. */
final class OverheadSection {
    private OverheadSection() {}

    static String render(Results r, Targets targets) {
        int n = OverheadBench.CHAIN;
        Timing nabla = r.get("OverheadBench.chain");
        Timing torch = r.get("DjlOverheadBench.chain");
        StringBuilder md = new StringBuilder("## Overhead (").append(n).append(" small elementwise ops)\n\n");
        md.append("A chain of ").append(n).append(" ops, add and mul with a second tensor alternating, on ")
          .append(Fmt.count(OverheadBench.SIZE))
          .append("-element F32 tensors, every intermediate closed once the next exists: the arithmetic is a few ")
          .append("dozen nanoseconds, the rest is dispatch, checks and allocation. nabla: `OverheadBench.chain`; ")
          .append("PyTorch ").append(DjlPeer.pytorchVersion()).append(" through DJL: `DjlOverheadBench.chain`.\n\n");
        md.append("| Engine | Chain of ").append(n).append(" | Per op |\n|---|---:|---:|\n");
        for (Object[] row : new Object[][] {{"nabla", nabla}, {"PyTorch (DJL)", torch}}) {
            Timing v = (Timing) row[1];
            md.append("| ").append(row[0]).append(" | ").append(Fmt.duration(v)).append(" | ")
              .append(v == null ? "-" : Fmt.duration(v.divide(n))).append(" |\n");
        }
        if (nabla != null) {
            targets.atMost("per-op overhead, chain of " + n + " ops on " + OverheadBench.SIZE + " floats",
                    nabla.divide(n / 1e6), 1.0, " µs");
        }
        return md.toString();
    }
}
