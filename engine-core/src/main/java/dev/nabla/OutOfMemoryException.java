package dev.nabla;

/** A device allocation failed after the cache was freed; the message states requested, free, total, in-use and cached bytes. */
public class OutOfMemoryException extends NablaException {
    private static final long serialVersionUID = 1L;

    public OutOfMemoryException(String message) { super(message); }
    public OutOfMemoryException(String message, Throwable cause) { super(message, cause); }
}
