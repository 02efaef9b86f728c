package dev.nabla;

import dev.nabla.spi.Layout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** View ops (new shape and strides over the same storage) and the movement ops built on copies. */
final class Shapes {
    private Shapes() {}

    /** dim normalized into [0, rank), negative counting from the end; ShapeMismatchException otherwise. */
    static int dim(String op, Tensor t, int dim, int rank) {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank) {
            throw Errors.shape(op, "dim " + dim + " out of range for rank " + rank, t);
        }
        return d;
    }

    /** The shape with one -1 inferred, checked against numel. */
    private static long[] inferShape(String op, Tensor t, long[] shape) {
        long[] s = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw Errors.shape(op, "only one dim can be -1 in " + Arrays.toString(shape), t);
                infer = i;
            } else if (s[i] < 0) {
                throw Errors.shape(op, "negative size in " + Arrays.toString(shape), t);
            } else {
                known *= s[i];
            }
        }
        long n = t.numel();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw Errors.shape(op, "cannot infer -1 in " + Arrays.toString(shape), t);
            }
            s[infer] = n / known;
        } else if (known != n) {
            throw Errors.shape(op, "shape " + Arrays.toString(shape) + " does not hold " + n + " elements", t);
        }
        return s;
    }

    /**
     * Strides giving the new shape over the same memory, or null when the old strides cannot be
     * reinterpreted (merged dims must be contiguous with each other, as PyTorch's view).
     */
    private static long[] viewStrides(long[] oldShape, long[] oldStrides, long[] newShape) {
        long[] ns = new long[newShape.length];
        if (Layout.numel(oldShape) == 0) return Layout.contiguousStrides(newShape);
        int vi = newShape.length - 1;
        long chunkBase = 0, tensorNumel = 1, viewNumel = 1;
        for (int ti = oldShape.length - 1; ti >= 0; ti--) {
            tensorNumel *= oldShape[ti];
            if (ti == oldShape.length - 1) chunkBase = oldStrides[ti];
            if (ti == 0 || (oldShape[ti - 1] != 1 && oldStrides[ti - 1] != tensorNumel * chunkBase)) {
                while (vi >= 0 && (viewNumel < tensorNumel || newShape[vi] == 1)) {
                    ns[vi] = viewNumel * chunkBase;
                    viewNumel *= newShape[vi];
                    vi--;
                }
                if (viewNumel != tensorNumel) return null;
                if (ti > 0) {
                    chunkBase = oldStrides[ti - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (vi != -1) {
            // remaining size-1 dims of a 0-d source
            for (; vi >= 0; vi--) {
                if (newShape[vi] != 1) return null;
                ns[vi] = 1;
            }
        }
        return ns;
    }

    static Tensor reshape(Tensor t, long[] shape, boolean mustView) {
        String op = mustView ? "view" : "reshape";
        t.live(op);
        long[] s = inferShape(op, t, shape);
        long[] st = viewStrides(t.shape, t.strides, s);
        Tensor v;
        if (st != null) {
            v = t.view(s, st, t.offset);
        } else if (mustView) {
            throw Errors.shape("view", "size and strides are not compatible with shape " + Arrays.toString(shape)
                    + " (use reshape)", t);
        } else {
            Tensor c = Elementwise.copyRaw(t);
            v = c.view(s, Layout.contiguousStrides(s), 0);
            c.close();
        }
        return Graph.tracked(t) ? Graph.record(StructuralRules.reshape(t.shape.clone(), s), v, t) : v;
    }

    static Tensor squeeze(Tensor t, int dim) {
        t.live("squeeze");
        int r = t.shape.length;
        if (r == 0) {
            dim("squeeze", t, dim, 1);
            Tensor v = t.view(t.shape, t.strides, t.offset);
            return Graph.tracked(t) ? Graph.record(Rules.IDENTITY, v, t) : v;
        }
        int d = dim("squeeze", t, dim, r);
        Tensor v = t.shape[d] != 1 ? t.view(t.shape.clone(), t.strides.clone(), t.offset)
                : t.view(remove(t.shape, d), remove(t.strides, d), t.offset);
        return Graph.tracked(t) ? Graph.record(StructuralRules.reshape(t.shape.clone(), v.shape.clone()), v, t) : v;
    }

    static long[] remove(long[] a, int i) {
        long[] o = new long[a.length - 1];
        System.arraycopy(a, 0, o, 0, i);
        System.arraycopy(a, i + 1, o, i, a.length - i - 1);
        return o;
    }

    static long[] insert(long[] a, int i, long v) {
        long[] o = new long[a.length + 1];
        System.arraycopy(a, 0, o, 0, i);
        o[i] = v;
        System.arraycopy(a, i, o, i + 1, a.length - i);
        return o;
    }

    static Tensor unsqueeze(Tensor t, int dim) {
        t.live("unsqueeze");
        int d = dim("unsqueeze", t, dim, t.shape.length + 1);
        long stride = d < t.shape.length ? t.strides[d] * t.shape[d] : 1;
        Tensor v = t.view(insert(t.shape, d, 1), insert(t.strides, d, Math.max(stride, 1)), t.offset);
        return Graph.tracked(t) ? Graph.record(StructuralRules.reshape(t.shape.clone(), v.shape.clone()), v, t) : v;
    }

    static Tensor permute(Tensor t, int[] dims) {
        t.live("permute");
        int r = t.shape.length;
        if (dims.length != r) {
            throw Errors.shape("permute", "dims " + Arrays.toString(dims) + " are not a permutation of rank " + r, t);
        }
        boolean[] seen = new boolean[r];
        int[] p = new int[r];
        for (int i = 0; i < r; i++) {
            int d = dims[i] < 0 ? dims[i] + r : dims[i];
            if (d < 0 || d >= r || seen[d]) {
                throw Errors.shape("permute", "dims " + Arrays.toString(dims) + " are not a permutation of rank " + r, t);
            }
            seen[d] = true;
            p[i] = d;
        }
        Layout l = t.layout().permute(p);
        Tensor v = t.view(l.shape(), l.strides(), t.offset);
        return Graph.tracked(t) ? Graph.record(StructuralRules.permute(p), v, t) : v;
    }

    static Tensor transpose(Tensor t, int d0, int d1) {
        t.live("transpose");
        int r = t.shape.length;
        if (r == 0) {
            dim("transpose", t, d0, 1);
            dim("transpose", t, d1, 1);
            Tensor v = t.view(t.shape, t.strides, t.offset);
            return Graph.tracked(t) ? Graph.record(Rules.IDENTITY, v, t) : v;
        }
        int a = dim("transpose", t, d0, r), b = dim("transpose", t, d1, r);
        int[] p = new int[r];
        for (int i = 0; i < r; i++) p[i] = i;
        p[a] = b;
        p[b] = a;
        return permute(t, p);
    }

    static Tensor mT(Tensor t) {
        t.live("mT");
        if (t.shape.length < 2) throw Errors.shape("mT", "needs at least 2 dims", t);
        return transpose(t, -2, -1);
    }

    static Tensor expand(Tensor t, long[] shape) {
        t.live("expand");
        int r = shape.length, off = r - t.shape.length;
        if (off < 0) throw Errors.shape("expand", "target " + Arrays.toString(shape) + " has fewer dims", t);
        long[] s = new long[r], st = new long[r];
        for (int i = 0; i < r; i++) {
            long want = shape[i];
            if (i < off) {
                if (want < 0) throw Errors.shape("expand", "size -1 not allowed for a new leading dim in " + Arrays.toString(shape), t);
                s[i] = want;
                st[i] = 0;
                continue;
            }
            long have = t.shape[i - off];
            if (want == -1 || want == have) {
                s[i] = have;
                st[i] = t.strides[i - off];
            } else if (have == 1 && want >= 0) {
                s[i] = want;
                st[i] = 0;
            } else {
                throw Errors.shape("expand", "cannot expand to " + Arrays.toString(shape)
                        + " (only size-1 dims expand)", t);
            }
        }
        Tensor v = t.view(s, st, t.offset);
        return Graph.tracked(t) ? Graph.record(StructuralRules.expand(s.clone()), v, t) : v;
    }

    static Tensor slice(Tensor t, int dim, long start, long end, long step) {
        t.live("slice");
        int d = dim("slice", t, dim, t.shape.length);
        if (step <= 0) throw Errors.shape("slice", "step must be positive, got " + step, t);
        long n = t.shape[d];
        long s = start < 0 ? Math.max(0, start + n) : Math.min(start, n);
        long e = end < 0 ? Math.max(0, end + n) : Math.min(end, n);
        long len = e > s ? (e - s + step - 1) / step : 0;
        long[] sh = t.shape.clone(), st = t.strides.clone();
        sh[d] = len;
        st[d] = t.strides[d] * step;
        Tensor v = t.view(sh, st, t.offset + (len > 0 ? s * t.strides[d] : 0));
        return Graph.tracked(t) ? Graph.record(StructuralRules.pick("slice", t.shape.clone(),
                x -> slice(x, dim, start, end, step)), v, t) : v;
    }

    static Tensor select(Tensor t, int dim, long i) {
        t.live("select");
        int d = dim("select", t, dim, t.shape.length);
        long n = t.shape[d];
        long idx = i < 0 ? i + n : i;
        if (idx < 0 || idx >= n) throw Errors.shape("select", "index " + i + " out of range for dim " + dim + " of size " + n, t);
        Tensor v = t.view(remove(t.shape, d), remove(t.strides, d), t.offset + idx * t.strides[d]);
        return Graph.tracked(t) ? Graph.record(StructuralRules.pick("select", t.shape.clone(), x -> select(x, dim, i)), v, t) : v;
    }

    static Tensor narrow(Tensor t, int dim, long start, long length) {
        t.live("narrow");
        int d = dim("narrow", t, dim, t.shape.length);
        long n = t.shape[d];
        long s = start < 0 ? start + n : start;
        if (s < 0 || length < 0 || s + length > n) {
            throw Errors.shape("narrow", "start " + start + " and length " + length + " do not fit dim " + dim + " of size " + n, t);
        }
        long[] sh = t.shape.clone();
        sh[d] = length;
        Tensor v = t.view(sh, t.strides.clone(), t.offset + (length > 0 ? s * t.strides[d] : 0));
        return Graph.tracked(t) ? Graph.record(StructuralRules.pick("narrow", t.shape.clone(),
                x -> narrow(x, dim, start, length)), v, t) : v;
    }

    static Tensor cat(List<Tensor> ts, int dim) {
        if (ts == null || ts.isEmpty()) throw new ShapeMismatchException("cat: needs at least one tensor");
        List<Tensor> parts = new ArrayList<>();
        for (Tensor t : ts) {
            t.live("cat");
            // PyTorch skips 1-D empty tensors so they can seed an accumulation
            if (!(t.shape.length == 1 && t.shape[0] == 0)) parts.add(t);
        }
        Tensor[] all = ts.toArray(new Tensor[0]);
        Errors.sameDevice("cat", all);
        DType dt = ts.getFirst().dtype;
        for (Tensor t : ts) dt = DType.promote(dt, t.dtype);
        if (parts.isEmpty()) return Creation.full(dt, ts.getFirst().device(), 0, new long[] {0});
        Tensor first = parts.getFirst();
        int r = first.shape.length;
        if (r == 0) throw Errors.shape("cat", "zero-dimensional tensors cannot be concatenated", all);
        int d = dim("cat", first, dim, r);
        long total = 0;
        for (Tensor t : parts) {
            if (t.shape.length != r) throw Errors.shape("cat", "tensors must have the same rank", all);
            for (int i = 0; i < r; i++) {
                if (i != d && t.shape[i] != first.shape[i]) {
                    throw Errors.shape("cat", "sizes must match except in dim " + dim, all);
                }
            }
            total += t.shape[d];
        }
        long[] shape = first.shape.clone();
        shape[d] = total;
        Tensor out = Tensor.empty(dt, first.device(), shape);
        long at = 0;
        for (Tensor t : parts) {
            if (t.numel() > 0) {
                Tensor src = Elementwise.castRaw(t, dt);
                long[] sh = shape.clone();
                sh[d] = t.shape[d];
                Layout dst = new Layout(sh, out.strides, at * out.strides[d]);
                out.backend().copy(src.buffer(), src.layout(), out.buffer(), dst);
                if (src != t) src.close();
            }
            at += t.shape[d];
        }
        boolean tracked = false;
        for (Tensor t : parts) tracked |= Graph.tracked(t);
        if (!tracked) return out;
        long[][] shapes = new long[parts.size()][];
        for (int i = 0; i < shapes.length; i++) shapes[i] = parts.get(i).shape.clone();
        return Graph.record(StructuralRules.cat(d, shapes), out, parts.toArray(new Tensor[0]));
    }

    static Tensor stack(List<Tensor> ts, int dim) {
        if (ts == null || ts.isEmpty()) throw new ShapeMismatchException("stack: needs at least one tensor");
        Tensor first = ts.getFirst().live("stack");
        for (Tensor t : ts) {
            if (!Arrays.equals(t.live("stack").shape, first.shape)) {
                throw Errors.shape("stack", "all tensors must have the same shape", ts.toArray(new Tensor[0]));
            }
        }
        int d = dim("stack", first, dim, first.shape.length + 1);
        List<Tensor> views = new ArrayList<>(ts.size());
        try {
            for (Tensor t : ts) views.add(unsqueeze(t, d));
            return cat(views, d);
        } finally {
            for (Tensor v : views) v.close();
        }
    }

    static List<Tensor> split(Tensor t, long size, int dim) {
        t.live("split");
        int d = dim("split", t, dim, t.shape.length);
        if (size <= 0) throw Errors.shape("split", "split size must be positive, got " + size, t);
        List<Tensor> out = new ArrayList<>();
        long n = t.shape[d];
        if (n == 0) {
            out.add(narrow(t, d, 0, 0));
            return out;
        }
        for (long s = 0; s < n; s += size) out.add(narrow(t, d, s, Math.min(size, n - s)));
        return out;
    }

    static Tensor pad(Tensor t, long[] before, long[] after, double value) {
        t.live("pad");
        int r = t.shape.length;
        if (before.length != after.length || before.length > r) {
            throw Errors.shape("pad", "before " + Arrays.toString(before) + " and after " + Arrays.toString(after)
                    + " must have equal length at most the rank", t);
        }
        int first = r - before.length;
        long[] shape = t.shape.clone();
        for (int i = 0; i < before.length; i++) {
            shape[first + i] += before[i] + after[i];
            if (shape[first + i] < 0) {
                throw Errors.shape("pad", "padding " + Arrays.toString(before) + ", " + Arrays.toString(after)
                        + " makes a negative size", t);
            }
        }
        Tensor out = Creation.full(t.dtype, t.device(), value, shape);
        // the part of the input that survives cropping, and where it lands
        long srcOffset = t.offset, dstOffset = 0;
        long[] region = t.shape.clone();
        for (int i = 0; i < before.length; i++) {
            int d = first + i;
            long cropLo = Math.max(0, -before[i]), cropHi = Math.max(0, -after[i]);
            region[d] = Math.max(0, t.shape[d] - cropLo - cropHi);
            srcOffset += region[d] > 0 ? cropLo * t.strides[d] : 0;
            dstOffset += Math.max(0, before[i]) * out.strides[d];
        }
        if (Layout.numel(region) > 0) {
            out.backend().copy(t.buffer(), new Layout(region, t.strides, srcOffset), out.buffer(),
                    new Layout(region, out.strides, dstOffset));
        }
        return Graph.tracked(t) ? Graph.record(StructuralRules.pad(before.clone(), after.clone()), out, t) : out;
    }
}
