package dev.nabla;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The autodiff engine behind {@link Tensor}'s tape methods and {@code dev.nabla.autodiff.Autodiff}:
 * records ops (reverse mode), carries tangents by nesting level (forward mode), and runs backward
 * passes. Public only so that {@code dev.nabla.autodiff} can reach it; not part of the API contract.
 */
public final class Graph {
    private Graph() {}

    private static final ThreadLocal<int[]> LEVEL = ThreadLocal.withInitial(() -> new int[1]);

    // ---- nesting levels -----------------------------------------------------------------------

    /** Opens a new innermost differentiation level and returns it. */
    public static int pushLevel() { return ++LEVEL.get()[0]; }

    /** Closes the innermost level. */
    public static void popLevel() { LEVEL.get()[0]--; }

    /**
     * A scope for a transform's own temporaries: what the tape saves while it is the innermost
     * scope moves to the enclosing user scope, so that a graph recorded through the transform (a
     * function closing over tensors that require grad, differentiated later in tape style)
     * outlives it; everything else is closed with it.
     */
    public static Scope openTransformScope() { return Scope.openInternal(); }

    /** How many differentiation transforms enclose the caller (0 outside any). */
    public static int depth() { return LEVEL.get()[0]; }

    // ---- handles and tangents -----------------------------------------------------------------

    /** A new tensor object over t's storage with t's autodiff identity (node and tangents). */
    static Tensor handle(Tensor t) {
        Tensor h = t.view(t.shape, t.strides, t.offset);
        h.node = t.node;
        h.tangents = t.tangents;
        return h;
    }

    /** t with forward-mode tangent {@code tangent} at level l added (a new handle). */
    public static Tensor withTangent(Tensor t, Tensor tangent, int level) {
        t.live("jvp");
        tangent.live("jvp");
        if (!Arrays.equals(t.shape, tangent.shape)) {
            throw Errors.shape("jvp", "tangent shape differs from the primal's", t, tangent);
        }
        if (!t.dtype.isFloating()) throw Errors.dtype("jvp", "only floating tensors carry tangents", t, tangent);
        Tensor tv = tangent.dtype == t.dtype ? tangent : tangent.to(t.dtype);
        Tensor h = handle(t);
        h.tangents = Tangent.with(t.tangents, level, tv);
        return h;
    }

    /** Runs a backward pass from output for the given inputs (see Autodiff.grad). */
    public static List<Tensor> grad(String op, Tensor output, List<Tensor> inputs, Tensor gradOutput, boolean createGraph) {
        if (inputs == null || inputs.isEmpty()) throw new IllegalArgumentException(op + ": inputs must not be empty");
        return run(op, output, gradOutput, inputs, createGraph);
    }

    /** True when t is recorded on the tape (reverse mode can differentiate it). */
    public static boolean onTape(Tensor t) {
        return t.node != null;
    }

    /** True when t is on the tape or carries tangents: a derivative of it must keep its graph. */
    public static boolean isTracked(Tensor t) {
        return tracked(t);
    }

    /** t's tangent at level l, or null. */
    public static Tensor tangent(Tensor t, int level) {
        return t.tangents == null ? null : t.tangents.at(level);
    }

    /** t without its tangents at level l and above (t itself when it has none). */
    public static Tensor below(Tensor t, int level) {
        if (!Tangent.hasLevelAtLeast(t.tangents, level)) return t;
        Tensor h = handle(t);
        h.tangents = Tangent.below(t.tangents, level);
        return h;
    }

    /**
     * A fresh input for a reverse-mode transform: t's values and tangents, tracked by a new node of
     * its own so gradients are taken with respect to it (an identity of t when t is itself tracked).
     */
    public static Tensor gradInput(Tensor t) {
        t.live("grad");
        if (!t.dtype.isFloating()) throw Errors.dtype("grad", "only floating tensors can be differentiated", t);
        Tensor h = handle(t);
        if (t.node != null && !NoGrad.isActive()) {
            h.node = null;
            Tensor[] in = {t};
            h.node = newNode(Rules.IDENTITY, h, in);
        } else {
            h.node = new Node(null, new Node[0], h, h);
        }
        return h;
    }

    // ---- recording ----------------------------------------------------------------------------

