package dev.nabla;

import static dev.nabla.TensorAsserts.assertShape;
import static dev.nabla.TensorAsserts.assertTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * NumPy broadcasting (including 0-d and zero-size dims), elementwise ops over non-contiguous views,
 * and inputs large enough to be split across threads.
 */
class BroadcastingTest {

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64", "I32", "I64"})
    void shapesBroadcastFromTheRight(DType dt) {
        long[][][] cases = {
                {{2, 3}, {3}}, {{2, 3}, {2, 1}}, {{1}, {4, 5}}, {{5, 1, 3}, {4, 1}}, {{1, 1, 1}, {2, 3}},
                {{3, 1, 2, 1}, {1, 4, 1, 5}}, {{}, {2, 3}}, {{2, 3}, {}}, {{}, {}}, {{7}, {7}}};
        int seed = 100;
        for (long[][] c : cases) {
            var x = Inputs.random(seed++, dt, -20, 20, c[0]);
            var y = Inputs.random(seed++, dt, -20, 20, c[1]);
            assertTensor(x.t().add(y.t()), dt, ReferenceArray.zip(x.ref(), y.ref(), Double::sum));
            assertTensor(x.t().mul(y.t()), dt, ReferenceArray.zip(x.ref(), y.ref(), (a, b) -> a * b));
            assertTensor(x.t().lt(y.t()), DType.BOOL, ReferenceArray.zip(x.ref(), y.ref(), (a, b) -> a < b ? 1 : 0));
        }
    }

    @Test
    void zeroDimOperandsGiveZeroDimResults() {
        Tensor a = Tensor.scalar(DType.F64, Device.cpu(), 1.5);
        Tensor b = Tensor.scalar(DType.F64, Device.cpu(), -4);
        Tensor c = a.mul(b);
        assertShape(c);
        assertEquals(-6.0, c.item());
        assertShape(a.exp());
        assertShape(Tensor.where(Tensor.of(new boolean[] {true}).reshape(), a, b));
    }

    @Test
    void zeroSizeDimsBroadcastToZeroSize() {
        long[][][] cases = {{{0, 3}, {3}, {0, 3}}, {{2, 0}, {2, 1}, {2, 0}}, {{1, 0}, {5, 1}, {5, 0}},
                {{0}, {}, {0}}, {{0}, {1}, {0}}, {{3, 1, 0}, {4, 1}, {3, 4, 0}}};
        for (long[][] c : cases) {
            Tensor x = Tensor.ones(c[0]), y = Tensor.ones(c[1]);
            Tensor z = x.add(y);
            assertShape(z, c[2]);
            assertEquals(0, z.toFloatArray().length);
            assertShape(y.sub(x), c[2]);
            assertShape(x.eq(y), c[2]);
        }
    }

    @Test
    void zeroSizeDoesNotBroadcastAgainstSizeTwo() {
        assertThrows(ShapeMismatchException.class, () -> Tensor.ones(0).add(Tensor.ones(2)));
        assertThrows(ShapeMismatchException.class, () -> Tensor.ones(2, 3).add(Tensor.ones(2)));
        assertThrows(ShapeMismatchException.class, () -> Tensor.ones(4, 1, 3).mul(Tensor.ones(2, 2)));
    }

    // ---- non-contiguous inputs ---------------------------------------------------------------

    /** A [4, 5, 6] base and, for each kind of view, the view and its reference. */
    private record View(String name, Tensor t, ReferenceArray ref) {}

