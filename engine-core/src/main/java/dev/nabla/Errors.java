package dev.nabla;

/** Builds the messages every typed exception carries: the op, what is wrong, and each operand. */
final class Errors {
    private Errors() {}

    private static final String[] NAMES = {"a", "b", "c", "d"};

    /** "op: what: a[2, 3] (F32, cpu), b[4] (F32, cpu)". */
    static String message(String op, String what, Tensor... operands) {
        StringBuilder sb = new StringBuilder(op).append(": ").append(what);
        if (operands.length > 0) sb.append(": ");
        for (int i = 0; i < operands.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(operands.length == 1 ? "input" : i < NAMES.length ? NAMES[i] : "t" + i);
            sb.append(operands[i].describe());
        }
        return sb.toString();
    }

    static ShapeMismatchException shape(String op, String what, Tensor... operands) {
        return new ShapeMismatchException(message(op, what, operands));
    }

    static DTypeMismatchException dtype(String op, String what, Tensor... operands) {
        return new DTypeMismatchException(message(op, what, operands));
    }

    /** Throws DeviceMismatchException unless all operands share a device. */
    static void sameDevice(String op, Tensor... ts) {
        for (int i = 1; i < ts.length; i++) {
            if (!ts[i].device().equals(ts[0].device())) {
                throw new DeviceMismatchException(message(op, "operands are on different devices", ts));
            }
        }
    }
}
