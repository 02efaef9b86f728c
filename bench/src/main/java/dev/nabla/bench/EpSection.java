package dev.nabla.bench;

/**
 * {@link EpBench} (issue 12): one training step of equilibrium propagation, per estimator, beside
 * one step of recurrent backprop on the same network and one of the feedforward MLP of the same
 * size. Rendered only when it ran.
 */
final class EpSection {
    private EpSection() {}

    private static final String[][] ESTIMATORS = {
        {"0", "N = 0: 20 forward-mode steps (a JVP each)"},
        {"1", "N = 1: one nudged phase (β)"},
        {"2", "N = 2: two nudged phases (β, −β)"},
        {"4", "N = 4: β, −β and one complex phase (its conjugate implied)"},
    };

    static String render(Results r) {
        Timing rbp = r.get("EpBench.recurrentBackpropStep");
        Timing ff = r.get("EpBench.feedforwardBackpropStep");
        boolean any = rbp != null || ff != null;
        for (String[] e : ESTIMATORS) any |= r.get("EpBench.epStep[" + e[0] + "]") != null;
        if (!any) return null;
        StringBuilder md = new StringBuilder("## Equilibrium propagation: one training step (issue 12)\n\n");
        md.append("`EpBench`: `EquilibriumNetwork` 784-256-256-10 (steep sigmoid, independent feedback, softmax readout), ")
          .append("batch 50, F32 on the CPU, Adam; phases run a fixed number of steps (T1 = 100 free, T2 = 20 per nudged ")
          .append("phase). An EP step is the free phase, the nudged phases and (∂F/∂θ)ᵀ dσ/dβ; recurrent backprop is the ")
          .append("same free phase and 100 steps of δ ← δ + Jᵀδ + ∂L/∂u; the feedforward step is the MLP ")
          .append("784-256-256-10 with sigmoid, cross-entropy, backward.\n\n");
        md.append("| Step | Time per call | / recurrent BP | / feedforward BP |\n|---|---:|---:|---:|\n");
        for (String[] e : ESTIMATORS) row(md, "EP, " + e[1], r.get("EpBench.epStep[" + e[0] + "]"), rbp, ff);
        row(md, "recurrent backprop (the experiment's BP)", rbp, rbp, ff);
        row(md, "feedforward MLP, backprop", ff, rbp, ff);
        return md.toString();
    }

    private static void row(StringBuilder md, String what, Timing t, Timing rbp, Timing ff) {
        md.append("| ").append(what).append(" | ").append(Fmt.duration(t)).append(" | ")
          .append(t == null || rbp == null ? "-" : Fmt.ratio(t.over(rbp))).append(" | ")
          .append(t == null || ff == null ? "-" : Fmt.ratio(t.over(ff))).append(" |\n");
    }
}