    private static View[] views(DType dt, long seed) {
        var base = Inputs.random(seed, dt, -3, 3, 4, 5, 6);
        var small = Inputs.random(seed + 1, dt, -3, 3, 5, 1);
        return new View[] {
                new View("permuted", base.t().permute(2, 0, 1), base.ref().permute(2, 0, 1)),
                new View("transposed", base.t().transpose(0, 2), base.ref().transpose(0, 2)),
                new View("mT", base.t().mT(), base.ref().transpose(1, 2)),
                new View("stepped slice", base.t().slice(2, 1, 6, 2), base.ref().slice(2, 1, 6, 2)),
                new View("negative slice", base.t().slice(1, -4, -1, 1), base.ref().slice(1, 1, 4, 1)),
                new View("select", base.t().select(1, 3), base.ref().select(1, 3)),
                new View("narrow", base.t().narrow(2, 1, 3), base.ref().slice(2, 1, 4, 1)),
                new View("expanded", small.t().expand(4, 5, 6), small.ref().broadcastTo(new long[] {4, 5, 6})),
                new View("sliced then permuted", base.t().slice(0, 0, 4, 3).permute(1, 2, 0),
                        base.ref().slice(0, 0, 4, 3).permute(1, 2, 0)),
        };
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64", "I64"})
    void unaryOpsOnViewsMatchTheirContiguousCopies(DType dt) {
        for (View v : views(dt, 200)) {
            assertFalse(v.t().isContiguous(), v.name() + " is a strided view");
            Tensor c = v.t().contiguous();
            assertTensor(c, dt, v.ref());
            if (dt.isFloating()) {
                assertArrayEquals(c.exp().toDoubleArray(), v.t().exp().toDoubleArray(), v.name());
                assertTensor(v.t().exp(), dt, v.ref().map(Math::exp));
                assertTensor(v.t().tanh(), dt, v.ref().map(Math::tanh));
            }
            assertTensor(v.t().neg(), dt, v.ref().map(x -> -x));
            assertTensor(v.t().abs(), dt, v.ref().map(Math::abs));
            assertArrayEquals(c.square().toDoubleArray(), v.t().square().toDoubleArray(), v.name());
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64", "I32"})
    void binaryOpsOnViewsMatchTheReference(DType dt) {
        View[] vs = views(dt, 300);
        for (View a : vs) {
            var other = Inputs.random(301, dt, -3, 3, a.ref().shape());
            // strided op strided, strided op contiguous, contiguous op strided
            assertTensor(a.t().add(a.t()), dt, ReferenceArray.zip(a.ref(), a.ref(), Double::sum));
            assertTensor(a.t().mul(other.t()), dt, ReferenceArray.zip(a.ref(), other.ref(), (x, y) -> x * y));
            assertTensor(other.t().sub(a.t()), dt, ReferenceArray.zip(other.ref(), a.ref(), (x, y) -> x - y));
            assertTensor(a.t().maximum(other.t()), dt, ReferenceArray.zip(a.ref(), other.ref(), Math::max));
            assertTensor(a.t().ge(other.t()), DType.BOOL, ReferenceArray.zip(a.ref(), other.ref(), (x, y) -> x >= y ? 1 : 0));
            Tensor cond = a.t().gt(Tensor.scalar(dt, Device.cpu(), 0));
            ReferenceArray w = ReferenceArray.zip(a.ref(), other.ref(), (x, y) -> x > 0 ? x : y);
            assertTensor(Tensor.where(cond, a.t(), other.t()), dt, w);
        }
    }

    @Test
    void viewOpViewWithDifferentLayoutsMatchesReference() {
        var x = Inputs.random(400, DType.F64, -5, 5, 6, 7);
        var y = Inputs.random(401, DType.F64, -5, 5, 7, 6);
        Tensor xt = x.t().mT();                      // [7, 6] strided
        Tensor ys = y.t().slice(0, 0, 7, 1);          // [7, 6] contiguous
        Tensor yb = y.t().slice(1, 0, 6, 2);          // [7, 3]
        assertTensor(xt.add(ys), DType.F64, ReferenceArray.zip(x.ref().transpose(0, 1), y.ref(), Double::sum));
        ReferenceArray ybr = y.ref().slice(1, 0, 6, 2);
        Tensor z = xt.slice(1, 1, 6, 2).mul(yb);      // [7, 3] * [7, 3], different strides
        assertTensor(z, DType.F64, ReferenceArray.zip(x.ref().transpose(0, 1).slice(1, 1, 6, 2), ybr, (p, q) -> p * q));
        Tensor e = yb.select(1, 2).unsqueeze(1).expand(7, 4);   // stride 0 along dim 1
        assertTensor(e.div(xt.narrow(1, 0, 4)), DType.F64,
                ReferenceArray.zip(ybr.select(1, 2).reshape(7, 1), x.ref().transpose(0, 1).slice(1, 0, 4, 1), (p, q) -> p / q));
    }

    // ---- large inputs (cross the multithreading threshold) --------------------------------------

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void largeUnaryAndBinaryOpsMatchReference(DType dt) {
        int n = 1_000_003;
        var x = Inputs.random(500, dt, -4, 4, n);
        var y = Inputs.random(501, dt, -4, 4, n);
        assertTensor(x.t().exp(), dt, x.ref().map(Math::exp));
        assertTensor(x.t().sigmoid(), dt, x.ref().map(ElementwiseTest::sigmoid));
        assertTensor(x.t().add(y.t()), dt, ReferenceArray.zip(x.ref(), y.ref(), Double::sum));
        assertTensor(x.t().mul(2.5), dt, x.ref().map(v -> v * 2.5));
        assertTensor(x.t().maximum(y.t()), dt, ReferenceArray.zip(x.ref(), y.ref(), Math::max));
        assertTensor(x.t().lt(y.t()), DType.BOOL, ReferenceArray.zip(x.ref(), y.ref(), (a, b) -> a < b ? 1 : 0));
        Tensor s = Tensor.scalar(dt, Device.cpu(), 0.75);
        assertTensor(x.t().sub(s), dt, x.ref().map(v -> v - 0.75));
    }

    @Test
    void largeStridedAndBroadcastOpsMatchReference() {
        var x = Inputs.random(502, DType.F32, -4, 4, 1001, 999);
        var row = Inputs.random(503, DType.F32, -4, 4, 1001, 1);
        ReferenceArray xt = x.ref().transpose(0, 1);
        assertTensor(x.t().mT().add(row.t().mT()), DType.F32,
                ReferenceArray.zip(xt, row.ref().transpose(0, 1), Double::sum));
        assertTensor(x.t().mT().exp(), DType.F32, xt.map(Math::exp));
        assertTensor(x.t().slice(1, 0, 999, 3).mul(row.t()), DType.F32,
                ReferenceArray.zip(x.ref().slice(1, 0, 999, 3), row.ref(), (a, b) -> a * b));
        var big = Inputs.random(504, DType.I64, -1000, 1000, 1_000_003);
        assertTensor(big.t().mul(big.t()).add(7.0), DType.I64, big.ref().map(v -> v * v + 7));
    }
}
