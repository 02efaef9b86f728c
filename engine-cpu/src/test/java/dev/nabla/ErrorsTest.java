package dev.nabla;

import static dev.nabla.TensorAsserts.assertOpError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every rejected call throws the typed exception, and its message names the op and describes each
 * operand as {@code [shape] (DTYPE, device)}.
 */
class ErrorsTest {

    private static final Tensor A23 = Tensor.zeros(2, 3);
    private static final Tensor B4 = Tensor.zeros(4);

    @Test
    void exceptionsAreUncheckedNablaExceptions() {
        for (Class<?> c : List.of(ShapeMismatchException.class, DTypeMismatchException.class, DeviceMismatchException.class,
                BackendUnavailableException.class, OutOfMemoryException.class, NotDifferentiableException.class,
                InvalidFileException.class, ClosedTensorException.class)) {
            assertTrue(NablaException.class.isAssignableFrom(c), c.getSimpleName());
        }
        assertTrue(RuntimeException.class.isAssignableFrom(NablaException.class));
    }

    @Test
    void matmulInnerDimensionMismatchNamesBothOperands() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(4, 5);
        var e = assertOpError(ShapeMismatchException.class, "matmul", () -> a.matmul(b), a, b);
        assertTrue(e.getMessage().contains("[2, 3] (F32, cpu)") && e.getMessage().contains("[4, 5] (F32, cpu)"), e.getMessage());
        Tensor v = Tensor.zeros(DType.F64, Device.cpu(), 3), m = Tensor.zeros(DType.F64, Device.cpu(), 2, 5, 7);
        assertOpError(ShapeMismatchException.class, "matmul", () -> v.matmul(m), v, m);
        Tensor p = Tensor.zeros(2, 2, 3), q = Tensor.zeros(3, 3, 4);
        assertOpError(ShapeMismatchException.class, "matmul", () -> p.matmul(q), p, q);   // batch 2 vs 3
    }

    @Test
    void matmulRejectsMixedDtypesBoolAndZeroDim() {
        Tensor f = Tensor.zeros(2, 3), d = Tensor.zeros(DType.F64, Device.cpu(), 3, 2);
        assertOpError(DTypeMismatchException.class, "matmul", () -> f.matmul(d), f, d);
        Tensor b1 = Tensor.zeros(DType.BOOL, Device.cpu(), 2, 2), b2 = Tensor.zeros(DType.BOOL, Device.cpu(), 2, 2);
        assertOpError(DTypeMismatchException.class, "matmul", () -> b1.matmul(b2), b1, b2);
        Tensor s = Tensor.scalar(2);
        assertOpError(ShapeMismatchException.class, "matmul", () -> s.matmul(A23), s, A23);
        assertOpError(ShapeMismatchException.class, "matmul", () -> A23.matmul(s), A23, s);
    }

    @Test
    void broadcastFailureNamesEveryOperand() {
        assertOpError(ShapeMismatchException.class, "add", () -> A23.add(B4), A23, B4);
        assertOpError(ShapeMismatchException.class, "mul", () -> B4.mul(A23), B4, A23);
        assertOpError(ShapeMismatchException.class, "maximum", () -> A23.maximum(B4), A23, B4);
        assertOpError(ShapeMismatchException.class, "lt", () -> A23.lt(B4), A23, B4);
        Tensor c = Tensor.zeros(DType.BOOL, Device.cpu(), 2, 3);
        assertOpError(ShapeMismatchException.class, "where", () -> Tensor.where(c, A23, B4), c, A23, B4);
    }

    @Test
    void dimOutOfRangeNamesTheOperand() {
        assertOpError(ShapeMismatchException.class, "sum", () -> A23.sum(2), A23);
        assertOpError(ShapeMismatchException.class, "mean", () -> A23.mean(-3), A23);
        assertOpError(ShapeMismatchException.class, "amax", () -> A23.amax(new int[] {0, 5}, false), A23);
        assertOpError(ShapeMismatchException.class, "var", () -> A23.var(new int[] {3}, true, 0), A23);
        assertOpError(ShapeMismatchException.class, "norm", () -> A23.norm(2, new int[] {2}, false), A23);
        assertOpError(ShapeMismatchException.class, "argmax", () -> A23.argmax(2), A23);
        assertOpError(ShapeMismatchException.class, "softmax", () -> A23.softmax(-3), A23);
        assertOpError(ShapeMismatchException.class, "logSoftmax", () -> A23.logSoftmax(2), A23);
        assertOpError(ShapeMismatchException.class, "transpose", () -> A23.transpose(0, 2), A23);
        assertOpError(ShapeMismatchException.class, "squeeze", () -> A23.squeeze(2), A23);
        assertOpError(ShapeMismatchException.class, "unsqueeze", () -> A23.unsqueeze(3), A23);
        assertOpError(ShapeMismatchException.class, "select", () -> A23.select(2, 0), A23);
        assertOpError(ShapeMismatchException.class, "slice", () -> A23.slice(-3, 0, 1, 1), A23);
        assertOpError(ShapeMismatchException.class, "narrow", () -> A23.narrow(2, 0, 1), A23);
        assertOpError(ShapeMismatchException.class, "split", () -> A23.split(1, 2), A23);
        assertOpError(ShapeMismatchException.class, "cat", () -> Tensor.cat(List.of(A23, A23), 2), A23);
        assertOpError(ShapeMismatchException.class, "stack", () -> Tensor.stack(List.of(A23, A23), 4), A23);
        assertOpError(ShapeMismatchException.class, "sum", () -> A23.sum(new int[] {1, -1}, false), A23);   // duplicate
    }

    @Test
    void indexOutOfBoundsNamesTheBadIndex() {
        Tensor x = Tensor.zeros(3, 4);
        Tensor idx = Tensor.of(new long[] {0, 1, 7, 2}, 1, 4);
        var e = assertOpError(ShapeMismatchException.class, "gather", () -> x.gather(0, idx), x, idx);
        assertTrue(e.getMessage().contains("7"), e.getMessage());
        Tensor neg = Tensor.of(new long[] {0, -1}, 1, 2);
        assertOpError(ShapeMismatchException.class, "gather", () -> x.gather(1, neg), x, neg);
        Tensor sel = Tensor.of(new long[] {2, 9});
        var f = assertOpError(ShapeMismatchException.class, "indexSelect", () -> x.indexSelect(1, sel), x, sel);
        assertTrue(f.getMessage().contains("9"), f.getMessage());
        Tensor sel32 = Tensor.of(new int[] {3});
        assertOpError(ShapeMismatchException.class, "indexSelect", () -> x.indexSelect(0, sel32), x, sel32);
        Tensor sidx = Tensor.of(new long[] {0, 5}, 1, 2);
        Tensor src = Tensor.ones(1, 2);
        var g = assertOpError(ShapeMismatchException.class, "scatterAdd", () -> x.scatterAdd(1, sidx, src), x, sidx, src);
        assertTrue(g.getMessage().contains("5"), g.getMessage());
        assertOpError(ShapeMismatchException.class, "select", () -> x.select(0, 3), x);
        assertOpError(ShapeMismatchException.class, "select", () -> x.select(1, -5), x);
    }

    @Test
    void indexShapeAndDtypeAreChecked() {
        Tensor x = Tensor.zeros(3, 4);
        Tensor rank1 = Tensor.of(new long[] {0, 1});
        assertOpError(ShapeMismatchException.class, "gather", () -> x.gather(0, rank1), x, rank1);
        Tensor tooWide = Tensor.zeros(DType.I64, Device.cpu(), 2, 5);
        assertOpError(ShapeMismatchException.class, "gather", () -> x.gather(0, tooWide), x, tooWide);
        Tensor floatIdx = Tensor.zeros(1, 4);
        assertOpError(DTypeMismatchException.class, "gather", () -> x.gather(0, floatIdx), x, floatIdx);
        Tensor idx2d = Tensor.zeros(DType.I64, Device.cpu(), 2, 2);
        assertOpError(ShapeMismatchException.class, "indexSelect", () -> x.indexSelect(0, idx2d), x, idx2d);
        Tensor fsel = Tensor.zeros(2);
        assertOpError(DTypeMismatchException.class, "indexSelect", () -> x.indexSelect(0, fsel), x, fsel);
        Tensor sidx = Tensor.zeros(DType.I64, Device.cpu(), 2, 3);
        Tensor smallSrc = Tensor.ones(2, 2);
        assertOpError(ShapeMismatchException.class, "scatterAdd", () -> x.scatterAdd(0, sidx, smallSrc), x, sidx, smallSrc);
    }

    @Test
    void creationRejectsNegativeSizesAndWrongDataLength() {
        var e = assertThrows(ShapeMismatchException.class, () -> Tensor.zeros(-1, 2));
        assertTrue(e.getMessage().contains("zeros") && e.getMessage().contains("-1"), e.getMessage());
        assertThrows(ShapeMismatchException.class, () -> Tensor.ones(DType.F64, Device.cpu(), 2, -3));
        assertThrows(ShapeMismatchException.class, () -> Tensor.full(1, -2));
        assertThrows(ShapeMismatchException.class, () -> Tensor.eye(-1));
        assertThrows(ShapeMismatchException.class, () -> Tensor.of(new float[] {1}, -1));
        assertThrows(ShapeMismatchException.class, () -> Tensor.rand(new Generator(1), 3, -1));
        var f = assertThrows(ShapeMismatchException.class, () -> Tensor.of(new float[] {1, 2, 3}, 2, 2));
        assertTrue(f.getMessage().contains("[2, 2]") && f.getMessage().contains("3"), f.getMessage());
        assertThrows(ShapeMismatchException.class, () -> Tensor.of(new double[6], 4));
        assertThrows(ShapeMismatchException.class, () -> Tensor.of(new int[2], 3));
        assertThrows(ShapeMismatchException.class, () -> Tensor.of(new long[2], 1, 1));
        assertThrows(ShapeMismatchException.class, () -> Tensor.of(new boolean[2], 0));
        assertThrows(ShapeMismatchException.class, () -> Tensor.of(DType.F64, Device.cpu(), new float[2], 3));
        assertThrows(ShapeMismatchException.class, () -> Tensor.arange(0, 5, 0));
        assertThrows(ShapeMismatchException.class, () -> Tensor.linspace(0, 5, -2));
    }

    @Test
    void badPermuteViewReshapeAndExpand() {
        Tensor x = Tensor.zeros(2, 3, 4);
        assertOpError(ShapeMismatchException.class, "permute", () -> x.permute(0, 0, 1), x);
        assertOpError(ShapeMismatchException.class, "permute", () -> x.permute(0, 1), x);
        assertOpError(ShapeMismatchException.class, "permute", () -> x.permute(0, 1, 3), x);
        Tensor p = x.permute(2, 0, 1);
        assertOpError(ShapeMismatchException.class, "view", () -> p.view(24), p);
        assertOpError(ShapeMismatchException.class, "view", () -> x.view(5, 5), x);
        assertOpError(ShapeMismatchException.class, "reshape", () -> x.reshape(7), x);
        assertOpError(ShapeMismatchException.class, "reshape", () -> x.reshape(-1, -1), x);
        assertOpError(ShapeMismatchException.class, "reshape", () -> x.reshape(-1, 5), x);
        Tensor y = Tensor.zeros(3, 2);
        assertOpError(ShapeMismatchException.class, "expand", () -> y.expand(3, 4), y);
        assertOpError(ShapeMismatchException.class, "expand", () -> y.expand(2), y);
        Tensor v = Tensor.zeros(3);
        assertOpError(ShapeMismatchException.class, "mT", v::mT, v);
    }

    @Test
    void catAndStackOfMismatchedShapes() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(2, 4), c = Tensor.zeros(2, 3, 1);
        assertOpError(ShapeMismatchException.class, "cat", () -> Tensor.cat(List.of(a, b), 0), a, b);
        assertOpError(ShapeMismatchException.class, "cat", () -> Tensor.cat(List.of(a, c), 0), a, c);
        assertOpError(ShapeMismatchException.class, "stack", () -> Tensor.stack(List.of(a, b), 0), a, b);
        assertThrows(ShapeMismatchException.class, () -> Tensor.cat(List.of(), 0));
        Tensor s = Tensor.scalar(1), t = Tensor.scalar(2);
        assertOpError(ShapeMismatchException.class, "cat", () -> Tensor.cat(List.of(s, t), 0), s, t);
        assertThrows(ShapeMismatchException.class, () -> Tensor.stack(List.of(), 0));
    }

    @Test
    void dtypeErrorsNameTheOperands() {
        Tensor cond = Tensor.zeros(2, 3), a = Tensor.ones(2, 3), b = Tensor.zeros(2, 3);
        assertOpError(DTypeMismatchException.class, "where", () -> Tensor.where(cond, a, b), cond, a, b);
        Tensor icond = Tensor.zeros(DType.I32, Device.cpu(), 2, 3);
        assertOpError(DTypeMismatchException.class, "where", () -> Tensor.where(icond, a, b), icond, a, b);
        Tensor p = Tensor.zeros(DType.BOOL, Device.cpu(), 2), q = Tensor.ones(DType.BOOL, Device.cpu(), 2);
        assertOpError(DTypeMismatchException.class, "sub", () -> p.sub(q), p, q);
        assertOpError(DTypeMismatchException.class, "neg", p::neg, p);
        assertOpError(DTypeMismatchException.class, "abs", p::abs, p);
    }

    @Test
    void itemAndEmptyExtremes() {
        assertOpError(ShapeMismatchException.class, "item", A23::item, A23);
        Tensor e = Tensor.zeros(0);
        assertOpError(ShapeMismatchException.class, "item", e::item, e);
        assertOpError(ShapeMismatchException.class, "amax", e::amax, e);
        assertOpError(ShapeMismatchException.class, "amin", e::amin, e);
        Tensor e2 = Tensor.zeros(3, 0);
        assertOpError(ShapeMismatchException.class, "argmax", () -> e2.argmax(1), e2);
    }

    @Test
    void movementArgumentErrors() {
        assertOpError(ShapeMismatchException.class, "slice", () -> A23.slice(1, 0, 3, 0), A23);
        assertOpError(ShapeMismatchException.class, "split", () -> A23.split(0, 1), A23);
        assertOpError(ShapeMismatchException.class, "split", () -> A23.split(-2, 1), A23);
        assertOpError(ShapeMismatchException.class, "narrow", () -> A23.narrow(1, 2, 2), A23);
        assertOpError(ShapeMismatchException.class, "pad", () -> A23.pad(new long[] {1}, new long[] {1, 1}, 0), A23);
        assertOpError(ShapeMismatchException.class, "pad", () -> A23.pad(new long[] {1, 1, 1}, new long[] {1, 1, 1}, 0), A23);
        Tensor v = Tensor.zeros(3), w = Tensor.zeros(4);
        assertOpError(ShapeMismatchException.class, "dot", () -> v.dot(w), v, w);
        assertOpError(ShapeMismatchException.class, "outer", () -> v.outer(A23), v, A23);
    }

    @Test
    void messageFormatMatchesTheContractExample() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(4, 5);
        var e = assertThrows(ShapeMismatchException.class, () -> a.matmul(b));
        assertTrue(e.getMessage().startsWith("matmul: "), e.getMessage());
        var f = assertThrows(ShapeMismatchException.class, () -> a.add(Tensor.zeros(4)));
        assertTrue(f.getMessage().startsWith("add: "), f.getMessage());
        assertEquals(-1, f.getMessage().indexOf("null"), f.getMessage());
    }
}
