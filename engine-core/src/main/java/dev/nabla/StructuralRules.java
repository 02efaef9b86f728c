package dev.nabla;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Backward and tangent rules of reductions, views, concatenation, padding and the index ops.
 * Views route a gradient back into the shape they were taken from; reductions spread it over what
 * they reduced; amax/amin split it evenly among ties, as PyTorch.
 */
final class StructuralRules {
    private StructuralRules() {}

    /** dims of a mask, for Tensor.sum(int[], keepDim). */
    static int[] dims(boolean[] mask) {
        return java.util.stream.IntStream.range(0, mask.length).filter(i -> mask[i]).toArray();
    }

    /** The reduced output's shape with the reduced dims kept as size 1. */
    static long[] keptShape(long[] in, boolean[] mask) {
        long[] s = in.clone();
        for (int i = 0; i < s.length; i++) if (mask[i]) s[i] = 1;
        return s;
    }

    /** g (the reduction's output gradient) broadcast back over the input's shape. */
    private static Tensor spread(Tensor g, long[] inShape, boolean[] mask) {
        return g.reshape(keptShape(inShape, mask)).expand(inShape);
    }

    private static Tensor reduceLike(Tensor t, boolean[] mask, boolean keepDim) {
        return mask.length == 0 ? t : t.sum(dims(mask), keepDim);
    }

