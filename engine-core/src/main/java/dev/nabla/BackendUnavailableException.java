package dev.nabla;

/** A device whose backend is missing or cannot start; the message says why. */
public class BackendUnavailableException extends NablaException {
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message) { super(message); }
    public BackendUnavailableException(String message, Throwable cause) { super(message, cause); }
}
