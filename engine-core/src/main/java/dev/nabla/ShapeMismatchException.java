package dev.nabla;

/** Shapes (or dims, indices, sizes) that an op cannot accept; the message names the op and every operand. */
public class ShapeMismatchException extends NablaException {
    private static final long serialVersionUID = 1L;

    public ShapeMismatchException(String message) { super(message); }
    public ShapeMismatchException(String message, Throwable cause) { super(message, cause); }
}
