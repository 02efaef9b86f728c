package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;
import java.util.Arrays;
import java.util.Random;

/** Test inputs and comparisons for the nn tests: float64 data from a seeded Random, element-wise checks. */
final class Ref {
    private Ref() {}

    static double[] values(long seed, int n) {
        Random r = new Random(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = r.nextGaussian();
        return d;
    }

    static Tensor f64(double[] d, long... shape) {
        return Tensor.of(DType.F64, Device.cpu(), d, shape);
    }

    static Tensor f32(double[] d, long... shape) {
        return Tensor.of(DType.F32, Device.cpu(), d, shape);
    }

    static void assertClose(double[] expected, Tensor actual, double tol) {
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, "numel of " + Arrays.toString(actual.shape()));
        for (int i = 0; i < got.length; i++) {
            double e = expected[i];
            if (Math.abs(got[i] - e) > tol * (1 + Math.abs(e))) {
                throw new AssertionError("element " + i + " of " + Arrays.toString(actual.shape()) + ": expected " + e + " but was " + got[i]);
            }
        }
    }

    static void assertShape(Tensor t, long... shape) {
        assertArrayEquals(shape, t.shape(), () -> "shape " + Arrays.toString(t.shape()));
    }
}
