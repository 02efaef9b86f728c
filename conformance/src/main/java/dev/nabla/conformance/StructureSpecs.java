package dev.nabla.conformance;

import dev.nabla.DType;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static dev.nabla.DType.BOOL;
import static dev.nabla.DType.F32;
import static dev.nabla.DType.F64;
import static dev.nabla.DType.I32;
import static dev.nabla.DType.I64;
import static dev.nabla.conformance.Values.uniform;

/** Linear algebra (matmul, dot, outer), index ops (gather, indexSelect, scatterAdd) and data movement (copy of a view, cat, pad). */
final class StructureSpecs {
    private StructureSpecs() {}

    static List<OpSpec> all() {
        List<OpSpec> s = new ArrayList<>();
        s.add(matmul());
        s.add(OpSpec.builder("dot", Kind.ACCUMULATE).dtypes(F32, F64, I32, I64)
                .op(xs -> xs.get(0).dot(xs.get(1))).reference(rs -> product(rs.get(0), rs.get(1)))
                .samples(t -> List.of(Sample.of("contiguous", Arg.of(t, uniform(201, t, -3, 3, 7)), Arg.of(t, uniform(202, t, -3, 3, 7))),
                        Sample.of("strided", Arg.strided(t, uniform(203, t, -3, 3, 9)), Arg.of(t, uniform(204, t, -3, 3, 9))),
                        Sample.of("zero-size", Arg.of(t, uniform(205, t, -3, 3, 0)), Arg.of(t, uniform(206, t, -3, 3, 0))),
                        Sample.of("large", Arg.of(t, uniform(207, t, -3, 3, Samples.LARGE)), Arg.of(t, uniform(208, t, -3, 3, Samples.LARGE)))))
                .grad(Arg.of(F64, Values.signed(209, F64, 0.2, 1.2, 5)), Arg.of(F64, Values.signed(210, F64, 0.2, 1.2, 5)))
                .build());
        s.add(OpSpec.builder("outer", Kind.ELEMENTWISE).dtypes(F32, F64, I32, I64)
                .op(xs -> xs.get(0).outer(xs.get(1)))
                .reference(rs -> Expected.of(Ref.zip(Ref.of(rs.get(0).v(), rs.get(0).size(), 1), rs.get(1), (x, y) -> x * y)))
                .samples(t -> List.of(Sample.of("contiguous", Arg.of(t, uniform(211, t, -3, 3, 5)), Arg.of(t, uniform(212, t, -3, 3, 7))),
                        Sample.of("strided", Arg.strided(t, uniform(213, t, -3, 3, 4)), Arg.of(t, uniform(214, t, -3, 3, 3))),
                        Sample.of("zero-size", Arg.of(t, uniform(215, t, -3, 3, 0)), Arg.of(t, uniform(216, t, -3, 3, 3))),
                        Sample.of("large", Arg.of(t, uniform(217, t, -3, 3, 1021)), Arg.of(t, uniform(218, t, -3, 3, 1031)))))
                .grad(Arg.of(F64, Values.signed(219, F64, 0.2, 1.2, 3)), Arg.of(F64, Values.signed(220, F64, 0.2, 1.2, 2)))
                .build());
        s.add(gather());
        s.add(indexSelect());
        s.add(scatterAdd());
        s.add(OpSpec.builder("contiguous (of permute)", Kind.EXACT).dtypes(F32, F64, I32, I64, BOOL)
                .op(xs -> xs.get(0).permute(2, 0, 1).contiguous()).reference(rs -> Expected.of(rs.get(0).permute(2, 0, 1)))
                .samples(t -> List.of(Sample.of("[3,4,5]", Arg.of(t, uniform(231, t, -3, 3, 3, 4, 5))),
                        Sample.of("strided [3,4,5]", Arg.strided(t, uniform(232, t, -3, 3, 3, 4, 5))),
                        Sample.of("broadcast [3,1,5]", Arg.broadcast(t, uniform(233, t, -3, 3, 3, 1, 5), 3, 4, 5)),
                        Sample.of("zero-size", Arg.of(t, uniform(234, t, -3, 3, 3, 0, 5))),
                        Sample.of("large", Arg.of(t, uniform(235, t, -3, 3, 101, 103, 107)))))
                .grad(Arg.of(F64, Values.signed(236, F64, 0.2, 1.2, 2, 3, 2)))
                .build());
        s.add(OpSpec.builder("cat", Kind.EXACT).dtypes(F32, F64, I32, I64, BOOL)
                .op(xs -> Tensor.cat(List.of(xs.get(0), xs.get(1)), 1))
                .reference(rs -> Expected.of(cat(rs.get(0), rs.get(1))))
                .samples(t -> List.of(Sample.of("[3,2] and [3,4]", Arg.of(t, uniform(241, t, -3, 3, 3, 2)), Arg.of(t, uniform(242, t, -3, 3, 3, 4))),
                        Sample.of("non-contiguous", Arg.transposed(t, uniform(243, t, -3, 3, 3, 5)), Arg.strided(t, uniform(244, t, -3, 3, 3, 2))),
                        Sample.of("zero-size part", Arg.of(t, uniform(245, t, -3, 3, 3, 0)), Arg.of(t, uniform(246, t, -3, 3, 3, 4))),
                        Sample.of("large", Arg.of(t, uniform(247, t, -3, 3, 1021, 600)), Arg.of(t, uniform(248, t, -3, 3, 1021, 431)))))
                .error(new ErrorCase("other dims differ", "cat", ShapeMismatchException.class,
                        d -> List.of(Tensor.zeros(F32, d, 3, 2), Tensor.zeros(F32, d, 4, 2)), xs -> Tensor.cat(xs, 1)))
                .grad(Arg.of(F64, Values.signed(249, F64, 0.2, 1.2, 2, 2)), Arg.of(F64, Values.signed(250, F64, 0.2, 1.2, 2, 3)))
                .build());
        s.add(OpSpec.builder("pad", Kind.EXACT).dtypes(F32, F64, I32, I64, BOOL)
                .op(xs -> xs.get(0).pad(new long[] {1, 0}, new long[] {0, 2}, 1))
                .reference(rs -> Expected.of(pad(rs.get(0))))
                .samples(t -> List.of(Sample.of("[3,4]", Arg.of(t, uniform(251, t, -3, 3, 3, 4))),
                        Sample.of("non-contiguous", Arg.transposed(t, uniform(252, t, -3, 3, 3, 4))),
                        Sample.of("zero-size", Arg.of(t, uniform(253, t, -3, 3, 0, 4))),
                        Sample.of("large", Arg.of(t, uniform(254, t, -3, 3, 1021, 1029)))))
                .grad(Arg.of(F64, Values.signed(255, F64, 0.2, 1.2, 2, 3)))
                .build());
        return s;
    }

