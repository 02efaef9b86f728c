package dev.nabla.bench;

import java.util.Locale;

/**
 * {@link NtkBench} (issue 11): the empirical NTK of an MLP 784-256-10 over 128 × 128 inputs by each
 * method of {@code EmpiricalNtk} and by its automatic choice, with time and peak memory, and which
 * method the cost model picked. Rendered only when it ran.
 */
final class NtkSection {
    private NtkSection() {}

    /** The benchmark's model: P parameters, O outputs, N samples on each side. */
    private static final double P = 784 * 256 + 256 + 256 * 10 + 10, O = 10, N = NtkBench.SAMPLES;

    private static final String[][] METHODS = {
        {"jacobianContraction", "Jacobian contraction"},
        {"ntkVectorProducts", "NTK-vector products"},
        {"auto", "AUTO"},
    };

    static String render(Results r) {
        boolean any = false;
        for (String kind : new String[] {"FULL", "TRACE"}) {
            for (String[] m : METHODS) any |= r.get(key(m[0], kind)) != null;
        }
        if (!any) return null;
        StringBuilder md = new StringBuilder("## Empirical NTK (issue 11)\n\n");
        md.append("`NtkBench`: Θ(x₁, x₂) of `Sequential(Linear 784-256, ReLU, Linear 256-10)` (P = ")
          .append(Fmt.count((long) P)).append(", O = 10) between two batches of 128 inputs, F32 on the CPU, ")
          .append("default options (contraction holds at most 1 GiB of Jacobians, so it works in blocks). ")
          .append("Each call is timed alone (`SingleShotTime`). Peak memory is the CPU backend's high-water mark of ")
          .append("allocated bytes in the method's own fork, above what the setup left allocated: the Jacobians, ")
          .append("activations and tangents the method holds, and the result.\n\n");
        md.append("| Θ | Method | Model flops | Time per call | Peak memory |\n|---|---|---:|---:|---:|\n");
        for (String kind : new String[] {"FULL", "TRACE"}) {
            String shape = kind.equals("FULL") ? "full [128, 128, 10, 10]" : "trace [128, 128]";
            for (String[] m : METHODS) {
                String key = key(m[0], kind);
                Timing t = r.get(key);
                if (t == null) continue;
                String name = m[1];
                double flops = flops(m[0], kind);
                if (m[0].equals("auto")) {
                    String chose = chosen(r, key);
                    name = "AUTO → " + chose;
                    flops = chose.startsWith("Jacobian") ? flops("jacobianContraction", kind)
                            : chose.startsWith("NTK") ? flops("ntkVectorProducts", kind) : Double.NaN;
                }
                double peak = r.secondaryMax(key, "peakMiB");
                md.append("| ").append(shape).append(" | ").append(name).append(" | ")
                  .append(Double.isNaN(flops) ? "-" : String.format(Locale.ROOT, "%.3g", flops)).append(" | ")
                  .append(Fmt.duration(t)).append(" | ")
                  .append(Double.isNaN(peak) ? "-" : Fmt.sig(peak) + " MiB").append(" |\n");
            }
        }
        md.append("\nModel flops are the published cost model (Novak, Sohl-Dickstein and Schoenholz 2022) with a ")
          .append("forward pass [FP] = 2P: contraction 2N·O·[FP] + N²O²P (N²OP for the trace), NTK-vector products ")
          .append("N²O·[FP]. AUTO takes the smaller, unless one sample's Jacobian exceeds the memory budget.\n");
        return md.toString();
    }

    private static String key(String method, String kind) {
        return "NtkBench." + method + "[" + kind + "]";
    }

    /** What AUTO ran, from NtkBench's choice counters. */
    private static String chosen(Results r, String key) {
        if (r.secondaryMax(key, "choseContraction") > 0) return "Jacobian contraction";
        if (r.secondaryMax(key, "choseVectorProducts") > 0) return "NTK-vector products";
        return "?";
    }

    private static double flops(String method, String kind) {
        double fp = 2 * P, pairs = kind.equals("FULL") ? O * O : O;
        return switch (method) {
            case "jacobianContraction" -> 2 * N * O * fp + N * N * pairs * P;
            case "ntkVectorProducts" -> N * N * O * fp;
            default -> Double.NaN;
        };
    }
}