    static Rule sum(long[] inShape, boolean[] mask, boolean keepDim) {
        return new Rule("sum", false, false) {
            @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) {
                return new Tensor[] {spread(g, inShape, mask)};
            }
            @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) {
                return t[0] == null ? null : reduceLike(t[0], mask, keepDim);
            }
        };
    }

    /** ∂prod/∂x_i = product of the others: out / x_i away from zeros, the nonzero product at a lone zero. */
    private static Tensor prodSlope(Tensor x, Tensor out, boolean[] mask) {
        long[] kept = keptShape(x.shape, mask);
        int[] d = dims(mask);
        Tensor isZero = x.eq(0.0);
        Tensor zeros = isZero.to(DType.I64).sum(d, true);
        Tensor y = out.reshape(kept);
        Tensor one = Creation.full(x.dtype, x.device(), 1, new long[0]);
        Tensor safeX = Tensor.where(isZero, one, x);  // so the unused branch never divides by zero (NaN in grad-of-grad)
        Tensor nonzeroProd = safeX.prod(d, true);
        Tensor atZero = Tensor.where(zeros.eq(1.0), nonzeroProd, Rules.zerosLike(nonzeroProd));
        return Tensor.where(isZero, atZero.expand(x.shape), y.div(safeX));
    }

    static Rule prod(boolean[] mask, boolean keepDim) {
        return new Rule("prod", true, true) {
            @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) {
                return new Tensor[] {spread(g, in[0].shape, mask).mul(prodSlope(in[0], out, mask))};
            }
            @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) {
                return t[0] == null ? null : reduceLike(t[0].mul(prodSlope(in[0], out, mask)), mask, keepDim);
            }
        };
    }

    /** 1/count on the positions equal to the extreme, 0 elsewhere. */
    private static Tensor tieShare(Tensor x, Tensor out, boolean[] mask) {
        Tensor hit = x.eq(out.reshape(keptShape(x.shape, mask))).to(x.dtype);
        return hit.div(hit.sum(dims(mask), true));
    }

    static Rule extreme(String name, boolean[] mask, boolean keepDim) {
        return new Rule(name, true, true) {
            @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) {
                return new Tensor[] {spread(g, in[0].shape, mask).mul(tieShare(in[0], out, mask))};
            }
            @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) {
                return t[0] == null ? null : reduceLike(t[0].mul(tieShare(in[0], out, mask)), mask, keepDim);
            }
        };
    }

    static Rule reshape(long[] inShape, long[] outShape) {
        return Rules.linear("reshape", g -> g.reshape(inShape), t -> t.reshape(outShape));
    }

    static Rule permute(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inv[perm[i]] = i;
        return Rules.linear("permute", g -> g.permute(inv), t -> t.permute(perm));
    }

    /** The engine sums the gradient back over the expanded dims. */
    static Rule expand(long[] outShape) {
        return Rules.linear("expand", g -> g, t -> t.expand(outShape));
    }

    /** A view that picks elements (slice, select, narrow): the gradient is embedded back into zeros. */
    static Rule pick(String name, long[] inShape, UnaryOperator<Tensor> view) {
        return Rules.linear(name, g -> embed(g, inShape, view), view);
    }

    /** Zeros of shape with g written where view(zeros) would read; the adjoint of view. */
    static Tensor embed(Tensor g, long[] shape, UnaryOperator<Tensor> view) {
        Tensor z = Creation.full(g.dtype, g.device(), 0, shape.clone());
        Tensor plain = z.detach();
        Tensor region = view.apply(plain);
        if (g.numel() > 0) z.backend().copy(g.buffer(), g.layout(), z.buffer(), region.layout());
        region.close();
        plain.close();
        return Graph.record(Rules.linear("embed", view, t -> embed(t, shape, view)), z, g);
    }

    static Rule cat(int dim, long[][] shapes) {
        return new Rule("cat", false, false) {
            @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) {
                Tensor[] r = new Tensor[shapes.length];
                long at = 0;
                for (int i = 0; i < shapes.length; i++) {
                    if (needs[i]) r[i] = g.narrow(dim, at, shapes[i][dim]);
                    at += shapes[i][dim];
                }
                return r;
            }
            @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) {
                Tensor[] parts = new Tensor[shapes.length];
                DType dt = null;
                Tensor any = null;
                for (Tensor x : t) if (x != null) { any = x; break; }
                if (any == null) return null;
                for (int i = 0; i < shapes.length; i++) {
                    parts[i] = t[i] != null ? t[i] : Creation.full(any.dtype, any.device(), 0, shapes[i].clone());
                }
                return Tensor.cat(Arrays.asList(parts), dim);
            }
        };
    }

    static Rule pad(long[] before, long[] after) {
        long[] nb = Arrays.stream(before).map(v -> -v).toArray(), na = Arrays.stream(after).map(v -> -v).toArray();
        return Rules.linear("pad", g -> g.pad(nb, na, 0), t -> t.pad(before, after, 0));
    }

    /** Inputs (x, index); the index gets no gradient. */
    static Rule gather(int dim, long[] inShape) {
        return new Rule("gather", true, false) {
            @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) {
                return new Tensor[] {Creation.full(g.dtype, g.device(), 0, inShape.clone()).scatterAdd(dim, in[1], g), null};
            }
            @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) {
                return t[0] == null ? null : t[0].gather(dim, in[1]);
            }
        };
    }

    /** Inputs (x, index 1-D). */
    static Rule indexSelect(int dim, long[] inShape) {
        return new Rule("indexSelect", true, false) {
            @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) {
                long[] sh = new long[g.rank()];
                Arrays.fill(sh, 1);
                sh[dim] = in[1].numel();
                Tensor idx = in[1].reshape(sh).expand(g.shape);
                return new Tensor[] {Creation.full(g.dtype, g.device(), 0, inShape.clone()).scatterAdd(dim, idx, g), null};
            }
            @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) {
                return t[0] == null ? null : t[0].indexSelect(dim, in[1]);
            }
        };
    }

    /** Inputs (self, index, src); src's gradient is the output gradient gathered at the index, zero elsewhere. */
    static Rule scatterAdd(int dim, long[] srcShape) {
        return new Rule("scatterAdd", true, false) {
            @Override Tensor[] backward(Tensor g, Tensor[] in, Tensor out, boolean[] needs) {
                Tensor gs = null;
                if (needs[2]) {
                    Tensor picked = g.gather(dim, in[1]);
                    long[] before = new long[srcShape.length], after = new long[srcShape.length];
                    for (int i = 0; i < after.length; i++) after[i] = srcShape[i] - in[1].shape[i];
                    gs = Arrays.stream(after).allMatch(v -> v == 0) ? picked : picked.pad(before, after, 0);
                }
                return new Tensor[] {g, null, gs};
            }
            @Override Tensor jvp(Tensor[] t, Tensor[] in, Tensor out) {
                if (t[0] == null && t[2] == null) return null;
                Tensor self = t[0] != null ? t[0] : Rules.zerosLike(in[0]);
                if (t[2] == null) return self;
                Tensor src = t[2];
                for (int i = 0; i < src.rank(); i++) src = src.narrow(i, 0, in[1].shape[i]);
                return self.scatterAdd(dim, in[1], src);
            }
        };
    }
}
