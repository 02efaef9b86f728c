package dev.nabla.conformance;

import dev.nabla.CsrMatrix;
import dev.nabla.DType;
import dev.nabla.DTypeMismatchException;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

import static dev.nabla.DType.F32;
import static dev.nabla.DType.F64;
import static dev.nabla.DType.I64;
import static dev.nabla.conformance.Values.uniform;

/**
 * Sparse matrices ({@link CsrMatrix}): which entries threshold, topK and topKPerRow keep (through
 * toDense, exactly, with ties, zeros and special values), and the sparse × dense product and the
 * transposed product against a dense float64 product of the kept entries. The k of the top-k
 * specs travels in the sample's dims.
 */
final class SparseSpecs {
    private SparseSpecs() {}

    private static final double T = 1.0;

    static List<OpSpec> all() {
        List<OpSpec> s = new ArrayList<>();
        s.add(OpSpec.builder("sparse threshold (toDense)", Kind.EXACT).dtypes(F32, F64)
                .op(xs -> CsrMatrix.threshold(xs.get(0), T).toDense())
                .reference(rs -> Expected.of(dense(rs.get(0), thresholdMask(rs.get(0).v(), T))))
                .samples(t -> selectionSamples(t, 0, 0))
                .error(new ErrorCase("1-D source", "threshold", ShapeMismatchException.class,
                        d -> List.of(Tensor.zeros(F32, d, 6)), xs -> CsrMatrix.threshold(xs.get(0), T)))
                .error(new ErrorCase("integer source", "threshold", DTypeMismatchException.class,
                        d -> List.of(Tensor.zeros(I64, d, 2, 3)), xs -> CsrMatrix.threshold(xs.get(0), T)))
                .grad(Arg.of(F64, Values.signed(401, F64, 0.2, 1.8, 3, 4)))
                .build());
        s.add(OpSpec.builder("sparse topK (toDense)", Kind.EXACT).dtypes(F32, F64)
                .opWith((xs, smp) -> CsrMatrix.topK(xs.get(0), smp.dim()).toDense())
                .referenceWith((rs, smp) -> Expected.of(dense(rs.get(0), topKMask(rs.get(0).v(), smp.dim()))))
                .samples(t -> selectionSamples(t, 7, 10_500))
                .error(new ErrorCase("integer source", "topK", DTypeMismatchException.class,
                        d -> List.of(Tensor.zeros(I64, d, 2, 3)), xs -> CsrMatrix.topK(xs.get(0), 2)))
                .grad(Sample.of("grad", Arg.of(F64, Values.signed(402, F64, 0.2, 1.8, 3, 4))).dims(false, 5))
                .build());
        s.add(OpSpec.builder("sparse topKPerRow (toDense)", Kind.EXACT).dtypes(F32, F64)
                .opWith((xs, smp) -> CsrMatrix.topKPerRow(xs.get(0), smp.dim()).toDense())
                .referenceWith((rs, smp) -> Expected.of(dense(rs.get(0), perRowMask(rs.get(0), smp.dim()))))
                .samples(t -> selectionSamples(t, 2, 100))
                .error(new ErrorCase("3-D source", "topKPerRow", ShapeMismatchException.class,
                        d -> List.of(Tensor.zeros(F64, d, 2, 3, 4)), xs -> CsrMatrix.topKPerRow(xs.get(0), 2)))
                .grad(Sample.of("grad", Arg.of(F64, Values.signed(403, F64, 0.2, 1.8, 3, 4))).dims(false, 2))
                .build());
        s.add(OpSpec.builder("sparse matmul", Kind.ACCUMULATE).dtypes(F32, F64)
                .op(xs -> CsrMatrix.threshold(xs.get(0), T).matmul(xs.get(1)))
                .reference(rs -> StructureSpecs.product(dense(rs.get(0), thresholdMask(rs.get(0).v(), T)), rs.get(1)))
                .samples(t -> productSamples(t, false))
                .error(new ErrorCase("inner dims differ", "sparse matmul", ShapeMismatchException.class,
                        d -> List.of(Tensor.ones(F32, d, 3, 4), Tensor.zeros(F32, d, 5)),
                        xs -> CsrMatrix.threshold(xs.get(0), 0).matmul(xs.get(1))))
                .error(new ErrorCase("dtypes differ", "sparse matmul", DTypeMismatchException.class,
                        d -> List.of(Tensor.ones(F32, d, 3, 4), Tensor.zeros(F64, d, 4)),
                        xs -> CsrMatrix.threshold(xs.get(0), 0).matmul(xs.get(1))))
                .grad(Arg.of(F64, Values.signed(404, F64, 0.2, 1.8, 3, 4)), Arg.of(F64, Values.signed(405, F64, 0.2, 1.2, 4, 2)))
                .build());
        s.add(OpSpec.builder("sparse mT matmul", Kind.ACCUMULATE).dtypes(F32, F64)
                .op(xs -> CsrMatrix.threshold(xs.get(0), T).mT().matmul(xs.get(1)))
                .reference(rs -> StructureSpecs.product(dense(rs.get(0), thresholdMask(rs.get(0).v(), T)).permute(1, 0), rs.get(1)))
                .samples(t -> productSamples(t, true))
                .grad(Arg.of(F64, Values.signed(406, F64, 0.2, 1.8, 4, 3)), Arg.of(F64, Values.signed(407, F64, 0.2, 1.2, 4)))
                .build());
        return s;
    }

    // ---- samples ------------------------------------------------------------------------------

