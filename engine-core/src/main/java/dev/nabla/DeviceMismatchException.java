package dev.nabla;

/** Operands on different devices; the message names the op and every operand. */
public class DeviceMismatchException extends NablaException {
    public DeviceMismatchException(String message) { super(message); }
    public DeviceMismatchException(String message, Throwable cause) { super(message, cause); }
}
