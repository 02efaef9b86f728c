package dev.nabla;

import static dev.nabla.TensorAsserts.assertShape;
import static dev.nabla.TensorAsserts.assertTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Views (reshape, permute, expand, slice, ...) give the reference values and share storage with
 * their base; movement ops that copy (cat, stack, pad, gather, ...) match loops over plain arrays.
 */
class ViewTest {

    private static Inputs.Pair x345(DType dt) {
        return Inputs.random(7, dt, -9, 9, 3, 4, 5);
    }

    /** Asserts that making the view allocated no buffer (it shares its base's storage). */
    private static Tensor assertNoAllocation(Tensor base, Function<Tensor, Tensor> makeView) {
        MemoryProbe.settle();
        long before = MemoryProbe.liveBuffers();
        Tensor v = makeView.apply(base);
        assertEquals(before, MemoryProbe.liveBuffers(), "a view allocates no buffer");
        return v;
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64", "I32", "BOOL"})
    void reshapeOfContiguousIsAViewWithTheSameValues(DType dt) {
        var x = x345(dt);
        Tensor r = assertNoAllocation(x.t(), t -> t.reshape(5, 12));
        assertTensor(r, dt, x.ref().reshape(5, 12));
        assertTensor(x.t().reshape(-1, 3, 2), dt, x.ref().reshape(10, 3, 2));
        assertTensor(x.t().reshape(60), dt, x.ref().reshape(60));
        assertTensor(x.t().view(3, 20), dt, x.ref().reshape(3, 20));
        assertTensor(x.t().flatten(), dt, x.ref().reshape(60));
        assertTrue(r.isContiguous());
    }

    @Test
    void reshapeOfNonContiguousCopiesInLogicalOrder() {
        var x = x345(DType.F64);
        Tensor p = x.t().permute(2, 0, 1);
        MemoryProbe.settle();
        long before = MemoryProbe.liveBuffers();
        Tensor r = p.reshape(60);
        assertEquals(before + 1, MemoryProbe.liveBuffers(), "reshape of a permuted tensor copies");
        assertTensor(r, DType.F64, x.ref().permute(2, 0, 1).reshape(60));
        Tensor q = p.reshape(15, 4);
        assertEquals(before + 2, MemoryProbe.liveBuffers(), "merging dims 0 and 1 of [5, 3, 4] strides [1, 20, 5] copies");
        assertTensor(q, DType.F64, x.ref().permute(2, 0, 1).reshape(15, 4));
        Tensor m = p.reshape(5, 12);
        assertEquals(before + 2, MemoryProbe.liveBuffers(), "merging dims 1 and 2 (strides 20 = 5 * 4) is a view");
        assertTensor(m, DType.F64, x.ref().permute(2, 0, 1).reshape(5, 12));
        q.close();
        m.close();
        assertTensor(p.flatten(), DType.F64, x.ref().permute(2, 0, 1).reshape(60));
        assertThrows(ShapeMismatchException.class, () -> p.view(60));
        r.close();
    }

    @Test
    void viewSplittingAStridedDimIsAllowed() {
        var x = Inputs.random(8, DType.F32, -1, 1, 4, 6);
        Tensor t = x.t().mT();                                   // [6, 4], strides [1, 6]
        Tensor v = t.view(6, 2, 2);
        assertTensor(v, DType.F32, x.ref().transpose(0, 1).reshape(6, 2, 2));
        Tensor w = x.t().view(2, 2, 6).permute(1, 0, 2).view(2, 2, 3, 2);
        assertTensor(w, DType.F32, x.ref().reshape(2, 2, 6).permute(1, 0, 2).reshape(2, 2, 3, 2));
        assertThrows(ShapeMismatchException.class, () -> t.view(24));
    }

    @Test
    void flattenOfZeroDimIsOneElement() {
        Tensor s = Tensor.scalar(3);
        assertShape(s.flatten(), 1);
        assertShape(s.reshape(1, 1), 1, 1);
        assertShape(Tensor.ones(1, 1).reshape(), new long[0]);
        assertShape(Tensor.zeros(0, 4).reshape(2, 0, 3), 2, 0, 3);
    }

    @Test
    void squeezeAndUnsqueeze() {
        Tensor t = Tensor.zeros(3, 1, 4, 1);
        assertShape(t.squeeze(1), 3, 4, 1);
        assertShape(t.squeeze(-1), 3, 1, 4);
        assertShape(t.squeeze(0), 3, 1, 4, 1);
        assertShape(t.unsqueeze(0), 1, 3, 1, 4, 1);
        assertShape(t.unsqueeze(4), 3, 1, 4, 1, 1);
        assertShape(t.unsqueeze(-1), 3, 1, 4, 1, 1);
        assertShape(t.unsqueeze(-5), 1, 3, 1, 4, 1);
        assertShape(t.unsqueeze(2), 3, 1, 1, 4, 1);
        assertShape(Tensor.scalar(1).unsqueeze(0), 1);
        var x = Inputs.random(9, DType.F64, -1, 1, 3, 1, 4);
        assertTensor(x.t().squeeze(1), DType.F64, x.ref().reshape(3, 4));
        assertTensor(x.t().unsqueeze(-1).mT(), DType.F64, x.ref().reshape(3, 1, 1, 4));
        assertThrows(ShapeMismatchException.class, () -> t.unsqueeze(5));
        assertThrows(ShapeMismatchException.class, () -> t.unsqueeze(-6));
        assertThrows(ShapeMismatchException.class, () -> t.squeeze(4));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "I64", "BOOL"})
    void permuteTransposeAndMTMoveValues(DType dt) {
        var x = x345(dt);
        for (int[] p : new int[][] {{0, 1, 2}, {2, 1, 0}, {1, 2, 0}, {2, 0, 1}}) {
            Tensor v = assertNoAllocation(x.t(), t -> t.permute(p));
            assertTensor(v, dt, x.ref().permute(p));
        }
        assertTensor(x.t().transpose(0, 2), dt, x.ref().transpose(0, 2));
        assertTensor(x.t().transpose(-1, 1), dt, x.ref().transpose(2, 1));
        assertTensor(x.t().mT(), dt, x.ref().transpose(1, 2));
        assertTensor(x.t().mT().mT(), dt, x.ref());
        assertTrue(x.t().mT().mT().isContiguous());
        assertFalse(x.t().mT().isContiguous());
        assertTensor(x.t().permute(-1, 0, 1), dt, x.ref().permute(2, 0, 1));
    }

