package dev.nabla.bench;

/**
 * The MLP benchmarks ({@link MlpAutodiffBench}, {@link DjlMlpBench}): times per call, the autodiff
 * ratios (backward over forward, HVP over gradient), and the training-step target: no slower than
 * PyTorch.
 */
final class AutodiffSection {
    private AutodiffSection() {}

    private static final String NABLA = "MlpAutodiffBench.";
    private static final String TORCH = "DjlMlpBench.";

    /**
     * Flops of one training step's matmuls: the forward 2·B·Σ in·out, the weight gradients as much
     * again, and the input gradients of every layer but the first (the data needs none).
     */
    static double trainingStepGflop() {
        double forward = 0, inputGrads = 0;
        for (int l = 0; l + 1 < Mlp.WIDTHS.length; l++) {
            double macs = (double) Mlp.WIDTHS[l] * Mlp.WIDTHS[l + 1];
            forward += macs;
            if (l > 0) inputGrads += macs;
        }
        return 2.0 * Mlp.BATCH * (2 * forward + inputGrads) / 1e9;
    }

    static String render(Results r, Ceilings ceilings, Targets targets) {
        String torch = "PyTorch " + DjlPeer.pytorchVersion() + " (DJL " + DjlPeer.djlVersion() + ")";
        StringBuilder md = new StringBuilder("## Autodiff and the training step (MLP 784-256-256-10, batch 128, F32)\n\n");
        md.append("Three `nn.Linear`-style layers (weights `[out, in]`, PyTorch's default uniform init), tanh between ")
          .append("them, mean cross-entropy through `logSoftmax(1)` and `gather`; ").append(Fmt.count(Mlp.parameterCount()))
          .append(" parameters, seeded inputs x[128, 784] and labels, the same numbers in both engines (`Mlp`). nabla ")
          .append("(`MlpAutodiffBench`) and ").append(torch).append(" (`DjlMlpBench`, eager, CPU) run in the same JMH ")
          .append("invocation, each benchmark in its own forks; both use every core.\n\n");
        md.append("| Benchmark | Measures | Time per call |\n|---|---|---:|\n");
        String[][] rows = {
            {NABLA + "forward", "the loss under NoGrad (no tape)"},
            {NABLA + "forwardWithTape", "the loss over parameters requiring grad: the tape is recorded, no backward"},
            {NABLA + "forwardBackward", "taped loss, then `Autodiff.grad(loss, params, null, false)`"},
            {"backward", "derived: forwardBackward − forwardWithTape"},
            {NABLA + "gradient", "`Autodiff.grad(f, params)` (functional)"},
            {NABLA + "hvp", "`Autodiff.hvp(f, params, vs)`, forward-over-reverse"},
            {NABLA + "hvpReverseOverReverse", "`Autodiff.hvp(…, REVERSE_OVER_REVERSE)`"},
            {NABLA + "trainingStep", "value and gradient, then SGD into new parameter tensors (old ones closed)"},
            {TORCH + "forward", "PyTorch: the loss, autograd off"},
            {TORCH + "forwardBackward", "PyTorch: zero grads, loss and backward in a GradientCollector"},
            {TORCH + "trainingStep", "PyTorch: zero grads, loss, backward, in-place SGD `p -= lr·g`"},
        };
        Timing backward = minus(r.get(NABLA + "forwardBackward"), r.get(NABLA + "forwardWithTape"));
        for (String[] row : rows) {
            Timing v = row[0].equals("backward") ? backward : r.get(row[0]);
            md.append("| ").append(row[0].equals("backward") ? "backward (derived)" : row[0]).append(" | ").append(row[1])
              .append(" | ").append(Fmt.duration(v)).append(" |\n");
        }
        Timing step = r.get(NABLA + "trainingStep"), torchStep = r.get(TORCH + "trainingStep");
        double gflop = trainingStepGflop();
        md.append('\n').append("A training step does ").append(Fmt.sig(gflop * 1e3)).append(" MFLOP in its matmuls; ")
          .append("at the all-core FMA peak that is a floor of ")
          .append(ceilings.known() ? Fmt.sig(gflop / ceilings.peakAll().seconds() * 1e6) + " µs" : "-")
          .append(": nabla's step runs at ").append(Fmt.percent(ceilings.fractionOfFloor(step, gflop, 0)))
          .append(" of it, PyTorch's at ").append(Fmt.percent(ceilings.fractionOfFloor(torchStep, gflop, 0)))
          .append(" (the rest is the elementwise work, small matmuls and dispatch).\n\n");

        md.append("| Ratio | Value | Target |\n|---|---:|---:|\n");
        ratio(md, "backward / forward (nabla)", backward, r.get(NABLA + "forward"), "≤ 2");
        ratio(md, "hvp / gradient (forward-over-reverse)", r.get(NABLA + "hvp"), r.get(NABLA + "gradient"), "≤ 4");
        ratio(md, "hvpReverseOverReverse / gradient", r.get(NABLA + "hvpReverseOverReverse"), r.get(NABLA + "gradient"), "≤ 4");
        ratio(md, "forward: nabla / PyTorch time", r.get(NABLA + "forward"), r.get(TORCH + "forward"), "-");
        ratio(md, "trainingStep: nabla / PyTorch time", step, torchStep, "≤ 1");
        if (step != null && torchStep != null) {
            targets.atMost("training step MLP 784-256-256-10, batch 128: nabla time / PyTorch time", step.over(torchStep), 1.0, "×");
        }
        return md.toString();
    }

    private static Timing minus(Timing a, Timing b) {
        return a == null || b == null ? null : a.minus(b);
    }

    private static void ratio(StringBuilder md, String name, Timing a, Timing b, String target) {
        md.append("| ").append(name).append(" | ").append(a == null || b == null ? "not measured" : Fmt.ratio(a.over(b)))
          .append(" | ").append(target).append(" |\n");
    }
}