    /** Halves of integers in [-2, 2]: many ties, with each other and with the threshold 1. */
    private static Ref ties(long seed, long... shape) {
        Ref r = uniform(seed, I64, -4, 4, shape);
        return Ref.of(Arrays.stream(r.v()).map(v -> v / 2).toArray(), shape);
    }

    private static Ref specials() {
        double[] v = {Double.NaN, 2, Double.NEGATIVE_INFINITY, -1, 0.5, Double.POSITIVE_INFINITY, 1, -0.5, 1, 0, -3, Double.NaN};
        return Ref.of(v, 3, 4);
    }

    private static List<Sample> selectionSamples(DType t, int k, int largeK) {
        return List.of(
                Sample.of("[5,6] with ties", Arg.of(t, ties(411, 5, 6))).dims(false, k),
                Sample.of("transposed", Arg.transposed(t, ties(412, 4, 7))).dims(false, k),
                Sample.of("strided", Arg.strided(t, ties(413, 6, 3))).dims(false, k),
                Sample.of("broadcast rows", Arg.broadcast(t, ties(414, 1, 6), 4, 6)).dims(false, k),
                Sample.of("NaN, infinities", Arg.of(t, specials())).dims(false, k),
                Sample.of("k = 0", Arg.of(t, ties(415, 3, 4))).dims(false, 0),
                Sample.of("k = all", Arg.of(t, ties(419, 3, 4))).dims(false, 12),
                Sample.of("zero-size [0,4]", Arg.of(t, ties(416, 0, 4))).dims(false, k),
                Sample.of("zero-size [3,0]", Arg.of(t, ties(417, 3, 0))).dims(false, k),
                Sample.of("large [517,1031]", Arg.of(t, uniform(418, t, -3, 3, 517, 1031))).dims(false, largeK));
    }

    private static List<Sample> productSamples(DType t, boolean transposed) {
        // a is [m, k] for A·b and [k, m] for Aᵀ·b: b always has the product's inner size
        Function<long[], long[]> shapeOfA = mk -> transposed ? new long[] {mk[1], mk[0]} : mk;
        return List.of(
                Sample.of("[5,7] @ [7]", Arg.of(t, uniform(421, t, -2, 2, shapeOfA.apply(new long[] {5, 7}))), Arg.of(t, uniform(422, t, -3, 3, 7))),
                Sample.of("[5,7] @ [7,3]", Arg.of(t, uniform(423, t, -2, 2, shapeOfA.apply(new long[] {5, 7}))), Arg.of(t, uniform(424, t, -3, 3, 7, 3))),
                Sample.of("transposed a, transposed b", Arg.transposed(t, uniform(425, t, -2, 2, shapeOfA.apply(new long[] {4, 6}))),
                        Arg.transposed(t, uniform(426, t, -3, 3, 6, 5))),
                Sample.of("strided b", Arg.of(t, uniform(427, t, -2, 2, shapeOfA.apply(new long[] {4, 6}))), Arg.strided(t, uniform(428, t, -3, 3, 6))),
                Sample.of("broadcast b [6,1]->[6,4]", Arg.of(t, uniform(429, t, -2, 2, shapeOfA.apply(new long[] {3, 6}))),
                        Arg.broadcast(t, uniform(430, t, -3, 3, 6, 1), 6, 4)),
                Sample.of("nothing kept", Arg.of(t, uniform(431, t, -0.5, 0.5, shapeOfA.apply(new long[] {3, 4}))), Arg.of(t, uniform(432, t, -3, 3, 4, 2))),
                Sample.of("zero-size [0,4] @ [4,2]", Arg.of(t, uniform(433, t, -2, 2, shapeOfA.apply(new long[] {0, 4}))), Arg.of(t, uniform(434, t, -3, 3, 4, 2))),
                Sample.of("empty inner [3,0] @ [0,2]", Arg.of(t, uniform(435, t, -2, 2, shapeOfA.apply(new long[] {3, 0}))), Arg.of(t, uniform(436, t, -3, 3, 0, 2))),
                Sample.of("large [1031,1029] @ [1029,3]", Arg.of(t, uniform(437, t, -2, 2, shapeOfA.apply(new long[] {1031, 1029}))),
                        Arg.of(t, uniform(438, t, -3, 3, 1029, 3))));
    }

    // ---- references ---------------------------------------------------------------------------

    /** The kept entries (as toDense writes them: added into +0.0), zeros elsewhere. */
    private static Ref dense(Ref a, boolean[] keep) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = keep[i] ? 0.0 + a.v()[i] : 0.0;
        return Ref.of(v, a.shape());
    }

    /** |x| > t, NaN included (it ranks above every number). */
    private static boolean[] thresholdMask(double[] v, double t) {
        boolean[] keep = new boolean[v.length];
        for (int i = 0; i < v.length; i++) keep[i] = Double.compare(Math.abs(v[i]), t) > 0;
        return keep;
    }

    /** The k largest by Double.compare, ties to the lower position. */
    private static boolean[] topKMask(double[] v, long k) {
        Integer[] order = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(v[b], v[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        boolean[] keep = new boolean[v.length];
        for (int i = 0; i < Math.min(k, v.length); i++) keep[order[i]] = true;
        return keep;
    }

    private static boolean[] perRowMask(Ref a, long k) {
        long rows = a.shape()[0], cols = a.shape()[1];
        boolean[] keep = new boolean[a.size()];
        for (int i = 0; i < rows; i++) {
            double[] row = Arrays.copyOfRange(a.v(), (int) (i * cols), (int) ((i + 1) * cols));
            boolean[] r = topKMask(row, k);
            System.arraycopy(r, 0, keep, (int) (i * cols), (int) cols);
        }
        return keep;
    }
}
