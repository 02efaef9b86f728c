package dev.nabla;

/** Root of every exception the engine throws on purpose; unchecked. */
public class NablaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NablaException(String message) { super(message); }
    public NablaException(String message, Throwable cause) { super(message, cause); }
}