    /** True when an op on t must be recorded (t is on the tape or carries tangents). */
    static boolean tracked(Tensor t) {
        return t.node != null || t.tangents != null;
    }

    static boolean tracked(Tensor a, Tensor b) {
        return tracked(a) || tracked(b);
    }

    /**
     * Attaches a rule to a freshly computed output: a tape node when any input is tracked (and
     * recording is on), and the output's tangents at every level an input carries one. Returns out.
     */
    static Tensor record(Rule rule, Tensor out, Tensor... in) {
        boolean tape = false, fwd = false;
        for (Tensor t : in) {
            if (t == null) continue;
            tape |= t.node != null;
            fwd |= t.tangents != null;
        }
        if (tape && NoGrad.isActive()) tape = false;
        if (!tape && !fwd) return out;
        if (!out.dtype.isFloating()) {
            out.nonDiffOp = rule.name;
            return out;
        }
        if (fwd) tangents(rule, out, in);
        if (tape) out.node = newNode(rule, out, in);
        return out;
    }

    /** Marks an output that no gradient flows through (argmax, comparisons) when an input was tracked. */
    static Tensor nonDifferentiable(String op, Tensor out, Tensor... in) {
        for (Tensor t : in) if (t != null && (t.node != null || t.tangents != null)) out.nonDiffOp = op;
        return out;
    }

    private static Node newNode(Rule rule, Tensor out, Tensor[] in) {
        Node[] next = new Node[in.length];
        for (int i = 0; i < in.length; i++) next[i] = in[i] == null ? null : in[i].node;
        Node n = new Node(rule, next, out, null);
        if (rule.savesInputs) {
            n.saved = new Tensor[in.length];
            for (int i = 0; i < in.length; i++) {
                if (in[i] == null) continue;
                n.saved[i] = handle(in[i]);
                Scope.registerSaved(n.saved[i]);
            }
        }
        if (rule.savesOutput) {
            // the saved output must not hold its own node (a cycle) nor tangents computed later
            Tensor h = out.view(out.shape, out.strides, out.offset);
            h.tangents = out.tangents;
            h.node = n;
            n.savedOut = h;
            Scope.registerSaved(h);
        }
        return n;
    }

    private static void tangents(Rule rule, Tensor out, Tensor[] in) {
        // every level any input carries, ascending; each is computed on primals stripped of it and above
        List<Integer> levels = new ArrayList<>();
        for (Tensor t : in) {
            if (t == null) continue;
            for (Tangent g = t.tangents; g != null; g = g.next()) if (!levels.contains(g.level())) levels.add(g.level());
        }
        levels.sort(null);
        for (int level : levels) {
            Tensor[] ts = new Tensor[in.length], ps = new Tensor[in.length];
            for (int i = 0; i < in.length; i++) {
                if (in[i] == null) continue;
                ts[i] = tangent(in[i], level);
                ps[i] = below(in[i], level);
            }
            Tensor po = below(out, level);
            Tensor t = rule.jvp(ts, ps, po);
            if (t == null) continue;
            if (!Arrays.equals(t.shape, out.shape)) t = t.expand(out.shape);
            if (t.dtype != out.dtype) t = t.to(out.dtype);
            out.tangents = Tangent.with(out.tangents, level, t);
        }
    }

    // ---- backward -----------------------------------------------------------------------------

