package dev.nabla.conformance;

import dev.nabla.DType;

import java.util.List;
import java.util.function.Function;

import static dev.nabla.conformance.Values.uniform;

/**
 * The standard sample sets: contiguous, non-contiguous (a transposed view), strided (a slice with
 * step 2), broadcast (an expanded view), 0-d, zero-size, and large: {@value #LARGE} elements, over a
 * million and odd, so no vector width divides it and every kernel's tail runs.
 */
public final class Samples {
    /** 2^20 + 7. */
    public static final int LARGE = 1_048_583;

    private Samples() {}

    /** Elementwise unary inputs with values in [lo, hi). */
    public static Function<DType, List<Sample>> unary(double lo, double hi) {
        return t -> List.of(
                Sample.of("contiguous", Arg.of(t, uniform(11, t, lo, hi, 3, 4))),
                Sample.of("non-contiguous (mT)", Arg.transposed(t, uniform(12, t, lo, hi, 3, 4))),
                Sample.of("strided (step 2)", Arg.strided(t, uniform(13, t, lo, hi, 4, 5))),
                Sample.of("broadcast [3,1] to [3,5]", Arg.broadcast(t, uniform(14, t, lo, hi, 3, 1), 3, 5)),
                Sample.of("0-d", Arg.of(t, uniform(15, t, lo, hi))),
                Sample.of("zero-size [0,3]", Arg.of(t, uniform(16, t, lo, hi, 0, 3))),
                Sample.of("large", Arg.of(t, uniform(17, t, lo, hi, LARGE))));
    }

    /** Elementwise binary inputs: a in [alo, ahi), b in [blo, bhi). */
    public static Function<DType, List<Sample>> binary(double alo, double ahi, double blo, double bhi) {
        return t -> List.of(
                Sample.of("contiguous", Arg.of(t, uniform(21, t, alo, ahi, 3, 4)), Arg.of(t, uniform(22, t, blo, bhi, 3, 4))),
                Sample.of("broadcast [3,1] with [4]", Arg.of(t, uniform(23, t, alo, ahi, 3, 1)), Arg.of(t, uniform(24, t, blo, bhi, 4))),
                Sample.of("0-d with [3,4]", Arg.of(t, uniform(25, t, alo, ahi)), Arg.of(t, uniform(26, t, blo, bhi, 3, 4))),
                Sample.of("non-contiguous (mT, step 2)", Arg.transposed(t, uniform(27, t, alo, ahi, 3, 4)),
                        Arg.strided(t, uniform(28, t, blo, bhi, 3, 4))),
                Sample.of("expanded view", Arg.broadcast(t, uniform(29, t, alo, ahi, 1, 4), 3, 4), Arg.of(t, uniform(30, t, blo, bhi, 3, 4))),
                Sample.of("zero-size [0,4] with [4]", Arg.of(t, uniform(31, t, alo, ahi, 0, 4)), Arg.of(t, uniform(32, t, blo, bhi, 4))),
                Sample.of("large", Arg.of(t, uniform(33, t, alo, ahi, LARGE)), Arg.of(t, uniform(34, t, blo, bhi, LARGE))),
                Sample.of("large, row broadcast", Arg.of(t, uniform(35, t, alo, ahi, 1021, 1031)), Arg.of(t, uniform(36, t, blo, bhi, 1031))));
    }

    /** Reduction inputs over several dims configurations, values in [lo, hi). */
    public static Function<DType, List<Sample>> reduction(double lo, double hi) {
        return t -> List.of(
                Sample.of("all of [3,4,5]", Arg.of(t, uniform(41, t, lo, hi, 3, 4, 5))).dims(false),
                Sample.of("dim 1 of [3,4,5]", Arg.of(t, uniform(42, t, lo, hi, 3, 4, 5))).dims(false, 1),
                Sample.of("dims {0,2} keepDim", Arg.of(t, uniform(43, t, lo, hi, 3, 4, 5))).dims(true, 0, 2),
                Sample.of("dim -1 of non-contiguous (mT)", Arg.transposed(t, uniform(44, t, lo, hi, 5, 6))).dims(false, -1),
                Sample.of("dim 0 of strided (step 2)", Arg.strided(t, uniform(45, t, lo, hi, 6, 5))).dims(false, 0),
                Sample.of("dim 0 of broadcast [1,4] to [3,4]", Arg.broadcast(t, uniform(46, t, lo, hi, 1, 4), 3, 4)).dims(false, 0),
                Sample.of("0-d", Arg.of(t, uniform(47, t, lo, hi))).dims(false),
                Sample.of("many rows: dim 1 of [2000,37]", Arg.of(t, uniform(48, t, lo, hi, 2000, 37))).dims(false, 1),
                Sample.of("large: all", Arg.of(t, uniform(49, t, lo, hi, LARGE))).dims(false),
                Sample.of("large: dim 1 of [3,349531]", Arg.of(t, uniform(50, t, lo, hi, 3, 349_531))).dims(false, 1),
                Sample.of("large: dim 0 of [1031,1021]", Arg.of(t, uniform(51, t, lo, hi, 1031, 1021))).dims(false, 0));
    }

    /** Reductions over zero-size extents: the empty sum is 0, the empty product 1. */
    public static List<Sample> emptyReductions(DType t) {
        return List.of(
                Sample.of("empty: all of [0]", Arg.of(t, uniform(52, t, 0, 1, 0))).dims(false),
                Sample.of("empty: dim 1 of [3,0]", Arg.of(t, uniform(53, t, 0, 1, 3, 0))).dims(false, 1),
                Sample.of("empty output: dim 1 of [0,4]", Arg.of(t, uniform(54, t, 0, 1, 0, 4))).dims(false, 1));
    }
}
