package dev.nabla.conformance;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;

import java.util.Arrays;

/** Compares a device result with a reference: device, dtype, shape, then every value. */
final class Compare {
    private Compare() {}

    /** null when the result conforms, else what differs (the first bad element and how many). */
    static String check(Tensor out, Device device, DType dtype, Expected e, Tolerance tol) {
        if (!out.device().equals(device)) return "result on " + out.device() + ", expected " + device;
        if (out.dtype() != dtype) return "dtype " + out.dtype() + ", expected " + dtype;
        if (!Arrays.equals(out.shape(), e.value().shape())) {
            return "shape " + Arrays.toString(out.shape()) + ", expected " + Arrays.toString(e.value().shape());
        }
        double[] got = values(out);
        double[] want = e.value().v();
        int bad = -1, count = 0;
        for (int i = 0; i < got.length; i++) {
            double want1 = Values.round(want[i], dtype);
            double scale = e.scale() == null ? Math.abs(want[i]) : e.scale().v()[i];
            if (!tol.accepts(want1, got[i], scale)) {
                if (bad < 0) bad = i;
                count++;
            }
        }
        if (bad < 0) return null;
        return count + " of " + got.length + " elements outside " + tol + "; first at "
                + Arrays.toString(Ref.unravel(bad, out.shape())) + ": expected " + Values.round(want[bad], dtype)
                + ", got " + got[bad];
    }

    /** The values as doubles; I64 goes through long so large integers stay exact. */
    static double[] values(Tensor t) {
        if (t.dtype() == DType.I64) {
            long[] l = t.toLongArray();
            double[] d = new double[l.length];
            for (int i = 0; i < l.length; i++) d[i] = l[i];
            return d;
        }
        return t.toDoubleArray();
    }

    /**
     * The special-value rule: an expected NaN needs a NaN; an expected zero or infinity needs the
     * same bits (the sign of a zero counts); anything else the elementwise tolerance.
     */
    static boolean special(double expected, double actual, Tolerance tol) {
        if (Double.isNaN(expected)) return Double.isNaN(actual);
        if (expected == 0 || Double.isInfinite(expected)) {
            return Double.doubleToRawLongBits(expected) == Double.doubleToRawLongBits(actual);
        }
        return tol.accepts(expected, actual, Math.abs(expected));
    }
}
