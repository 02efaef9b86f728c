package dev.nabla.bench;

/**
 * Speedup on every core over one thread for GEMM at n = 1024 and add on 16M floats: the all-cores
 * figures of {@link MatmulBench} and {@link BandwidthBench} over {@link SingleThreadBench}'s; the
 * target is 1.7× on 2 cores. Beside add: the same ratio for the machine's copy, which bounds it.
 */
final class ScalingSection {
    private ScalingSection() {}

    static String render(Results r, Targets targets) {
        int cores = Runtime.getRuntime().availableProcessors();
        Timing gemm1 = r.get("SingleThreadBench.matmul");
        Timing gemmN = r.get("MatmulBench.matmul[n=" + SingleThreadBench.GEMM_N + "]");
        Timing add1 = r.get("SingleThreadBench.add");
        Timing addN = r.get("BandwidthBench.add");
        Timing copy1 = r.get("CeilingBench.copy");
        Timing copyN = r.get("CeilingBench.copyAllCores");
        StringBuilder md = new StringBuilder("## Scaling (").append(cores).append(" cores over one thread)\n\n");
        md.append("One thread: `SingleThreadBench`, a fork started with `-Dnabla.cpu.threads=1`; all cores: the same ")
          .append("work in `MatmulBench` (n = ").append(SingleThreadBench.GEMM_N).append(") and `BandwidthBench.add`. ")
          .append("The copy row is the machine's own: `CeilingBench.copy` over `copyAllCores`, what memory allows ")
          .append("a second thread to add to a stream.\n\n");
        md.append("| Work | One thread | ").append(cores).append(" cores | Speedup |\n|---|---:|---:|---:|\n");
        Object[][] rows = {
            {"matmul F32 n = " + SingleThreadBench.GEMM_N, gemm1, gemmN},
            {"add on 16M floats", add1, addN},
            {"copy 64 MiB (machine, no engine)", copy1, copyN},
        };
        for (Object[] row : rows) {
            Timing one = (Timing) row[1], all = (Timing) row[2];
            md.append("| ").append(row[0]).append(" | ").append(Fmt.duration(one)).append(" | ").append(Fmt.duration(all))
              .append(" | ").append(one == null || all == null ? "-" : Fmt.ratio(all.speedupOver(one))).append(" |\n");
        }
        if (gemm1 != null && gemmN != null) {
            targets.atLeast("scaling: matmul n = " + SingleThreadBench.GEMM_N + ", " + cores + " cores / 1 thread",
                    gemmN.speedupOver(gemm1), 1.7, "×");
        }
        if (add1 != null && addN != null) {
            targets.atLeast("scaling: add on 16M floats, " + cores + " cores / 1 thread", addN.speedupOver(add1), 1.7, "×");
        }
        return md.toString();
    }
}
