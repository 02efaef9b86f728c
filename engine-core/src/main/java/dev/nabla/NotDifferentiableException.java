package dev.nabla;

/** A derivative an op does not have; the message names the op. */
public class NotDifferentiableException extends NablaException {
    public NotDifferentiableException(String message) { super(message); }
    public NotDifferentiableException(String message, Throwable cause) { super(message, cause); }
}
