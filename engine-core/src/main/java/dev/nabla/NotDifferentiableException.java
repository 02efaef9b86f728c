package dev.nabla;

/** A derivative an op does not have; the message names the op. */
public class NotDifferentiableException extends NablaException {
    private static final long serialVersionUID = 1L;

    public NotDifferentiableException(String message) { super(message); }
    public NotDifferentiableException(String message, Throwable cause) { super(message, cause); }
}
