package dev.nabla.conformance;

import java.util.List;

/**
 * One sample input of an op: a label for the report ("non-contiguous (mT)", "large"), its
 * arguments, and for ops that take dims (reductions, softmax, gather) the dims and keepDim.
 */
public record Sample(String label, List<Arg> args, int[] dims, boolean keepDim) {
    public static Sample of(String label, Arg... args) { return new Sample(label, List.of(args), new int[0], false); }

    /** The same inputs reduced over dims (none: all). */
    public Sample dims(boolean keepDim, int... dims) { return new Sample(label, args, dims, keepDim); }

    public List<Ref> refs() { return args.stream().map(Arg::value).toList(); }

    /** The first dim, for single-dim ops. */
    public int dim() { return dims.length == 0 ? 0 : dims[0]; }
}
