package dev.nabla;

/** Operands on different devices; the message names the op and every operand. */
public class DeviceMismatchException extends NablaException {
    private static final long serialVersionUID = 1L;

    public DeviceMismatchException(String message) { super(message); }
    public DeviceMismatchException(String message, Throwable cause) { super(message, cause); }
}
