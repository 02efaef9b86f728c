package dev.nabla;

/**
 * One recorded op on the tape: its rule, the nodes of its inputs, and what the rule saved. A leaf
 * tensor that requires grad has a node without a rule, which accumulates into the leaf's grad.
 * Nodes are numbered in creation order, so processing by decreasing number is a topological order.
 */
final class Node {
    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

    final Rule rule;
    final Node[] next;
    final long seq = SEQUENCE.incrementAndGet();
    /** The output's metadata, for zero gradients and error messages. */
    final long[] shape;
    final DType dtype;
    final Device device;
    /** For a leaf: the tensor whose grad accumulates. */
    final Tensor leaf;
    Tensor[] saved;
    Tensor savedOut;
    boolean released;

    Node(Rule rule, Node[] next, Tensor out, Tensor leaf) {
        this.rule = rule;
        this.next = next;
        this.shape = out.shape;
        this.dtype = out.dtype;
        this.device = out.device();
        this.leaf = leaf;
    }

    boolean isLeaf() { return rule == null; }

    String describe() {
        return (rule == null ? "leaf" : rule.name) + java.util.Arrays.toString(shape) + " (" + dtype + ", " + device + ")";
    }

    /** Drops what the rule saved; a later backward through this node is an error. */
    void release() {
        if (released || rule == null) return;
        released = true;
        if (saved != null) for (Tensor t : saved) if (t != null) t.close();
        if (savedOut != null) savedOut.close();
        saved = null;
        savedOut = null;
    }
}
