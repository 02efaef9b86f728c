package dev.nabla.nn;

import dev.nabla.DTypeMismatchException;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;

import java.util.Arrays;

/** Error messages in the engine's form: the op, what is wrong, then every operand as "[2, 3] (F32, cpu)". */
final class Operands {
    private Operands() {}

    static String describe(Tensor t) {
        return Arrays.toString(t.shape()) + " (" + t.dtype() + ", " + t.device() + ")";
    }

    static String message(String op, String what, Tensor... operands) {
        StringBuilder sb = new StringBuilder(op).append(": ").append(what);
        String[] names = operands.length == 1 ? new String[] {"input"} : new String[] {"a", "b", "c", "d"};
        for (int i = 0; i < operands.length; i++) {
            sb.append(i == 0 ? ": " : ", ").append(i < names.length ? names[i] : "t" + i).append(describe(operands[i]));
        }
        return sb.toString();
    }

    static ShapeMismatchException shape(String op, String what, Tensor... operands) {
        return new ShapeMismatchException(message(op, what, operands));
    }

    static DTypeMismatchException dtype(String op, String what, Tensor... operands) {
        return new DTypeMismatchException(message(op, what, operands));
    }

    /** Throws unless x has rank r (or one of ranks). */
    static void rank(String op, Tensor x, String expected, int... ranks) {
        for (int r : ranks) if (x.rank() == r) return;
        throw shape(op, "expected " + expected, x);
    }

    static void floating(String op, Tensor x) {
        if (!x.dtype().isFloating()) throw dtype(op, "expected a floating input (F32 or F64)", x);
    }
}
