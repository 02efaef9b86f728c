package dev.nabla.autodiff;

import dev.nabla.Graph;
import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Derivatives as function transforms, as torch.func and JAX, composable to any order: a gradient
 * of a gradient, a Hessian-vector product, Jacobians both ways. Each transform opens a nesting
 * level, so a derivative taken inside another is never confused with it.
 *
 * <pre>{@code
 * Tensor g = Autodiff.grad(x -> x.square().sum(), x);          // 2x
 * Tensor hv = Autodiff.hvp(x -> x.pow(3.0).sum(), x, v);       // 6x·v, forward-over-reverse
 * }</pre>
 */
public final class Autodiff {
    private Autodiff() {}

    /** A function's value and its gradient. */
    public record ValueAndGrad(Tensor value, Tensor grad) {}

    /** A function's value and its gradients with respect to each input of a list. */
    public record ValueAndGrads(Tensor value, List<Tensor> grads) {}

    /** A function's value and its directional derivative (forward mode). */
    public record Jvp(Tensor value, Tensor tangent) {}

    /** A function's value and the vector-Jacobian product at it, for any cotangent of the value's shape. */
    public interface Vjp {
        Tensor value();
        Tensor apply(Tensor cotangent);
    }

    /** As {@link Vjp} for a function of several inputs. */
    public interface VjpList {
        Tensor value();
        List<Tensor> apply(Tensor cotangent);
    }

    /** How {@link #hvp} composes its two derivatives. */
    public enum HvpMode {
        /** A JVP of the gradient: one forward pass carrying tangents through a backward pass. The default. */
        FORWARD_OVER_REVERSE,
        /** The gradient of ⟨∇f, v⟩: two backward passes. */
        REVERSE_OVER_REVERSE
    }

    // ---- tape style ---------------------------------------------------------------------------

