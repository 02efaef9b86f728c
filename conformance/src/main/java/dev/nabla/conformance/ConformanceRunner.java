package dev.nabla.conformance;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.NablaException;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autodiff.GradCheck;
import dev.nabla.spi.Backend;
import dev.nabla.spi.Backends;
import dev.nabla.spi.MemoryStats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs the registry's checks against one device: forward results on every sample against the
 * float64 reference, error inputs, special values, gradcheck/gradgradcheck/jvpcheck in float64,
 * random streams against the Philox reference, and memory back at its baseline after each op.
 * Skips come from the backend's capability query ({@code supportedDTypes}), each with its reason;
 * an expected failure (the spec's xfail) that passes is a failure.
 *
 * <pre>{@code
 * Report r = new ConformanceRunner(Device.parse("opencl:0")).run(Registry.all());
 * System.out.println(r.summary());   // "N passed, N failed, N skipped"
 * }</pre>
 */
public final class ConformanceRunner {
    private final Device device;
    private final Backend backend;
    private final Set<DType> supported;

    public ConformanceRunner(Device device) {
        this.device = device;
        this.backend = Backends.get(device.kind());
        this.supported = backend.supportedDTypes(device.index());
    }

    public Device device() { return device; }

    /** One named check: run it to get its result. */
    public record Check(String op, String column, String check, Supplier<Result> run) {
        @Override public String toString() { return column + " " + check; }
    }

    /** The checks of one op, in order; the last compares memory with what it was before the first. */
    public List<Check> checks(OpSpec spec) {
        List<Check> out = new ArrayList<>();
        MemoryStats[] baseline = new MemoryStats[1];
        Function<Supplier<Result>, Supplier<Result>> first = s -> () -> {
            if (baseline[0] == null) baseline[0] = settle();
            return s.get();
        };
        for (DType t : DType.values()) {
            if (!spec.dtypes().contains(t)) continue;
            out.add(check(spec, t.name(), "forward", first.apply(() -> forward(spec, t))));
            if (t.isFloating() && (spec.special1() != null || spec.special2() != null)) {
                out.add(check(spec, t.name(), "special values", first.apply(() -> specials(spec, t))));
            }
        }
        for (ErrorCase e : spec.errors()) {
            out.add(check(spec, "errors", e.label(), first.apply(() -> error(spec, e))));
        }
        if (spec.gradSample() != null) {
            out.add(check(spec, "derivatives", "gradcheck", first.apply(() -> derivative(spec, "gradcheck"))));
            if (spec.gradgrad()) {
                out.add(check(spec, "derivatives", "gradgradcheck", first.apply(() -> derivative(spec, "gradgradcheck"))));
            }
            out.add(check(spec, "derivatives", "jvpcheck", first.apply(() -> derivative(spec, "jvpcheck"))));
        }
        out.add(new Check(spec.name(), "memory", "back to baseline", () -> memory(spec, baseline[0])));
        return out;
    }

    /** Every check of every spec, then the random streams, collected into a report. */
    public Report run(List<OpSpec> specs) {
        Report r = new Report(device.toString());
        for (OpSpec s : specs) for (Check c : checks(s)) r.add(c.run().get());
        for (Check c : RandomStreams.checks(this)) r.add(c.run().get());
        return r;
    }

    /** Applies the spec's expected-failure mark: a marked failure is a skip, a marked pass a failure. */
    private Check check(OpSpec spec, String column, String name, Supplier<Result> s) {
        String key = column + "/" + name;
        String why = spec.xfail().get(key);
        if (why == null) return new Check(spec.name(), column, name, s);
        return new Check(spec.name(), column, name, () -> {
            Result r = s.get();
            return switch (r.status()) {
                case FAIL -> new Result(r.op(), column, name, Result.Status.SKIP, "expected failure (" + why + "): " + r.detail());
                case PASS -> new Result(r.op(), column, name, Result.Status.FAIL, "expected failure passed (" + why + ")");
                case SKIP -> r;
            };
        });
    }

    Result pass(String op, String column, String check) { return new Result(op, column, check, Result.Status.PASS, null); }

    Result fail(String op, String column, String check, String why) { return new Result(op, column, check, Result.Status.FAIL, why); }

    Result skipIfUnsupported(String op, String column, String check, DType t) {
        if (supported.contains(t)) return null;
        return new Result(op, column, check, Result.Status.SKIP, t + " is not supported by " + device + " (supportedDTypes)");
    }

    private Result forward(OpSpec spec, DType t) {
        Result skip = skipIfUnsupported(spec.name(), t.name(), "forward", t);
        if (skip != null) return skip;
        List<String> failures = new ArrayList<>();
        List<Sample> samples = spec.samples().apply(t);
        for (Sample s : samples) {
            try (Scope scope = Scope.open()) {
                List<Tensor> in = s.args().stream().map(a -> a.make(device)).toList();
                Tensor out = spec.op().apply(in, s);
                Expected e = spec.reference().apply(s.refs(), s);
                DType od = spec.outDType().apply(t);
                String why = Compare.check(out, device, od, e, Tolerance.of(device.kind(), od, spec.kind(), e.terms()));
                if (why != null) failures.add("sample '" + s.label() + "' " + s.args() + ": " + why);
            } catch (RuntimeException | AssertionError ex) {
                failures.add("sample '" + s.label() + "' " + s.args() + " threw " + ex);
            }
        }
        if (samples.isEmpty()) return fail(spec.name(), t.name(), "forward", "no samples");
        return failures.isEmpty() ? pass(spec.name(), t.name(), "forward")
                : fail(spec.name(), t.name(), "forward", String.join("; ", failures));
    }

    private static final double[] SPECIAL_UNARY = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            0.0, -0.0, 1.0, -1.0, 0.5, -2.5};
    private static final double[] SPECIAL_BINARY = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            0.0, -0.0, 1.0, -1.0, 2.0};

    private Result specials(OpSpec spec, DType t) {
        String col = t.name(), name = "special values";
        Result skip = skipIfUnsupported(spec.name(), col, name, t);
        if (skip != null) return skip;
        boolean unary = spec.special1() != null;
        double[] a, b = null;
        if (unary) {
            a = SPECIAL_UNARY;
        } else {
            int n = SPECIAL_BINARY.length;
            a = new double[n * n];
            b = new double[n * n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) { a[i * n + j] = SPECIAL_BINARY[i]; b[i * n + j] = SPECIAL_BINARY[j]; }
        }
        try (Scope scope = Scope.open()) {
            List<Tensor> in = new ArrayList<>();
            in.add(Tensor.of(t, device, a, a.length));
            if (!unary) in.add(Tensor.of(t, device, b, b.length));
            Tensor out = spec.op().apply(in, Sample.of("special values"));
            DType od = spec.outDType().apply(t);
            double[] got = Compare.values(out);
            Tolerance tol = Tolerance.of(device.kind(), od, Kind.ELEMENTWISE, 1);
            List<String> bad = new ArrayList<>();
            for (int i = 0; i < a.length; i++) {
                double want = Values.round(unary ? spec.special1().applyAsDouble(a[i]) : spec.special2().applyAsDouble(a[i], b[i]), od);
                if (!Compare.special(want, got[i], tol)) {
                    bad.add(spec.name() + "(" + a[i] + (unary ? "" : ", " + b[i]) + ") = " + got[i] + ", expected " + want);
                }
            }
            return bad.isEmpty() ? pass(spec.name(), col, name) : fail(spec.name(), col, name, bad.size() + " wrong: " + String.join("; ", bad));
        } catch (RuntimeException ex) {
            return fail(spec.name(), col, name, "threw " + ex);
        }
    }

    private Result error(OpSpec spec, ErrorCase e) {
        try (Scope scope = Scope.open()) {
            List<Tensor> operands = e.operands().apply(device);
            if (operands == null) {
                return new Result(spec.name(), "errors", e.label(), Result.Status.SKIP, "not applicable on " + device);
            }
            try {
                e.call().apply(operands);
            } catch (NablaException ex) {
                if (!e.expected().isInstance(ex)) {
                    return fail(spec.name(), "errors", e.label(), "threw " + ex.getClass().getSimpleName() + ", expected "
                            + e.expected().getSimpleName() + ": " + ex.getMessage());
                }
                String m = String.valueOf(ex.getMessage());
                if (!m.contains(e.op())) return fail(spec.name(), "errors", e.label(), "message does not name '" + e.op() + "': " + m);
                for (Tensor t : operands) {
                    String d = Arrays.toString(t.shape()) + " (" + t.dtype() + ", " + t.device() + ")";
                    if (!m.contains(d)) return fail(spec.name(), "errors", e.label(), "message does not describe " + d + ": " + m);
                }
                return pass(spec.name(), "errors", e.label());
            }
            return fail(spec.name(), "errors", e.label(), "no exception; expected " + e.expected().getSimpleName());
        } catch (RuntimeException ex) {
            return fail(spec.name(), "errors", e.label(), "threw " + ex + " instead of " + e.expected().getSimpleName());
        }
    }

    private Result derivative(OpSpec spec, String which) {
        Result skip = skipIfUnsupported(spec.name(), "derivatives", which, DType.F64);
        if (skip != null) return skip;
        try (Scope scope = Scope.open()) {
            Sample g = spec.gradSample();
            List<Tensor> all = g.args().stream().map(a -> a.make(device)).toList();
            // integer and BOOL arguments (indices, conditions) are constants of the function checked
            List<Integer> floating = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) if (all.get(i).dtype().isFloating()) floating.add(i);
            List<Tensor> in = floating.stream().map(all::get).toList();
            Function<List<Tensor>, Tensor> f = ys -> {
                List<Tensor> args = new ArrayList<>(all);
                for (int j = 0; j < floating.size(); j++) args.set(floating.get(j), ys.get(j));
                return spec.bound(g).apply(args);
            };
            switch (which) {
                case "gradcheck" -> GradCheck.gradcheck(f, in);
                case "gradgradcheck" -> GradCheck.gradgradcheck(f, in);
                default -> GradCheck.jvpcheck(f, in);
            }
            return pass(spec.name(), "derivatives", which);
        } catch (RuntimeException ex) {
            return fail(spec.name(), "derivatives", which, String.valueOf(ex.getMessage()));
        }
    }

    private Result memory(OpSpec spec, MemoryStats before) {
        if (before == null) return pass(spec.name(), "memory", "back to baseline");
        MemoryStats after = backend.memoryStats(device.index());
        if (after.liveBuffers() > before.liveBuffers() || after.allocatedBytes() > before.allocatedBytes()) {
            after = settle();
        }
        if (after.liveBuffers() > before.liveBuffers() || after.allocatedBytes() > before.allocatedBytes()) {
            return fail(spec.name(), "memory", "back to baseline", "live buffers " + before.liveBuffers() + " -> "
                    + after.liveBuffers() + ", bytes " + before.allocatedBytes() + " -> " + after.allocatedBytes());
        }
        return pass(spec.name(), "memory", "back to baseline");
    }

    /**
     * The device's memory once tensors that earlier code dropped without closing have been freed by
     * the garbage collector's cleaner (at moments of its choosing): collect until the count is stable.
     */
    MemoryStats settle() {
        long last = -1;
        int stable = 0;
        for (int i = 0; i < 40 && stable < 2; i++) {
            System.gc();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = backend.memoryStats(device.index()).liveBuffers();
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
        return backend.memoryStats(device.index());
    }
}