    /** g summed over the dims where it was broadcast from shape, then shaped as shape. */
    static Tensor sumTo(Tensor g, long[] shape) {
        if (Arrays.equals(g.shape, shape)) return g;
        int lead = g.shape.length - shape.length;
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < g.shape.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && g.shape[i] != 1)) dims.add(i);
        }
        Tensor s = dims.isEmpty() ? g : g.sum(dims.stream().mapToInt(Integer::intValue).toArray(), true);
        return s.reshape(shape);
    }

    /**
     * Runs a backward pass from output. With inputs null, gradients accumulate into the leaves'
     * grad (the tape style); otherwise they are returned for those inputs, zeros where unused.
     */
    static List<Tensor> run(String op, Tensor output, Tensor gradOutput, List<Tensor> inputs, boolean createGraph) {
        output.live(op);
        if (output.node == null) {
            String why = output.nonDiffOp != null
                    ? "it was produced by " + output.nonDiffOp + ", which is not differentiable"
                    : "it does not require grad (no input of it requires grad)";
            throw new NotDifferentiableException(op + ": cannot differentiate output" + output.describe() + ": " + why);
        }
        Tensor g0;
        if (gradOutput == null) {
            if (output.numel() != 1) {
                throw Errors.shape(op, "a gradOutput is needed for a non-scalar output", output);
            }
            g0 = Creation.full(output.dtype, output.device(), 1, output.shape.clone());
        } else {
            gradOutput.live(op);
            if (!Arrays.equals(gradOutput.shape, output.shape)) {
                throw Errors.shape(op, "gradOutput shape differs from the output's", output, gradOutput);
            }
            g0 = gradOutput.dtype == output.dtype ? gradOutput : gradOutput.to(output.dtype);
        }
        Map<Node, Integer> wanted = new IdentityHashMap<>();
        if (inputs != null) {
            for (int i = 0; i < inputs.size(); i++) {
                Tensor x = inputs.get(i).live(op);
                if (x.node == null) {
                    throw new NotDifferentiableException(Errors.message(op, "input " + i + " does not require grad", x));
                }
                wanted.putIfAbsent(x.node, i);
            }
        }
        Map<Node, Boolean> needed = new IdentityHashMap<>();
        markNeeded(output.node, wanted, inputs == null, needed);

        Map<Node, Tensor> grads = new IdentityHashMap<>();
        grads.put(output.node, g0);
        Tensor[] results = inputs == null ? null : new Tensor[inputs.size()];
        PriorityQueue<Node> queue = new PriorityQueue<>((a, b) -> Long.compare(b.seq, a.seq));
        queue.add(output.node);
        List<Node> visited = new ArrayList<>();
        NoGrad noGrad = createGraph ? null : NoGrad.open();
        try {
            while (!queue.isEmpty()) {
                Node n = queue.poll();
                Tensor g = grads.remove(n);
                if (g == null) continue;
                visited.add(n);
                Integer want = wanted.get(n);
                if (want != null) {
                    for (int i = 0; i < inputs.size(); i++) {
                        if (inputs.get(i).node == n) results[i] = g;
                    }
                }
                if (n.isLeaf()) {
                    if (inputs == null) accumulate(n.leaf, g, createGraph);
                    continue;
                }
                if (!needed.getOrDefault(n, false)) continue;
                if (n.released) {
                    throw new NablaException(op + ": the graph through " + n.describe()
                            + " was freed by an earlier backward; use createGraph=true to differentiate twice");
                }
                Tensor[] gin = applyRule(n, g, createGraph, needed, wanted);
                if (want == null && !createGraph && g != g0) g.close();
                for (int i = 0; i < n.next.length; i++) {
                    Node p = n.next[i];
                    if (p == null || gin[i] == null || !needed.getOrDefault(p, false) && !wanted.containsKey(p)) {
                        if (gin[i] != null && !createGraph) gin[i].close();
                        continue;
                    }
                    Tensor prev = grads.get(p);
                    if (prev == null) {
                        grads.put(p, gin[i]);
                        queue.add(p);
                    } else {
                        grads.put(p, prev.add(gin[i]));
                        if (!createGraph) {
                            if (!isResult(prev, results)) prev.close();
                            gin[i].close();
                        }
                    }
                }
            }
        } finally {
            if (noGrad != null) noGrad.close();
        }
        if (!createGraph) for (Node n : visited) n.release();
        if (g0 != gradOutput && !isResult(g0, results)) g0.close();
        if (results == null) return null;
        List<Tensor> out = new ArrayList<>(results.length);
        for (int i = 0; i < results.length; i++) {
            Tensor x = inputs.get(i);
            Tensor r = results[i];
            if (r == null) r = Creation.full(x.dtype, x.device(), 0, x.shape.clone());
            else if (r == g0 && g0 == gradOutput) r = handle(r);
            out.add(r);
        }
        return out;
    }

    private static boolean isResult(Tensor t, Tensor[] results) {
        if (results == null) return false;
        for (Tensor r : results) if (r == t) return true;
        return false;
    }

    /** needed: the node has a path to a wanted node (or to any leaf, in tape style). */
    private static boolean markNeeded(Node n, Map<Node, Integer> wanted, boolean allLeaves, Map<Node, Boolean> needed) {
        // iterative post-order, since graphs can be deep (a long training loop's chain)
        Boolean known = needed.get(n);
        if (known != null) return known;
        ArrayList<Node> stack = new ArrayList<>();
        ArrayList<Integer> child = new ArrayList<>();
        stack.add(n);
        child.add(0);
        needed.put(n, false);
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            Node cur = stack.get(top);
            int i = child.get(top);
            if (i < cur.next.length) {
                child.set(top, i + 1);
                Node p = cur.next[i];
                if (p != null && !needed.containsKey(p)) {
                    needed.put(p, false);
                    stack.add(p);
                    child.add(0);
                }
                continue;
            }
            boolean need = cur.isLeaf() ? allLeaves : false;
            for (Node p : cur.next) {
                if (p != null && (needed.get(p) || wanted.containsKey(p))) need = true;
            }
            needed.put(cur, need);
            stack.remove(top);
            child.remove(top);
        }
        return needed.get(n);
    }

    private static Tensor[] applyRule(Node n, Tensor g, boolean createGraph, Map<Node, Boolean> needed,
                                      Map<Node, Integer> wanted) {
        Tensor[] in = n.saved;
        boolean[] needs = new boolean[n.next.length];
        for (int i = 0; i < needs.length; i++) {
            Node p = n.next[i];
            needs[i] = p != null && (needed.getOrDefault(p, false) || wanted.containsKey(p));
        }
        Tensor[] gin;
        if (createGraph) {
            gin = n.rule.backward(g, in, n.savedOut, needs);
        } else {
            try (Scope s = Scope.openInternal()) {
                gin = n.rule.backward(g, in, n.savedOut, needs);
                for (Tensor t : gin) if (t != null) s.keep(t);
            }
        }
        // adapt to each input: sum broadcast dims back, cast to its dtype; each result its own object
        for (int i = 0; i < gin.length; i++) {
            Node p = n.next[i];
            if (gin[i] == null || p == null) continue;
            Tensor r = gin[i];
            boolean shared = r == g;
            for (int j = 0; j < i; j++) shared |= gin[j] == r;
            if (shared) r = handle(r);
            if (!Arrays.equals(r.shape, p.shape)) r = swap(r, sumTo(r, p.shape), createGraph);
            if (r.dtype != p.dtype) r = swap(r, r.to(p.dtype), createGraph);
            gin[i] = r;
        }
        return gin;
    }

    private static Tensor swap(Tensor old, Tensor replacement, boolean createGraph) {
        if (!createGraph && replacement != old) old.close();
        return replacement;
    }

    private static void accumulate(Tensor leaf, Tensor g, boolean createGraph) {
        if (leaf.isClosed()) return;
        Tensor cur = leaf.grad;
        if (cur != null && cur.isClosed()) cur = null;
        if (cur == null) {
            Tensor own = createGraph ? handle(g) : detachedCopy(g);
            Scope.forget(own);
            leaf.grad = own;
            return;
        }
        if (createGraph || !ownsStorage(cur)) {
            Tensor sum = createGraph ? cur.add(g) : Elementwise.copyRaw(cur);
            if (!createGraph) {
                sum.backend().binary(dev.nabla.spi.BinaryOp.ADD, sum.buffer(), sum.layout(), g.buffer(),
                        Elementwise.layoutAs(g, sum.shape), sum.buffer());
                g.close();
            }
            Scope.forget(sum);
            leaf.grad = sum;
        } else {
            // in place, as PyTorch: a grad the caller holds sees the new values
            cur.backend().binary(dev.nabla.spi.BinaryOp.ADD, cur.buffer(), cur.layout(), g.buffer(),
                    Elementwise.layoutAs(g, cur.shape), cur.buffer());
            g.close();
        }
    }

    /** True when t alone holds its whole, contiguous storage and carries no autodiff state: safe to add into. */
    private static boolean ownsStorage(Tensor t) {
        return t.node == null && t.tangents == null && t.isContiguous() && t.offset == 0
                && t.storage.buffer.numel() == t.numel() && t.storage.refCount() == 1;
    }

    /** g as a contiguous tensor of its own without autodiff state (g itself when already so). */
    private static Tensor detachedCopy(Tensor g) {
        if (ownsStorage(g)) return g;
        Tensor c = Elementwise.copyRaw(g);
        g.close();
        return c;
    }
}
