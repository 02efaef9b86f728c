package dev.nabla;

import java.util.Arrays;

/** toString: the values as nested brackets (only the shape past 1000 elements), then dtype and device. */
final class Format {
    private Format() {}

    static String format(Tensor t) {
        StringBuilder sb = new StringBuilder("tensor(");
        if (t.numel() <= 1000) {
            append(sb, t, t.toDoubleArray(), 0, 0);
        } else {
            sb.append("shape ").append(Arrays.toString(t.shape));
        }
        return sb.append(", ").append(t.dtype).append(", ").append(t.device()).append(')').toString();
    }

    /** Appends the sub-tensor at dim starting at flat position pos; returns the next position. */
    private static int append(StringBuilder sb, Tensor t, double[] v, int dim, int pos) {
        if (dim == t.shape.length) {
            sb.append(value(t.dtype, v[pos]));
            return pos + 1;
        }
        sb.append('[');
        for (long i = 0; i < t.shape[dim]; i++) {
            if (i > 0) sb.append(", ");
            pos = append(sb, t, v, dim + 1, pos);
        }
        sb.append(']');
        return pos;
    }

    private static String value(DType dt, double x) {
        return switch (dt) {
            case BOOL -> x != 0 ? "true" : "false";
            case I32, I64 -> Long.toString((long) x);
            case F32 -> Float.toString((float) x);
            case F64 -> Double.toString(x);
        };
    }
}
