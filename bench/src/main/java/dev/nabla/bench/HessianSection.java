package dev.nabla.bench;

/**
 * {@link HessianBench} (issue 9): the cost of one curvature product on the tour's model, in
 * gradients. Rendered only when it ran.
 */
final class HessianSection {
    private HessianSection() {}

    static String render(Results r) {
        Timing grad = r.get("HessianBench.gradient");
        if (grad == null) return null;
        StringBuilder md = new StringBuilder("## Curvature products on the tour's model (issue 9)\n\n");
        md.append("`HessianBench`: the tour's `Sequential(Linear 784-256, ReLU, Linear 256-256, ReLU, Linear 256-10)`, ")
          .append("mean cross-entropy over a batch of 128 through `Module.functionalCall`, F32 on the CPU; each ")
          .append("product is what `HessianSpectrum` and `NewtonCG` call per iteration.\n\n");
        md.append("| Benchmark | Time per call | / gradient |\n|---|---:|---:|\n");
        String[][] rows = {
            {"gradient", "`Autodiff.grad(loss, params)`"},
            {"hvp", "`Autodiff.hvp`, forward-over-reverse (HessianSpectrum's)"},
            {"hvpReverseOverReverse", "`Autodiff.hvp`, reverse-over-reverse"},
            {"gaussNewton", "`GaussNewton.operator(...).apply(v)`: Jᵀ H_L J v"},
        };
        for (String[] row : rows) {
            Timing t = r.get("HessianBench." + row[0]);
            md.append("| ").append(row[1]).append(" | ").append(Fmt.duration(t)).append(" | ")
              .append(t == null ? "-" : Fmt.ratio(t.over(grad))).append(" |\n");
        }
        return md.toString();
    }
}