    /**
     * The vector-Jacobian product of output with gradOutput (null: ones, for a one-element output)
     * with respect to each input, as torch.autograd.grad; zeros for an input the output does not use.
     * With createGraph the results are differentiable and the graph is kept; without, it is freed.
     */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, Tensor gradOutput, boolean createGraph) {
        return Graph.grad("grad", output, inputs, gradOutput, createGraph);
    }

    // ---- reverse mode -------------------------------------------------------------------------

    /** ∇f(x) for a scalar f. */
    public static Tensor grad(Function<Tensor, Tensor> f, Tensor x) {
        return valueAndGrad(f, x).grad();
    }

    /** ∇f with respect to each of xs, for a scalar f (a model's loss over its parameters). */
    public static List<Tensor> grad(Function<List<Tensor>, Tensor> f, List<Tensor> xs) {
        return valueAndGrad(f, xs).grads();
    }

    public static ValueAndGrad valueAndGrad(Function<Tensor, Tensor> f, Tensor x) {
        ValueAndGrads r = valueAndGrad(xs -> f.apply(xs.getFirst()), List.of(x));
        return new ValueAndGrad(r.value(), r.grads().getFirst());
    }

    public static ValueAndGrads valueAndGrad(Function<List<Tensor>, Tensor> f, List<Tensor> xs) {
        int level = Graph.pushLevel();
        // inside another transform (or with tracked inputs) the result must stay differentiable
        boolean nested = level > 1 || xs.stream().anyMatch(Graph::isTracked);
        try (AutoCloseable on = NoGrad.enableGrad()) {
            if (nested) return valueAndGradOnce(f, xs, true);
            try (Scope s = Scope.open()) {
                ValueAndGrads r = valueAndGradOnce(f, xs, false);
                s.keep(r.value());
                r.grads().forEach(s::keep);
                return r;
            }
        } catch (Exception e) {
            throw rethrow(e);
        } finally {
            Graph.popLevel();
        }
    }

    private static ValueAndGrads valueAndGradOnce(Function<List<Tensor>, Tensor> f, List<Tensor> xs, boolean createGraph) {
        List<Tensor> in = new ArrayList<>(xs.size());
        for (Tensor x : xs) in.add(Graph.gradInput(x));
        Tensor out = f.apply(in);
        if (out.numel() != 1) {
            throw new ShapeMismatchException("grad: the function must return one element, got shape "
                    + java.util.Arrays.toString(out.shape()));
        }
        List<Tensor> g = gradOrZeros("grad", out, in, null, createGraph);
        return new ValueAndGrads(createGraph ? out : out.detach(), g);
    }

    /** f's value and its vector-Jacobian product; apply may be called any number of times. */
    public static Vjp vjp(Function<Tensor, Tensor> f, Tensor x) {
        VjpList v = vjp(xs -> f.apply(xs.getFirst()), List.of(x));
        return new Vjp() {
            @Override public Tensor value() { return v.value(); }
            @Override public Tensor apply(Tensor cotangent) { return v.apply(cotangent).getFirst(); }
        };
    }

    public static VjpList vjp(Function<List<Tensor>, Tensor> f, List<Tensor> xs) {
        int level = Graph.pushLevel();
        boolean nested = level > 1 || xs.stream().anyMatch(Graph::isTracked);
        List<Tensor> in = new ArrayList<>(xs.size());
        Tensor out;
        try (AutoCloseable on = NoGrad.enableGrad()) {
            for (Tensor x : xs) in.add(Graph.gradInput(x));
            out = f.apply(in);
        } catch (Exception e) {
            throw rethrow(e);
        } finally {
            Graph.popLevel();
        }
        Tensor value = nested ? out : out.detach();
        return new VjpList() {
            @Override public Tensor value() { return value; }
            @Override public List<Tensor> apply(Tensor cotangent) {
                // the graph is kept so apply can run again (jacrev runs it once per output element)
                try (AutoCloseable on = NoGrad.enableGrad()) {
                    return gradOrZeros("vjp", out, in, cotangent, true);
                } catch (Exception e) {
                    throw rethrow(e);
                }
            }
        };
    }

    // ---- forward mode -------------------------------------------------------------------------

    /** f(x) and its derivative in direction tangent, in one forward pass carrying the tangent. */
    public static Jvp jvp(Function<Tensor, Tensor> f, Tensor x, Tensor tangent) {
        return jvp(xs -> f.apply(xs.getFirst()), List.of(x), List.of(tangent));
    }

    /** f(xs) and its derivative in the direction (tangents[0], tangents[1], …). */
    public static Jvp jvp(Function<List<Tensor>, Tensor> f, List<Tensor> xs, List<Tensor> tangents) {
        if (xs.size() != tangents.size()) {
            throw new IllegalArgumentException("jvp: " + xs.size() + " inputs but " + tangents.size() + " tangents");
        }
        int level = Graph.pushLevel();
        boolean nested = level > 1 || xs.stream().anyMatch(Graph::isTracked) || tangents.stream().anyMatch(Graph::isTracked);
        try {
            if (nested) return jvpOnce(f, xs, tangents, level);
            // with recording on, f may close over tensors that require grad (tape style): the tape's
            // saved tensors must outlive this scope, so it hands them to the caller's
            try (Scope s = NoGrad.isActive() ? Scope.open() : Graph.openTransformScope()) {
                Jvp r = jvpOnce(f, xs, tangents, level);
                s.keep(r.value());
                s.keep(r.tangent());
                return r;
            }
        } finally {
            Graph.popLevel();
        }
    }

    private static Jvp jvpOnce(Function<List<Tensor>, Tensor> f, List<Tensor> xs, List<Tensor> tangents, int level) {
        List<Tensor> in = new ArrayList<>(xs.size());
        for (int i = 0; i < xs.size(); i++) in.add(Graph.withTangent(xs.get(i), tangents.get(i), level));
        Tensor out = f.apply(in);
        Tensor t = Graph.tangent(out, level);
        if (t == null) t = Tensor.zeros(out.dtype(), out.device(), out.shape());
        return new Jvp(Graph.below(out, level), t);
    }

    // ---- second order -------------------------------------------------------------------------

    /** The Hessian of scalar f at x times v, forward-over-reverse. */
    public static Tensor hvp(Function<Tensor, Tensor> f, Tensor x, Tensor v) {
        return hvp(f, x, v, HvpMode.FORWARD_OVER_REVERSE);
    }

    public static Tensor hvp(Function<Tensor, Tensor> f, Tensor x, Tensor v, HvpMode mode) {
        return hvp(xs -> f.apply(xs.getFirst()), List.of(x), List.of(v), mode).getFirst();
    }

    /** The Hessian of scalar f over a list of tensors (a model's parameters) times the list vs. */
    public static List<Tensor> hvp(Function<List<Tensor>, Tensor> f, List<Tensor> xs, List<Tensor> vs) {
        return hvp(f, xs, vs, HvpMode.FORWARD_OVER_REVERSE);
    }

    public static List<Tensor> hvp(Function<List<Tensor>, Tensor> f, List<Tensor> xs, List<Tensor> vs, HvpMode mode) {
        if (xs.size() != vs.size()) throw new IllegalArgumentException("hvp: " + xs.size() + " inputs but " + vs.size() + " vectors");
        if (mode == HvpMode.REVERSE_OVER_REVERSE) {
            return grad(ys -> {
                List<Tensor> g = grad(f, ys);
                Tensor dot = null;
                for (int i = 0; i < g.size(); i++) {
                    Tensor term = g.get(i).mul(vs.get(i)).sum();
                    dot = dot == null ? term : dot.add(term);
                }
                return dot;
            }, xs);
        }
        // one JVP whose output is the gradient list packed into one flat tensor, then unpacked
        List<long[]> shapes = xs.stream().map(Tensor::shape).toList();
        Jvp r = jvp(ys -> flatten(grad(f, ys)), xs, vs);
        r.value().close();
        return unflatten(r.tangent(), shapes);
    }

    /** The tensors' elements one after another, as one 1-D tensor. */
    static Tensor flatten(List<Tensor> ts) {
        List<Tensor> flat = new ArrayList<>(ts.size());
        for (Tensor t : ts) flat.add(t.reshape(-1));
        return flat.size() == 1 ? flat.getFirst() : Tensor.cat(flat, 0);
    }

    static List<Tensor> unflatten(Tensor flat, List<long[]> shapes) {
        List<Tensor> out = new ArrayList<>(shapes.size());
        long at = 0;
        for (long[] s : shapes) {
            long n = 1;
            for (long d : s) n *= d;
            out.add(flat.narrow(0, at, n).reshape(s));
            at += n;
        }
        return out;
    }

    // ---- Jacobians ----------------------------------------------------------------------------

    /** ∂f/∂x by reverse mode (one VJP per output element), shaped f(x).shape + x.shape. */
    public static Tensor jacrev(Function<Tensor, Tensor> f, Tensor x) {
        return jacrev(xs -> f.apply(xs.getFirst()), List.of(x)).getFirst();
    }

    /** ∂f/∂xs[j] for each j by reverse mode, each shaped f.shape + xs[j].shape. */
    public static List<Tensor> jacrev(Function<List<Tensor>, Tensor> f, List<Tensor> xs) {
        VjpList v = vjp(f, xs);
        Tensor y = v.value();
        long[] outShape = y.shape();
        long m = y.numel();
        List<List<Tensor>> rows = new ArrayList<>();
        for (int j = 0; j < xs.size(); j++) rows.add(new ArrayList<>());
        for (long i = 0; i < m; i++) {
            Tensor e = oneHot(y, i);
            List<Tensor> r = v.apply(e);
            for (int j = 0; j < xs.size(); j++) rows.get(j).add(r.get(j));
        }
        List<Tensor> out = new ArrayList<>(xs.size());
        for (int j = 0; j < xs.size(); j++) {
            out.add(stackTo(rows.get(j), 0, concat(outShape, xs.get(j).shape()), xs.get(j)));
        }
        return out;
    }

    /** ∂f/∂x by forward mode (one JVP per input element), shaped f(x).shape + x.shape. */
    public static Tensor jacfwd(Function<Tensor, Tensor> f, Tensor x) {
        return jacfwd(xs -> f.apply(xs.getFirst()), List.of(x)).getFirst();
    }

    /** ∂f/∂xs[j] for each j by forward mode, each shaped f.shape + xs[j].shape. */
    public static List<Tensor> jacfwd(Function<List<Tensor>, Tensor> f, List<Tensor> xs) {
        List<Tensor> out = new ArrayList<>(xs.size());
        for (int j = 0; j < xs.size(); j++) {
            Tensor xj = xs.get(j);
            long n = xj.numel();
            List<Tensor> cols = new ArrayList<>();
            long[] outShape = null;
            for (long e = 0; e < n; e++) {
                List<Tensor> ts = new ArrayList<>(xs.size());
                for (int k = 0; k < xs.size(); k++) {
                    Tensor xk = xs.get(k);
                    ts.add(k == j ? oneHot(xk, e) : Tensor.zeros(xk.dtype(), xk.device(), xk.shape()));
                }
                Jvp r = jvp(f, xs, ts);
                outShape = r.value().shape();
                cols.add(r.tangent());
            }
            if (outShape == null) outShape = f.apply(xs).shape();
            // columns stacked last, then the output dims before the input's
            long[] shape = concat(outShape, xj.shape());
            if (cols.isEmpty()) {
                out.add(Tensor.zeros(xj.dtype(), xj.device(), shape));
            } else {
                Tensor stacked = Tensor.stack(cols, cols.getFirst().rank());
                out.add(stacked.reshape(shape));
            }
        }
        return out;
    }

    /** The Hessian of scalar f at x, shaped x.shape + x.shape (forward-over-reverse). */
    public static Tensor hessian(Function<Tensor, Tensor> f, Tensor x) {
        return jacfwd(y -> grad(f, y), x);
    }

    /** The Hessian blocks H[i][j] = ∂²f/∂xs[i]∂xs[j], each shaped xs[i].shape + xs[j].shape. */
    public static List<List<Tensor>> hessian(Function<List<Tensor>, Tensor> f, List<Tensor> xs) {
        List<List<Tensor>> h = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            final int row = i;
            h.add(jacfwd(ys -> grad(f, ys).get(row), xs));
        }
        return h;
    }

    // ---- helpers ------------------------------------------------------------------------------

    /**
     * As Graph.grad, but an output the tape never saw (its value does not depend on the inputs,
     * e.g. a gradient made of comparison masks) has zero derivatives, as in JAX and torch.func.
     */
    private static List<Tensor> gradOrZeros(String op, Tensor out, List<Tensor> in, Tensor cotangent, boolean createGraph) {
        if (Graph.onTape(out)) return Graph.grad(op, out, in, cotangent, createGraph);
        List<Tensor> zeros = new ArrayList<>(in.size());
        for (Tensor x : in) zeros.add(Tensor.zeros(x.dtype(), x.device(), x.shape()));
        return zeros;
    }

    private static Tensor oneHot(Tensor like, long i) {
        double[] d = new double[(int) like.numel()];
        d[(int) i] = 1;
        return Tensor.of(like.dtype(), like.device(), d, like.shape().length == 0 ? new long[0] : like.shape())
                .reshape(like.shape());
    }

    private static Tensor stackTo(List<Tensor> rows, int dim, long[] shape, Tensor like) {
        if (rows.isEmpty()) return Tensor.zeros(like.dtype(), like.device(), shape);
        return Tensor.stack(rows, dim).reshape(shape);
    }

    private static long[] concat(long[] a, long[] b) {
        long[] r = new long[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static RuntimeException rethrow(Exception e) {
        return e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }
}
