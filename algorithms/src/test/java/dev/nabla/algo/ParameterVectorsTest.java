package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lists of tensors as one vector: inner products, combinations, random directions. */
class ParameterVectorsTest {

    private static List<Tensor> list(double[] a, double[] b) {
        return List.of(Tensor.of(DType.F64, Device.cpu(), a, 2, a.length / 2), Tensor.of(DType.F64, Device.cpu(), b, b.length));
    }

    @Test
    void dotNormAxpyAndScaleActOnTheWholeList() {
        List<Tensor> x = list(new double[] {1, 2, 3, 4}, new double[] {5});
        List<Tensor> y = list(new double[] {-1, 0, 1, 2}, new double[] {0.5});
        assertEquals(-1 + 3 + 8 + 2.5, ParameterVectors.dot(x, y), 1e-15);
        assertEquals(Math.sqrt(1 + 4 + 9 + 16 + 25), ParameterVectors.norm(x), 1e-15);
        List<Tensor> z = ParameterVectors.axpy(2, x, y);
        assertArrayEquals(new double[] {1, 4, 7, 10}, z.get(0).toDoubleArray(), 0);
        assertArrayEquals(new long[] {2, 2}, z.get(0).shape());
        assertArrayEquals(new double[] {10.5}, z.get(1).toDoubleArray(), 0);
        assertArrayEquals(new double[] {-1.5}, ParameterVectors.scale(y, -3).get(1).toDoubleArray(), 0);
        assertEquals(5, ParameterVectors.dimension(x));
    }

    @Test
    void rademacherIsPlusOrMinusOneShapedLikeTheListAndSeeded() {
        List<Tensor> like = list(new double[6], new double[3]);
        List<Tensor> a = ParameterVectors.rademacher(like, new Generator(5));
        List<Tensor> b = ParameterVectors.rademacher(like, new Generator(5));
        assertArrayEquals(new long[] {2, 3}, a.get(0).shape());
        assertEquals(DType.F64, a.get(1).dtype());
        int plus = 0;
        for (Tensor t : a) for (double v : t.toDoubleArray()) {
            assertEquals(1, Math.abs(v), 0);
            if (v > 0) plus++;
        }
        assertEquals(9, ParameterVectors.dot(a, a), 0);
        assertEquals(ParameterVectors.dot(a, b), 9, 0, "the same seed, the same signs");
        assertEquals(true, plus > 0 && plus < 9);
        List<Tensor> many = ParameterVectors.rademacher(List.of(Tensor.zeros(DType.F32, Device.cpu(), 100_000)), new Generator(1));
        assertEquals(0, many.getFirst().sum().item() / 100_000, 0.01, "fair signs");
    }

    @Test
    void listsOfOtherShapesAreRejected() {
        List<Tensor> x = list(new double[] {1, 2, 3, 4}, new double[] {5});
        assertThrows(ShapeMismatchException.class, () -> ParameterVectors.dot(x, List.of(x.getFirst())));
        assertThrows(ShapeMismatchException.class, () -> ParameterVectors.axpy(1, x, list(new double[] {1, 2}, new double[] {5})));
    }
}
