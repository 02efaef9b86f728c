package dev.nabla.bench;

/**
 * {@link OpenClBench}: the shared OpenCL kernels (PoCL here: OpenCL on these same CPU cores) beside
 * the CPU backend, as GFLOP/s for the GEMM and GB/s for the streaming ops. Rendered only when it ran.
 */
final class OpenClSection {
    private OpenClSection() {}

    private static final String[][] OPS = {
        {"gemm", "[512, 512] @ [512, 512]"},
        {"add", "4M + 4M floats"},
        {"sum", "all of 4M floats"},
        {"softmax", "dim -1 of [1024, 1024]"},
    };

    /** Work per call, in 10⁹ flops (gemm) or 10⁹ bytes (the others), as OpenClBench's Javadoc counts it. */
    private static double work(String op) {
        return switch (op) {
            case "gemm" -> 2.0 * OpenClBench.N * OpenClBench.N * OpenClBench.N / 1e9;
            case "add" -> 12.0 * OpenClBench.ELEMENTS / 1e9;
            case "sum" -> 4.0 * OpenClBench.ELEMENTS / 1e9;
            default -> 8.0 * OpenClBench.ROWS * OpenClBench.ROWS / 1e9;
        };
    }

    static String render(Results r) {
        if (r.get("OpenClBench.gemm[opencl:0]") == null && r.get("OpenClBench.gemm[cpu]") == null) return null;
        StringBuilder md = new StringBuilder("## OpenCL kernels (issue 6)\n\n");
        md.append("`OpenClBench`: each call synchronizes the device, so queued work is timed. `opencl:0` is PoCL, ")
          .append("OpenCL compiled for these same CPU cores: the figures check that the shared kernels run, not ")
          .append("what they do on a GPU.\n\n");
        md.append("| Op | Work | cpu | opencl:0 | opencl / cpu |\n|---|---|---:|---:|---:|\n");
        for (String[] op : OPS) {
            String unit = op[0].equals("gemm") ? " GFLOP/s" : " GB/s";
            Timing cpu = r.get("OpenClBench." + op[0] + "[cpu]");
            Timing cl = r.get("OpenClBench." + op[0] + "[opencl:0]");
            md.append("| `").append(op[0]).append("` | ").append(op[1]).append(" | ")
              .append(cpu == null ? "-" : Fmt.value(cpu.rate(work(op[0]))) + unit).append(" | ")
              .append(cl == null ? "-" : Fmt.value(cl.rate(work(op[0]))) + unit).append(" | ")
              .append(cpu == null || cl == null ? "-" : Fmt.ratio(cl.speedupOver(cpu))).append(" |\n");
        }
        return md.toString();
    }
}
