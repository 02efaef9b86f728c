package dev.nabla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.function.Executable;

/**
 * Assertions comparing an engine tensor with a {@link ReferenceArray}: dtype, shape and every
 * element, with the failing position and both values in the message.
 */
final class TensorAsserts {

    private TensorAsserts() {}

    static void assertShape(Tensor t, long... shape) {
        assertArrayEquals(shape, t.shape(), () -> "shape " + Arrays.toString(t.shape()) + " expected " + Arrays.toString(shape));
    }

    /** dtype, shape and values within the dtype's elementwise preset. */
    static void assertTensor(Tensor t, DType dtype, ReferenceArray expected) {
        assertTensor(t, dtype, expected, Tolerance.of(dtype), null);
    }

    static void assertTensor(Tensor t, DType dtype, ReferenceArray expected, Tolerance tol) {
        assertTensor(t, dtype, expected, tol, null);
    }

    /**
     * dtype, shape and values; {@code scale} (may be null) gives, per element, the magnitude the
     * tolerance is relative to (e.g. sum |x| for a sum).
     */
    static void assertTensor(Tensor t, DType dtype, ReferenceArray expected, Tolerance tol, double[] scale) {
        assertEquals(dtype, t.dtype(), "dtype");
        assertShape(t, expected.shape());
        assertValues(expected.values(), t, tol, scale);
    }

    static void assertValues(double[] expected, Tensor t, Tolerance tol, double[] scale) {
        if (t.dtype() == DType.I64) {
            long[] got = t.toLongArray();
            assertEquals(expected.length, got.length, "numel");
            for (int i = 0; i < got.length; i++) {
                int at = i;
                assertEquals((long) expected[i], got[i], () -> "element " + at + " of " + Arrays.toString(t.shape()));
            }
            return;
        }
        double[] got = t.toDoubleArray();
        assertEquals(expected.length, got.length, "numel");
        int bad = -1, badCount = 0;
        for (int i = 0; i < got.length; i++) {
            double s = scale == null ? Math.abs(expected[i]) : scale[i];
            if (!tol.accepts(expected[i], got[i], s)) {
                if (bad < 0) bad = i;
                badCount++;
            }
        }
        if (bad >= 0) {
            long[] idx = ReferenceArray.unravel(bad, t.shape());
            fail(badCount + " of " + got.length + " elements out of tolerance " + tol + "; first at "
                    + Arrays.toString(idx) + ": expected " + expected[bad] + " but was " + got[bad]
                    + " (" + t.dtype() + ")");
        }
    }

    /** Exact element values (also sign of zero), e.g. for special values. */
    static void assertBits(double expected, double actual, String what) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), () -> what + ": expected NaN but was " + actual);
            return;
        }
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                () -> what + ": expected " + expected + " but was " + actual);
    }

    /** The values of t read as doubles after checking its dtype. */
    static double[] doubles(Tensor t, DType dtype) {
        assertEquals(dtype, t.dtype(), "dtype");
        return t.toDoubleArray();
    }

    /** Asserts the exception type and that its message names the op and each operand as "[..] (DTYPE, cpu)". */
    static <E extends Throwable> E assertOpError(Class<E> type, String op, Executable call, Tensor... operands) {
        E e = assertThrows(type, call);
        String m = e.getMessage();
        assertTrue(m != null && m.contains(op), () -> "message does not name op '" + op + "': " + m);
        for (Tensor t : operands) {
            String described = describe(t);
            assertTrue(m.contains(described), () -> "message does not describe operand " + described + ": " + m);
        }
        return e;
    }

    /** "[2, 3] (F32, cpu)" as the error messages spell an operand. */
    static String describe(Tensor t) {
        return Arrays.toString(t.shape()) + " (" + t.dtype() + ", " + t.device() + ")";
    }
}