    // ---- linear algebra ---------------------------------------------------------------------

    private static OpSpec matmul() {
        Function<DType, List<Sample>> samples = t -> List.of(
                Sample.of("[3,4] @ [4,5]", Arg.of(t, uniform(261, t, -3, 3, 3, 4)), Arg.of(t, uniform(262, t, -3, 3, 4, 5))),
                Sample.of("transposed a", Arg.transposed(t, uniform(263, t, -3, 3, 3, 4)), Arg.of(t, uniform(264, t, -3, 3, 4, 5))),
                Sample.of("transposed b, strided a", Arg.strided(t, uniform(265, t, -3, 3, 3, 4)), Arg.transposed(t, uniform(266, t, -3, 3, 4, 5))),
                Sample.of("batched [2,3,4] @ [2,4,5]", Arg.of(t, uniform(267, t, -3, 3, 2, 3, 4)), Arg.of(t, uniform(268, t, -3, 3, 2, 4, 5))),
                Sample.of("broadcast batch [2,3,4] @ [4,5]", Arg.of(t, uniform(269, t, -3, 3, 2, 3, 4)), Arg.of(t, uniform(270, t, -3, 3, 4, 5))),
                Sample.of("[4] @ [4,5]", Arg.of(t, uniform(271, t, -3, 3, 4)), Arg.of(t, uniform(272, t, -3, 3, 4, 5))),
                Sample.of("[3,4] @ [4]", Arg.of(t, uniform(273, t, -3, 3, 3, 4)), Arg.of(t, uniform(274, t, -3, 3, 4))),
                Sample.of("odd tiles [67,129] @ [129,71]", Arg.of(t, uniform(275, t, -3, 3, 67, 129)), Arg.of(t, uniform(276, t, -3, 3, 129, 71))),
                Sample.of("zero-size [0,4] @ [4,5]", Arg.of(t, uniform(277, t, -3, 3, 0, 4)), Arg.of(t, uniform(278, t, -3, 3, 4, 5))),
                Sample.of("empty inner [3,0] @ [0,4]", Arg.of(t, uniform(279, t, -3, 3, 3, 0)), Arg.of(t, uniform(280, t, -3, 3, 0, 4))),
                Sample.of("large [1031,9] @ [9,1021]", Arg.of(t, uniform(281, t, -3, 3, 1031, 9)), Arg.of(t, uniform(282, t, -3, 3, 9, 1021))));
        return OpSpec.builder("matmul", Kind.ACCUMULATE).dtypes(F32, F64, I32, I64)
                .op(xs -> xs.get(0).matmul(xs.get(1))).reference(rs -> product(rs.get(0), rs.get(1)))
                .samples(samples)
                .error(new ErrorCase("inner dims differ", "matmul", ShapeMismatchException.class,
                        d -> List.of(Tensor.zeros(F32, d, 2, 3), Tensor.zeros(F32, d, 4, 5)), xs -> xs.get(0).matmul(xs.get(1))))
                .grad(Arg.of(F64, Values.signed(283, F64, 0.2, 1.2, 2, 3)), Arg.of(F64, Values.signed(284, F64, 0.2, 1.2, 3, 2)))
                .build();
    }

