package dev.nabla.bench;

import java.util.Map;

/**
 * Bandwidth-bound ops on 16M floats ({@link BandwidthBench}) beside PyTorch ({@link DjlBandwidthBench})
 * and numpy, as GB/s counting each op's bytes once, with the targets: each op at least 0.9× numpy,
 * and add at least 0.8× the machine's copy bandwidth.
 */
final class BandwidthSection {
    private BandwidthSection() {}

    static String render(Results r, Ceilings ceilings, Targets targets) {
        double elements = BandwidthBench.ELEMENTS;
        StringBuilder md = new StringBuilder("## Bandwidth-bound ops (16M floats)\n\n");
        md.append("F32, shape [").append(BandwidthBench.ROWS).append(", ").append(BandwidthBench.COLS).append("] (")
          .append(Fmt.count(BandwidthBench.ELEMENTS))
          .append(" elements, 64 MiB an operand), every result a fresh tensor closed in the call; reductions over ")
          .append("the last dim except `sum` (all elements). GB/s counts each op's bytes once: every input read once, ")
          .append("an output of the input's size written once (a reduction's output is negligible). Of copy: that ")
          .append("rate over the machine's copy bandwidth (").append(Fmt.sig(ceilings.copyBandwidth()))
          .append(" GB/s, see the ceilings). nabla: `BandwidthBench`; PyTorch ").append(DjlPeer.pytorchVersion())
          .append(" through DJL: `DjlBandwidthBench` (intra-op threads = cores)");
        if (r.hasNumpy()) md.append("; numpy: ").append(r.numpyMeta);
        md.append(".\n\n");
        md.append("| Op | B/elem | nabla time | nabla GB/s | of copy | PyTorch GB/s | numpy GB/s | nabla / PyTorch | nabla / numpy |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Integer> e : BandwidthBench.BYTES_PER_ELEMENT.entrySet()) {
            String op = e.getKey();
            if (op.equals("copy")) continue;   // the ceilings section has the copies
            double gbytes = e.getValue() * elements / 1e9;
            Timing n = r.get("BandwidthBench." + op);
            Timing t = r.get("DjlBandwidthBench." + op);
            Timing np = r.numpy("bandwidth." + op);
            md.append("| `").append(op).append("` | ").append(e.getValue()).append(" | ").append(Fmt.duration(n))
              .append(" | ").append(Fmt.value(n == null ? null : n.rate(gbytes))).append(" | ")
              .append(Fmt.percent(ceilings.fractionOfFloor(n, 0, gbytes))).append(" | ")
              .append(Fmt.value(t == null ? null : t.rate(gbytes))).append(" | ")
              .append(np == null ? "-" : Fmt.sig(gbytes / np.seconds())).append(" | ")
              .append(n == null || t == null ? "-" : Fmt.ratio(n.speedupOver(t))).append(" | ")
              .append(n == null || np == null ? "-" : Fmt.ratio(n.speedupOver(np))).append(" |\n");
            if (n != null) {
                targets.atLeast("`" + op + "` on 16M floats: nabla / numpy", np == null ? null : n.speedupOver(np), 0.9, "×");
                if (op.equals("add") && ceilings.copyBandwidth() > 0) {
                    Timing share = n.rate(gbytes / ceilings.copyBandwidth());
                    targets.atLeast("`add` on 16M floats: GB/s / copy bandwidth", share, 0.8, "×");
                }
            }
        }
        md.append('\n');
        md.append("DJL has no logsumexp, so that row has no PyTorch figure. numpy runs these ops on one thread, ")
          .append("allocates every output afresh (its first touch of a 64 MiB result page-faults), and composes ")
          .append("sigmoid, logsumexp and softmax from several passes. nabla's outputs come from its caching ")
          .append("allocator, so a closed 64 MiB result is reused without the JVM zeroing it again. An op that writes ")
          .append("moves more than it is credited with: every written cache line is first read (write-allocate), so ")
          .append("an add really moves 16 bytes per element and its ceiling is 12/16 of a copy that uses streaming ")
          .append("stores. Reductions only read, and reading alone can beat copying, so their share may pass 100%.\n");
        return md.toString();
    }
}