    @Test
    void expandBroadcastsWithStrideZero() {
        var x = Inputs.random(10, DType.F32, -1, 1, 3, 1);
        Tensor e = assertNoAllocation(x.t(), t -> t.expand(3, 4));
        assertFalse(e.isContiguous());
        assertTensor(e, DType.F32, x.ref().broadcastTo(new long[] {3, 4}));
        assertTensor(x.t().expand(2, -1, 5), DType.F32, x.ref().broadcastTo(new long[] {2, 3, 5}));
        assertTensor(x.t().expand(3, 1), DType.F32, x.ref());
        assertTensor(e.contiguous(), DType.F32, x.ref().broadcastTo(new long[] {3, 4}));
        assertTensor(e.sum(1), DType.F32, x.ref().map(v -> 4 * v).reshape(3));
        assertTensor(Tensor.scalar(2).expand(2, 2), DType.F32, ReferenceArray.of(new double[] {2, 2, 2, 2}, 2, 2));
        assertShape(x.t().expand(3, 0), 3, 0);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F64", "I32"})
    void sliceFollowsPythonSlicing(DType dt) {
        var x = Inputs.random(11, dt, -9, 9, 10, 3);
        long[][] cases = { // start, end, step -> normalized start, end
                {0, 10, 1, 0, 10}, {2, 8, 3, 2, 8}, {-3, 10, 1, 7, 10}, {-100, 100, 2, 0, 10}, {5, 2, 1, 5, 5},
                {1, -1, 4, 1, 9}, {9, 10, 5, 9, 10}, {10, 20, 1, 10, 10}, {-1, -100, 1, 9, 9}};
        for (long[] c : cases) {
            Tensor s = x.t().slice(0, c[0], c[1], c[2]);
            assertTensor(s, dt, x.ref().slice(0, c[3], c[4], c[2]));
        }
        assertTensor(x.t().slice(-1, 0, 3, 2), dt, x.ref().slice(1, 0, 3, 2));
        assertTensor(x.t().slice(1, 1, 3, 1).slice(0, 1, 9, 2), dt, x.ref().slice(1, 1, 3, 1).slice(0, 1, 9, 2));
        assertThrows(ShapeMismatchException.class, () -> x.t().slice(0, 0, 5, 0));
        assertThrows(ShapeMismatchException.class, () -> x.t().slice(0, 5, 0, -1));
    }

    @Test
    void selectAndNarrow() {
        var x = x345(DType.F32);
        assertTensor(x.t().select(0, 2), DType.F32, x.ref().select(0, 2));
        assertTensor(x.t().select(1, -1), DType.F32, x.ref().select(1, 3));
        assertTensor(x.t().select(-1, 0), DType.F32, x.ref().select(2, 0));
        assertTensor(x.t().select(0, 1).select(0, 2).select(0, 4), DType.F32, ReferenceArray.of(new double[] {x.ref().get(1, 2, 4)}));
        assertTensor(x.t().narrow(1, 1, 2), DType.F32, x.ref().slice(1, 1, 3, 1));
        assertTensor(x.t().narrow(2, -2, 2), DType.F32, x.ref().slice(2, 3, 5, 1));
        assertTensor(x.t().narrow(0, 3, 0), DType.F32, x.ref().slice(0, 3, 3, 1));
        assertThrows(ShapeMismatchException.class, () -> x.t().narrow(1, 3, 2));
        assertThrows(ShapeMismatchException.class, () -> x.t().select(1, 4));
        assertThrows(ShapeMismatchException.class, () -> x.t().select(1, -5));
    }

    @Test
    void contiguousReturnsTheSameInstanceWhenAlreadyContiguous() {
        var x = x345(DType.F32);
        assertSame(x.t(), x.t().contiguous());
        Tensor sliced = x.t().narrow(0, 1, 2);
        assertTrue(sliced.isContiguous());
        assertSame(sliced, sliced.contiguous());
        Tensor p = x.t().permute(1, 0, 2);
        Tensor c = p.contiguous();
        assertNotSame(p, c);
        assertTrue(c.isContiguous());
        assertTensor(c, DType.F32, x.ref().permute(1, 0, 2));
    }

    // ---- sharing storage ------------------------------------------------------------------------

    @Test
    void closingTheBaseKeepsViewsReadableUntilTheLastViewCloses() {
        MemoryProbe.settle();
        long baseline = MemoryProbe.liveBuffers();
        Tensor base = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(baseline + 1, MemoryProbe.liveBuffers());
        Tensor t = base.mT();
        Tensor s = base.slice(1, 0, 3, 2);
        Tensor r = base.reshape(6);
        assertEquals(baseline + 1, MemoryProbe.liveBuffers(), "views allocate nothing");
        base.close();
        assertEquals(baseline + 1, MemoryProbe.liveBuffers(), "views keep the storage");
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, t.toDoubleArray());
        t.close();
        assertArrayEquals(new double[] {1, 3, 4, 6}, s.toDoubleArray());
        s.close();
        assertEquals(baseline + 1, MemoryProbe.liveBuffers(), "one view still alive");
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, r.toDoubleArray());
        r.close();
        assertEquals(baseline, MemoryProbe.liveBuffers(), "the last view frees the storage");
    }

    @Test
    void splitChunksAreViews() {
        var x = Inputs.random(12, DType.F32, -1, 1, 7, 4);
        MemoryProbe.settle();
        long before = MemoryProbe.liveBuffers();
        List<Tensor> parts = x.t().split(3, 0);
        assertEquals(before, MemoryProbe.liveBuffers(), "split allocates nothing");
        assertEquals(3, parts.size());
        assertTensor(parts.get(0), DType.F32, x.ref().slice(0, 0, 3, 1));
        assertTensor(parts.get(1), DType.F32, x.ref().slice(0, 3, 6, 1));
        assertTensor(parts.get(2), DType.F32, x.ref().slice(0, 6, 7, 1));
        List<Tensor> cols = x.t().split(3, -1);
        assertEquals(2, cols.size());
        assertTensor(cols.get(0), DType.F32, x.ref().slice(1, 0, 3, 1));
        assertTensor(cols.get(1), DType.F32, x.ref().slice(1, 3, 4, 1));
        assertEquals(1, x.t().split(10, 0).size());
        assertThrows(ShapeMismatchException.class, () -> x.t().split(0, 0));
    }

    // ---- cat / stack / pad ----------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64", "I64", "BOOL"})
    void catJoinsAlongADim(DType dt) {
        var a = Inputs.random(13, dt, -9, 9, 2, 3, 4);
        var b = Inputs.random(14, dt, -9, 9, 2, 1, 4);
        var c = Inputs.random(15, dt, -9, 9, 2, 5, 4);
        Tensor out = Tensor.cat(List.of(a.t(), b.t(), c.t().mT().mT()), 1);
        double[] e = new double[2 * 9 * 4];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 9; j++) for (int k = 0; k < 4; k++) {
            e[(i * 9 + j) * 4 + k] = j < 3 ? a.ref().get(i, j, k) : j < 4 ? b.ref().get(i, j - 3, k) : c.ref().get(i, j - 4, k);
        }
        assertTensor(out, dt, ReferenceArray.of(e, 2, 9, 4));
        assertTensor(Tensor.cat(List.of(a.t(), a.t()), -1), dt, catLast(a.ref(), a.ref()));
        assertTensor(Tensor.cat(List.of(a.t().permute(0, 2, 1), b.t().permute(0, 2, 1)), 2), dt,
                catLast(a.ref().permute(0, 2, 1), b.ref().permute(0, 2, 1)));
        assertTensor(Tensor.cat(List.of(a.t()), 0), dt, a.ref());
    }

    private static ReferenceArray catLast(ReferenceArray a, ReferenceArray b) {
        long[] sa = a.shape(), sb = b.shape();
        int r = sa.length;
        long[] out = sa.clone();
        out[r - 1] = sa[r - 1] + sb[r - 1];
        double[] v = new double[(int) ReferenceArray.numel(out)];
        for (int f = 0; f < v.length; f++) {
            long[] idx = ReferenceArray.unravel(f, out);
            long last = idx[r - 1];
            if (last < sa[r - 1]) v[f] = a.get(idx);
            else {
                idx[r - 1] = last - sa[r - 1];
                v[f] = b.get(idx);
            }
        }
        return ReferenceArray.of(v, out);
    }

    @Test
    void catSkipsOneDimEmptyTensors() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor c = Tensor.cat(List.of(Tensor.zeros(0), a, Tensor.zeros(0)), 0);
        assertShape(c, 2, 2);
        assertArrayEquals(new float[] {1, 2, 3, 4}, c.toFloatArray());
        Tensor d = Tensor.cat(List.of(a, Tensor.zeros(0, 2)), 0);
        assertShape(d, 2, 2);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "I32"})
    void stackAddsANewDim(DType dt) {
        var a = Inputs.random(16, dt, -9, 9, 3, 4);
        var b = Inputs.random(17, dt, -9, 9, 3, 4);
        for (int d : new int[] {0, 1, 2, -1, -3}) {
            int dim = d < 0 ? d + 3 : d;
            Tensor s = Tensor.stack(List.of(a.t(), b.t().mT().contiguous().mT()), d);
            long[] shape = {3, 4};
            long[] out = new long[3];
            for (int i = 0, j = 0; i < 3; i++) out[i] = i == dim ? 2 : shape[j++];
            double[] e = new double[24];
            for (int f = 0; f < 24; f++) {
                long[] idx = ReferenceArray.unravel(f, out);
                long which = idx[dim];
                long[] src = new long[2];
                for (int i = 0, j = 0; i < 3; i++) if (i != dim) src[j++] = idx[i];
                e[f] = which == 0 ? a.ref().get(src) : b.ref().get(src);
            }
            assertTensor(s, dt, ReferenceArray.of(e, out));
        }
    }

    /** Reference pad of the last before.length dims: out[i] = in[i - before] when inside, else value. */
    static ReferenceArray pad(ReferenceArray x, long[] before, long[] after, double value) {
        int r = x.rank(), off = r - before.length;
        long[] out = x.shape().clone();
        for (int i = 0; i < before.length; i++) out[off + i] += before[i] + after[i];
        double[] v = new double[(int) ReferenceArray.numel(out)];
        for (int f = 0; f < v.length; f++) {
            long[] idx = ReferenceArray.unravel(f, out);
            boolean inside = true;
            for (int i = 0; i < before.length; i++) {
                idx[off + i] -= before[i];
                if (idx[off + i] < 0 || idx[off + i] >= x.shape()[off + i]) inside = false;
            }
            v[f] = inside ? x.get(idx) : value;
        }
        return ReferenceArray.of(v, out);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64", "I64"})
    void padAppliesToTheLastDimsAndNegativePadsCrop(DType dt) {
        var x = Inputs.random(18, dt, -9, 9, 2, 3, 4);
        long[][][] cases = {{{1}, {2}}, {{0, 1}, {2, 0}}, {{1, 1, 1}, {1, 1, 1}}, {{-1}, {0}}, {{0, -1}, {2, -2}},
                {{-1, 2}, {1, -3}}, {{}, {}}, {{0}, {0}}};
        for (long[][] c : cases) {
            assertTensor(x.t().pad(c[0], c[1], 7), dt, pad(x.ref(), c[0], c[1], 7));
        }
        assertTensor(x.t().mT().pad(new long[] {1}, new long[] {1}, -2), dt, pad(x.ref().transpose(1, 2), new long[] {1}, new long[] {1}, -2));
        assertThrows(ShapeMismatchException.class, () -> x.t().pad(new long[] {1, 1}, new long[] {1}, 0));
        assertThrows(ShapeMismatchException.class, () -> x.t().pad(new long[] {1, 1, 1, 1}, new long[] {1, 1, 1, 1}, 0));
    }

    @Test
    void padWithNanAndInfinity() {
        Tensor t = Tensor.of(new double[] {1, 2}).pad(new long[] {1}, new long[] {0}, Double.NaN);
        double[] v = t.toDoubleArray();
        assertTrue(Double.isNaN(v[0]));
        assertEquals(1.0, v[1]);
        assertArrayEquals(new float[] {1, 2, Float.NEGATIVE_INFINITY},
                Tensor.of(new float[] {1, 2}).pad(new long[] {0}, new long[] {1}, Double.NEGATIVE_INFINITY).toFloatArray());
    }

    // ---- gather / indexSelect / scatterAdd ------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64", "I32", "I64"})
    void gatherPicksAlongDim(DType dt) {
        var x = Inputs.random(19, dt, -9, 9, 4, 5, 3);
        for (int dim : new int[] {0, 1, 2, -1}) {
            int d = dim < 0 ? dim + 3 : dim;
            long[] idxShape = {3, 4, 2};
            double[] idx = Inputs.uniform(20 + d, 24, 0, x.ref().shape()[d] - 1, DType.I64);
            for (DType it : new DType[] {DType.I64, DType.I32}) {
                Tensor index = Inputs.tensor(idx, it, idxShape);
                double[] e = new double[24];
                for (int f = 0; f < 24; f++) {
                    long[] p = ReferenceArray.unravel(f, idxShape);
                    p[d] = (long) idx[f];
                    e[f] = x.ref().get(p);
                }
                assertTensor(x.t().gather(dim, index), dt, ReferenceArray.of(e, idxShape));
            }
        }
        Tensor viewIndex = Tensor.of(new long[] {0, 1, 2, 3}, 4, 1).expand(4, 3).unsqueeze(1);   // [4, 1, 3]
        double[] e = new double[12];
        for (int i = 0; i < 4; i++) for (int k = 0; k < 3; k++) e[i * 3 + k] = x.ref().get(i, i, k);
        assertTensor(x.t().gather(1, viewIndex), dt, ReferenceArray.of(e, 4, 1, 3));
        assertTensor(x.t().permute(1, 0, 2).gather(0, viewIndex.permute(1, 0, 2)), dt, ReferenceArray.of(e, 1, 4, 3));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "I64", "BOOL"})
    void indexSelectTakesWholeSlices(DType dt) {
        var x = Inputs.random(21, dt, -9, 9, 4, 5, 3);
        long[] idx = {3, 0, 3, 1, 4};
        for (int dim : new int[] {0, 1, 2, -2}) {
            int d = dim < 0 ? dim + 3 : dim;
            long[] pick = java.util.Arrays.stream(idx).filter(i -> i < x.ref().shape()[d]).toArray();
            long[] out = x.ref().shape().clone();
            out[d] = pick.length;
            double[] e = new double[(int) ReferenceArray.numel(out)];
            for (int f = 0; f < e.length; f++) {
                long[] p = ReferenceArray.unravel(f, out);
                p[d] = pick[(int) p[d]];
                e[f] = x.ref().get(p);
            }
            assertTensor(x.t().indexSelect(dim, Tensor.of(pick)), dt, ReferenceArray.of(e, out));
            int[] pick32 = java.util.Arrays.stream(pick).mapToInt(i -> (int) i).toArray();
            assertTensor(x.t().indexSelect(dim, Tensor.of(pick32)), dt, ReferenceArray.of(e, out));
        }
        assertShape(x.t().indexSelect(1, Tensor.of(new long[0])), 4, 0, 3);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64", "I32", "I64"})
    void scatterAddAccumulatesDuplicates(DType dt) {
        var self = Inputs.random(22, dt, -9, 9, 4, 5);
        var src = Inputs.random(23, dt, -9, 9, 3, 6);
        for (int dim : new int[] {0, 1, -1}) {
            int d = dim < 0 ? dim + 2 : dim;
            long[] idxShape = {3, 5};
            double[] idx = Inputs.uniform(24 + d, 15, 0, self.ref().shape()[d] - 1, DType.I64);
            Tensor index = Inputs.tensor(idx, DType.I64, idxShape);
            double[] e = self.ref().values().clone();
            for (int f = 0; f < 15; f++) {
                long[] p = ReferenceArray.unravel(f, idxShape);
                double s = src.ref().get(p);
                p[d] = (long) idx[f];
                e[(int) ReferenceArray.ravel(p, self.ref().shape())] += s;
            }
            Tensor out = self.t().scatterAdd(dim, index, src.t());
            assertTensor(out, dt, ReferenceArray.of(e, 4, 5), Tolerance.of(dt).forSumOf(4));
            assertTensor(self.t(), dt, self.ref());   // out of place
        }
        Tensor ones = Tensor.zeros(DType.F64, Device.cpu(), 3).scatterAdd(0, Tensor.of(new long[] {1, 1, 1, 0}),
                Tensor.ones(DType.F64, Device.cpu(), 4));
        assertArrayEquals(new double[] {1, 3, 0}, ones.toDoubleArray());
    }
}
