package dev.nabla.examples;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.algo.OtOptions;
import dev.nabla.algo.OtResult;
import dev.nabla.algo.OtStep;
import dev.nabla.algo.Sinkhorn;
import dev.nabla.algo.SinkhornNewtonSparse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sinkhorn against Sinkhorn-Newton-Sparse on one problem and one device: both run to the same
 * marginal error, Sinkhorn in chunks of iterations (each warm-started from the last, which is the
 * same iteration) until it gets there or its time budget runs out. The curves (error against
 * iteration and against time) go to {@link OtPlot}, the figures to the table.
 */
final class OtDemo {
    private OtDemo() {}

    /** One solver's curve: iteration, seconds and marginal error per state. */
    record Curve(String label, int[] iterations, double[] seconds, double[] errors) {
        int last() { return iterations[iterations.length - 1]; }
        double lastError() { return errors[errors.length - 1]; }
        double lastSeconds() { return seconds[seconds.length - 1]; }

        /** The first state with error at most e: {iteration, seconds}, or null. */
        double[] reaching(double e) {
            for (int i = 0; i < errors.length; i++) if (errors[i] <= e) return new double[] {iterations[i], seconds[i]};
            return null;
        }
    }

    /** Both solvers on one problem and device. */
    record Comparison(OtProblemSet problem, Device device, double target, Curve sinkhorn, Curve sns, int newtonSteps,
                      double meanCg, double cost, long maxKept) {}

    static Comparison run(OtProblemSet p, Device device, double target, int maxSinkhorn, double budgetSeconds) {
        try (Scope s = Scope.open()) {
            Tensor cost = Tensor.of(DType.F64, device, p.cost(), p.n(), p.m());
            Tensor r = Tensor.of(DType.F64, device, p.r(), p.n()), c = Tensor.of(DType.F64, device, p.c(), p.m());
            // the first solve of a process pays for compiling kernels (OpenCL) and warming the JIT: not either solver's time
            try (Scope warm = Scope.open()) {
                SinkhornNewtonSparse.solve(cost, r, c, p.eta(), OtOptions.defaults().withWarmupSteps(2).withMaxIterations(3));
            }
            OtOptions o = OtOptions.defaults().withTol(target).withMaxIterations(2000).withSparsity(p.sparsity());
            OtResult sns = SinkhornNewtonSparse.solve(cost, r, c, p.eta(), o);
            int newton = 0, cg = 0;
            long kept = 0;
            for (OtStep st : sns.history()) {
                if (st.phase() == OtStep.Phase.NEWTON) {
                    newton++;
                    cg += st.cgIterations();
                    kept = Math.max(kept, st.nonzeros());
                }
            }
            Curve snsCurve = curve("SNS", sns.history(), 0, 0);
            Curve sk = sinkhorn(cost, r, c, p.eta(), target, maxSinkhorn, budgetSeconds);
            return new Comparison(p, device, target, sk, snsCurve, newton, newton == 0 ? 0 : (double) cg / newton, sns.cost(), kept);
        }
    }

