package dev.nabla.algo;

import dev.nabla.DTypeMismatchException;
import dev.nabla.DeviceMismatchException;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;

import java.util.Arrays;
import java.util.List;

/** Error messages in the engine's form: the op, what is wrong, then every operand as "[2, 3] (F32, cpu)". */
final class Operands {
    private Operands() {}

    static String describe(Tensor t) {
        return Arrays.toString(t.shape()) + " (" + t.dtype() + ", " + t.device() + ")";
    }

    static String describe(List<Tensor> ts) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < ts.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(describe(ts.get(i)));
        }
        return sb.append(']').toString();
    }

    static ShapeMismatchException shape(String op, String what, Tensor... operands) {
        return new ShapeMismatchException(message(op, what, operands));
    }

    static DTypeMismatchException dtype(String op, String what, Tensor... operands) {
        return new DTypeMismatchException(message(op, what, operands));
    }

    static DeviceMismatchException device(String op, String what, Tensor... operands) {
        return new DeviceMismatchException(message(op, what, operands));
    }

    private static String message(String op, String what, Tensor... operands) {
        StringBuilder sb = new StringBuilder(op).append(": ").append(what);
        String[] names = operands.length == 1 ? new String[] {"input"} : new String[] {"a", "b", "c", "d"};
        for (int i = 0; i < operands.length; i++) {
            sb.append(i == 0 ? ": " : ", ").append(i < names.length ? names[i] : "t" + i).append(describe(operands[i]));
        }
        return sb.toString();
    }

    /** Throws IllegalArgumentException naming the op unless the condition holds. */
    static void require(boolean ok, String op, String what) {
        if (!ok) throw new IllegalArgumentException(op + ": " + what);
    }
}
