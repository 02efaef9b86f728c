package dev.nabla;

/** Element types an op cannot accept or combine; the message names the op and every operand. */
public class DTypeMismatchException extends NablaException {
    private static final long serialVersionUID = 1L;

    public DTypeMismatchException(String message) { super(message); }
    public DTypeMismatchException(String message, Throwable cause) { super(message, cause); }
}