    /** Sinkhorn in chunks, each warm-started from the last: one long run, stopped by error, iterations or time. */
    private static Curve sinkhorn(Tensor cost, Tensor r, Tensor c, double eta, double target, int maxIterations, double budget) {
        List<Integer> its = new ArrayList<>();
        List<Double> secs = new ArrayList<>(), errs = new ArrayList<>();
        Tensor x = null, y = null;
        int done = 0;
        double elapsed = 0;
        int chunk = 200;
        while (true) {
            int n = Math.min(chunk, maxIterations - done);
            OtResult res;
            try (Scope s = Scope.open()) {
                res = Sinkhorn.solve(cost, r, c, eta, OtOptions.defaults().withTol(target).withMaxIterations(n), x, y);
                s.keep(res.x());
                s.keep(res.y());
            }
            if (x != null) {
                x.close();
                y.close();
            }
            res.plan().close();
            x = res.x();
            y = res.y();
            // the first entry of a continuation is the state the last chunk ended in
            for (OtStep st : res.history().subList(done == 0 ? 0 : 1, res.history().size())) {
                its.add(done + st.iteration());
                secs.add(elapsed + st.seconds());
                errs.add(st.marginalError());
            }
            done += res.iterations();
            elapsed += res.history().getLast().seconds();
            if (res.history().getLast().marginalError() <= target || done >= maxIterations || elapsed >= budget) break;
        }
        x.close();
        y.close();
        return new Curve("Sinkhorn", its.stream().mapToInt(Integer::intValue).toArray(),
                secs.stream().mapToDouble(Double::doubleValue).toArray(), errs.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static Curve curve(String label, List<OtStep> history, int firstIteration, double firstSeconds) {
        int[] it = new int[history.size()];
        double[] s = new double[it.length], e = new double[it.length];
        for (int i = 0; i < it.length; i++) {
            it[i] = firstIteration + history.get(i).iteration();
            s[i] = firstSeconds + history.get(i).seconds();
            e[i] = history.get(i).marginalError();
        }
        return new Curve(label, it, s, e);
    }

    /**
     * The tour's part: one random assignment problem (n = 100 with --quick, else 300; η = 1000) on
     * the tour's device, SNS to 1e-9 and Sinkhorn for at most a few seconds, with the plot.
     */
    static Report.Section tour(boolean quick, Device device, java.nio.file.Path folder) {
        OtProblemSet p = OtProblemSet.assignment(quick ? 100 : 300, 1000, 2024);
        double target = 1e-9;
        Comparison c = run(p, device, target, quick ? 3000 : 20_000, quick ? 2 : 20);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%s, costs uniform in [0, 1), uniform marginals, η = %.0f, float64, on %s; target error %.0e",
                p.name(), p.eta(), device, target));
        double[] sk = c.sinkhorn().reaching(target), sns = c.sns().reaching(target);
        lines.add(sk != null ? String.format(Locale.ROOT, "Sinkhorn (log domain): %d iterations, %s", (int) sk[0], seconds(sk[1]))
                : String.format(Locale.ROOT, "Sinkhorn (log domain): not there after %d iterations, %s: error %.2e",
                c.sinkhorn().last(), seconds(c.sinkhorn().lastSeconds()), c.sinkhorn().lastError()));
        lines.add(sns != null ? String.format(Locale.ROOT, "Sinkhorn-Newton-Sparse: %d iterations (20 Sinkhorn warm-up steps, %d Newton "
                        + "steps with %.0f CG products each on %d to %d kept entries, %d Sinkhorn steps between damped ones), %s",
                (int) sns[0], c.newtonSteps(), c.meanCg(), 2L * p.n(), c.maxKept(), (int) sns[0] - 20 - c.newtonSteps(), seconds(sns[1]))
                : String.format(Locale.ROOT, "Sinkhorn-Newton-Sparse: not there after %d iterations: error %.2e", c.sns().last(),
                c.sns().lastError()));
        lines.add(String.format(Locale.ROOT, "per iteration: Sinkhorn %.2f ms, SNS %.2f ms (both O(n²): a plan or a log-sum-exp per step); "
                + "transport cost <C, P> = %.6f", 1e3 * c.sinkhorn().lastSeconds() / Math.max(1, c.sinkhorn().last()),
                1e3 * c.sns().lastSeconds() / Math.max(1, c.sns().last()), c.cost()));
        java.nio.file.Path png = folder.resolve("optimal-transport.png");
        OtPlot.write(png, List.of(c));
        lines.add("plot: " + png.getFileName() + " (the full comparison: ./nabla ot)");
        return new Report.Section("Optimal transport: Sinkhorn against Sinkhorn-Newton-Sparse", lines, png.getFileName().toString());
    }

    /** The Markdown table of the comparisons, one row per problem and device. */
    static List<String> table(List<Comparison> rows) {
        List<String> t = new ArrayList<>();
        t.add("| problem | η | device | target | Sinkhorn iterations | Sinkhorn time | SNS iterations (Newton) | SNS time "
                + "| iterations ratio | time ratio | SNS to Sinkhorn's last error | ms/iteration Sinkhorn, SNS | CG/Newton step |");
        t.add("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Comparison c : rows) {
            double[] skHit = c.sinkhorn().reaching(c.target()), snsHit = c.sns().reaching(c.target());
            String skIt = skHit != null ? String.format(Locale.ROOT, "%d", (int) skHit[0])
                    : String.format(Locale.ROOT, "> %d (error %.1e)", c.sinkhorn().last(), c.sinkhorn().lastError());
            String skTime = skHit != null ? seconds(skHit[1]) : "> " + seconds(c.sinkhorn().lastSeconds());
            String snsIt = snsHit != null ? String.format(Locale.ROOT, "%d (%d)", (int) snsHit[0], c.newtonSteps())
                    : String.format(Locale.ROOT, "> %d (error %.1e)", c.sns().last(), c.sns().lastError());
            String snsTime = snsHit != null ? seconds(snsHit[1]) : "> " + seconds(c.sns().lastSeconds());
            String itRatio = "", timeRatio = "";
            if (snsHit != null) {
                double skIts = skHit != null ? skHit[0] : c.sinkhorn().last(), skSec = skHit != null ? skHit[1] : c.sinkhorn().lastSeconds();
                String more = skHit != null ? "" : "> ";
                itRatio = more + String.format(Locale.ROOT, "%.0f×", skIts / snsHit[0]);
                timeRatio = more + String.format(Locale.ROOT, "%.1f×", skSec / snsHit[1]);
            }
            double[] atSk = c.sns().reaching(c.sinkhorn().lastError());
            String same = atSk == null ? "-" : String.format(Locale.ROOT, "%.1e: %d it, %s", c.sinkhorn().lastError(), (int) atSk[0],
                    seconds(atSk[1]));
            double msSk = 1e3 * c.sinkhorn().lastSeconds() / Math.max(1, c.sinkhorn().last());
            double msSns = 1e3 * c.sns().lastSeconds() / Math.max(1, c.sns().last());
            t.add(String.format(Locale.ROOT, "| %s | %.0f | %s | %.0e | %s | %s | %s | %s | %s | %s | %s | %.2f, %.2f | %.0f |",
                    c.problem().name(), c.problem().eta(), c.device(), c.target(), skIt, skTime, snsIt, snsTime, itRatio, timeRatio,
                    same, msSk, msSns, c.meanCg()));
        }
        return t;
    }

    private static String seconds(double s) {
        return s < 10 ? String.format(Locale.ROOT, "%.2f s", s) : String.format(Locale.ROOT, "%.1f s", s);
    }
}
