package dev.nabla.bench;

/**
 * {@link OtBench} (issue 10): one Sinkhorn iteration and one Newton step of Sinkhorn-Newton-Sparse
 * on the random assignment problem, each with the solver's fixed cost per call (its
 * {@code ...Overhead} benchmark) taken off. Rendered only when it ran.
 */
final class OtSection {
    private OtSection() {}

    private static final int[] SIZES = {500, 1000, 2000};

    static String render(Results r) {
        boolean any = false;
        for (int n : SIZES) any |= r.get(key("sinkhorn10", n)) != null || r.get(key("newtonStep", n)) != null;
        if (!any) return null;
        StringBuilder md = new StringBuilder("## Optimal transport steps (issue 10)\n\n");
        md.append("`OtBench`: the SNS paper's random assignment problem (costs uniform in [0, 1), uniform marginals, ")
          .append("η = ").append((long) OtBench.ETA).append(", F64 on the CPU) from the state where SNS's marginal error first falls below ")
          .append(String.format(java.util.Locale.ROOT, "%.0e", OtBench.WARM_ERROR)).append(" (its Newton phase). A Sinkhorn iteration is (`sinkhorn10` − `sinkhornOverhead`) / 10: two log-sum-exps over the ")
          .append("n × n cost. A Newton step is `newtonStep` − `newtonOverhead`: the plan and its sums, its largest entries (as many as SNS keeps there, 2n or more) ")
          .append("as a `CsrMatrix`, CG on sparse products, the line search's trial plans. Both are O(n²); ")
          .append("SNS wins by needing far fewer of them (`./nabla ot`, `examples/RESULTS.md`).\n\n");
        md.append("| n | Sinkhorn iteration | Newton step | Newton step / Sinkhorn iteration |\n|---:|---:|---:|---:|\n");
        for (int n : SIZES) {
            Timing sk = difference(r, "sinkhorn10", "sinkhornOverhead", n);
            Timing newton = difference(r, "newtonStep", "newtonOverhead", n);
            if (sk != null) sk = sk.divide(10);
            md.append("| ").append(n).append(" | ").append(Fmt.duration(sk)).append(" | ").append(Fmt.duration(newton))
              .append(" | ").append(sk == null || newton == null ? "-" : Fmt.ratio(newton.over(sk))).append(" |\n");
        }
        return md.toString();
    }

    private static String key(String method, int n) {
        return "OtBench." + method + "[" + n + "]";
    }

    /** a − b for size n, or null when either did not run. */
    private static Timing difference(Results r, String a, String b, int n) {
        Timing ta = r.get(key(a, n)), tb = r.get(key(b, n));
        return ta == null || tb == null ? null : ta.minus(tb);
    }
}
