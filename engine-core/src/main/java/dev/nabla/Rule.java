package dev.nabla;

/**
 * The derivatives of one primitive, side by side: the backward rule (vector-Jacobian product) and
 * the tangent rule (Jacobian-vector product), both written with ordinary Tensor ops so that their
 * results are themselves differentiable.
 *
 * <p>The graph adapts results for the rule: a gradient whose shape differs from its input's is
 * summed back over broadcast dims; a tangent is broadcast to the output's shape; dtypes are cast.
 */
abstract class Rule {
    final String name;
    final boolean savesInputs;
    final boolean savesOutput;

    Rule(String name, boolean savesInputs, boolean savesOutput) {
        this.name = name;
        this.savesInputs = savesInputs;
        this.savesOutput = savesOutput;
    }

    /**
     * Gradients for each input given the output's gradient g; null where an input gets none.
     * {@code in} holds the inputs when {@link #savesInputs}, {@code out} the output when {@link #savesOutput};
     * {@code needs[i]} says whether input i's gradient is wanted (a rule may skip the others).
     */
    abstract Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs);

    /** The output's tangent given each input's (null meaning zero); null for a zero tangent. */
    abstract Tensor jvp(Tensor[] t, Tensor[] in, Tensor out);

    @Override
    public String toString() { return name; }
}