    /** torch.matmul on references: 1-D operands promoted and their dims dropped, batch dims broadcast. */
    static Expected product(Ref a, Ref b) {
        boolean av = a.rank() == 1, bv = b.rank() == 1;
        Ref a2 = av ? Ref.of(a.v(), 1, a.size()) : a, b2 = bv ? Ref.of(b.v(), b.size(), 1) : b;
        long m = a2.shape()[a2.rank() - 2], k = a2.shape()[a2.rank() - 1], n = b2.shape()[b2.rank() - 1];
        long[] ab = Arrays.copyOf(a2.shape(), a2.rank() - 2), bb = Arrays.copyOf(b2.shape(), b2.rank() - 2);
        long[] batch = Ref.broadcastShape(ab, bb);
        Ref ax = a2.broadcastTo(concat(batch, m, k)), bx = b2.broadcastTo(concat(batch, k, n));
        int nb = (int) Ref.numel(batch);
        double[] v = new double[(int) (nb * m * n)], sc = new double[v.length];
        for (int q = 0; q < nb; q++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0, s2 = 0;
                    for (int p = 0; p < k; p++) {
                        double x = ax.v()[(int) (q * m * k + i * k + p)], y = bx.v()[(int) (q * k * n + p * n + j)];
                        s += x * y;
                        s2 += Math.abs(x * y);
                    }
                    v[(int) (q * m * n + i * n + j)] = s;
                    sc[(int) (q * m * n + i * n + j)] = s2;
                }
            }
        }
        long[] out = concat(batch, m, n);
        List<Long> dims = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            if (av && i == out.length - 2) continue;
            if (bv && i == out.length - 1) continue;
            dims.add(out[i]);
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        return new Expected(Ref.of(v, shape), Ref.of(sc, shape), Math.max(1, k));
    }

    private static long[] concat(long[] a, long... b) {
        long[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    // ---- index ops ----------------------------------------------------------------------------

    private static Arg index(long seed, long size, long... shape) {
        return Arg.of(I64, uniform(seed, I64, 0, size - 1, shape));
    }

    private static OpSpec gather() {
        Function<DType, List<Sample>> samples = t -> List.of(
                Sample.of("dim 1 of [3,5], index [3,4]", Arg.of(t, uniform(301, t, -3, 3, 3, 5)), index(302, 5, 3, 4)).dims(false, 1),
                Sample.of("dim 0 of non-contiguous, index [2,3]", Arg.transposed(t, uniform(303, t, -3, 3, 4, 3)), index(304, 4, 2, 3)).dims(false, 0),
                Sample.of("strided index", Arg.of(t, uniform(305, t, -3, 3, 3, 5)), Arg.strided(I64, uniform(306, I64, 0, 4, 3, 2))).dims(false, 1),
                Sample.of("zero-size index", Arg.of(t, uniform(307, t, -3, 3, 3, 5)), index(308, 5, 3, 0)).dims(false, 1),
                Sample.of("large", Arg.of(t, uniform(309, t, -3, 3, 1021, 1031)), index(310, 1031, 1021, 1031)).dims(false, 1));
        return OpSpec.builder("gather", Kind.EXACT).dtypes(F32, F64, I32, I64, BOOL)
                .opWith((xs, s) -> xs.get(0).gather(s.dim(), xs.get(1)))
                .referenceWith((rs, s) -> Expected.of(gatherRef(rs.get(0), s.dim(), rs.get(1))))
                .samples(samples)
                .error(new ErrorCase("index out of range", "gather", ShapeMismatchException.class,
                        d -> List.of(Tensor.zeros(F32, d, 2, 3), Tensor.of(I64, d, new double[] {0, 3, 1, 2}, 2, 2)),
                        xs -> xs.get(0).gather(1, xs.get(1))))
                .grad(Sample.of("grad", Arg.of(F64, Values.signed(311, F64, 0.2, 1.2, 3, 4)), index(312, 4, 3, 5)).dims(false, 1))
                .build();
    }

    static Ref gatherRef(Ref x, int dim, Ref idx) {
        double[] v = new double[idx.size()];
        long[] xs = Ref.strides(x.shape());
        for (int p = 0; p < v.length; p++) {
            long[] i = Ref.unravel(p, idx.shape());
            i[dim] = (long) idx.v()[p];
            long off = 0;
            for (int d = 0; d < i.length; d++) off += i[d] * xs[d];
            v[p] = x.v()[(int) off];
        }
        return Ref.of(v, idx.shape());
    }

    private static OpSpec indexSelect() {
        Function<DType, List<Sample>> samples = t -> List.of(
                Sample.of("dim 0 of [4,3], repeats", Arg.of(t, uniform(321, t, -3, 3, 4, 3)), Arg.of(I64, Ref.of(new double[] {3, 0, 3, 1, 2}, 5))).dims(false, 0),
                Sample.of("dim 1 of non-contiguous", Arg.transposed(t, uniform(322, t, -3, 3, 3, 4)), index(323, 4, 6)).dims(false, 1),
                Sample.of("empty index", Arg.of(t, uniform(324, t, -3, 3, 3, 4)), index(325, 4, 0)).dims(false, 1),
                Sample.of("large", Arg.of(t, uniform(326, t, -3, 3, 1031, 1021)), index(327, 1031, 1033)).dims(false, 0));
        return OpSpec.builder("indexSelect", Kind.EXACT).dtypes(F32, F64, I32, I64, BOOL)
                .opWith((xs, s) -> xs.get(0).indexSelect(s.dim(), xs.get(1)))
                .referenceWith((rs, s) -> {
                    Ref x = rs.get(0), idx = rs.get(1);
                    long[] shape = x.shape().clone();
                    shape[s.dim()] = idx.size();
                    double[] v = new double[(int) Ref.numel(shape)];
                    long[] st = Ref.strides(x.shape());
                    for (int p = 0; p < v.length; p++) {
                        long[] i = Ref.unravel(p, shape);
                        i[s.dim()] = (long) idx.v()[(int) i[s.dim()]];
                        long off = 0;
                        for (int d = 0; d < i.length; d++) off += i[d] * st[d];
                        v[p] = x.v()[(int) off];
                    }
                    return Expected.of(Ref.of(v, shape));
                })
                .samples(samples)
                .grad(Sample.of("grad", Arg.of(F64, Values.signed(328, F64, 0.2, 1.2, 3, 2)), Arg.of(I64, Ref.of(new double[] {2, 0, 2}, 3))).dims(false, 0))
                .build();
    }

    private static OpSpec scatterAdd() {
        Function<DType, List<Sample>> samples = t -> List.of(
                Sample.of("dim 1, repeated indices", Arg.of(t, uniform(331, t, -3, 3, 3, 4)), index(332, 4, 3, 6),
                        Arg.of(t, uniform(333, t, -3, 3, 3, 6))).dims(false, 1),
                Sample.of("dim 0, non-contiguous src", Arg.of(t, uniform(334, t, -3, 3, 4, 3)), index(335, 4, 5, 3),
                        Arg.transposed(t, uniform(336, t, -3, 3, 5, 3))).dims(false, 0),
                Sample.of("index smaller than src", Arg.of(t, uniform(337, t, -3, 3, 3, 4)), index(338, 4, 2, 2),
                        Arg.of(t, uniform(339, t, -3, 3, 3, 5))).dims(false, 1),
                Sample.of("zero-size index", Arg.of(t, uniform(340, t, -3, 3, 3, 4)), index(341, 4, 3, 0),
                        Arg.of(t, uniform(342, t, -3, 3, 3, 2))).dims(false, 1),
                Sample.of("large", Arg.of(t, uniform(343, t, -3, 3, 1021, 1031)), index(344, 1031, 1021, 1031),
                        Arg.of(t, uniform(345, t, -3, 3, 1021, 1031))).dims(false, 1));
        return OpSpec.builder("scatterAdd", Kind.ACCUMULATE).dtypes(F32, F64, I32, I64)
                .opWith((xs, s) -> xs.get(0).scatterAdd(s.dim(), xs.get(1), xs.get(2)))
                .referenceWith((rs, s) -> {
                    Ref self = rs.get(0), idx = rs.get(1), src = rs.get(2);
                    double[] v = self.v().clone(), sc = new double[v.length];
                    for (int i = 0; i < v.length; i++) sc[i] = Math.abs(v[i]);
                    long[] st = Ref.strides(self.shape()), ss = Ref.strides(src.shape());
                    for (int p = 0; p < idx.size(); p++) {
                        long[] i = Ref.unravel(p, idx.shape());
                        long soff = 0;
                        for (int d = 0; d < i.length; d++) soff += i[d] * ss[d];
                        i[s.dim()] = (long) idx.v()[p];
                        long off = 0;
                        for (int d = 0; d < i.length; d++) off += i[d] * st[d];
                        v[(int) off] += src.v()[(int) soff];
                        sc[(int) off] += Math.abs(src.v()[(int) soff]);
                    }
                    return new Expected(Ref.of(v, self.shape()), Ref.of(sc, self.shape()), Math.max(1, idx.rank() == 0 ? 1 : idx.shape()[s.dim()]));
                })
                .samples(samples)
                .error(new ErrorCase("index out of range", "scatterAdd", ShapeMismatchException.class,
                        d -> List.of(Tensor.zeros(F32, d, 2, 3), Tensor.of(I64, d, new double[] {0, 3}, 2, 1), Tensor.ones(F32, d, 2, 1)),
                        xs -> xs.get(0).scatterAdd(1, xs.get(1), xs.get(2))))
                .grad(Sample.of("grad", Arg.of(F64, Values.signed(346, F64, 0.2, 1.2, 3, 4)), index(347, 4, 3, 5),
                        Arg.of(F64, Values.signed(348, F64, 0.2, 1.2, 3, 5))).dims(false, 1))
                .build();
    }

    // ---- movement ---------------------------------------------------------------------------

    static Ref cat(Ref a, Ref b) {
        long r = a.shape()[0], ca = a.shape()[1], cb = b.shape()[1];
        double[] v = new double[(int) (r * (ca + cb))];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < ca; j++) v[(int) (i * (ca + cb) + j)] = a.v()[(int) (i * ca + j)];
            for (int j = 0; j < cb; j++) v[(int) (i * (ca + cb) + ca + j)] = b.v()[(int) (i * cb + j)];
        }
        return Ref.of(v, r, ca + cb);
    }

    /** pad([1, 0], [0, 2], 1): one row of ones before, two columns of ones after. */
    static Ref pad(Ref x) {
        long r = x.shape()[0], c = x.shape()[1];
        long rr = r + 1, cc = c + 2;
        double[] v = new double[(int) (rr * cc)];
        Arrays.fill(v, 1);
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) v[(int) ((i + 1) * cc + j)] = x.v()[(int) (i * c + j)];
        return Ref.of(v, rr, cc);
    }
}
