package dev.nabla;

/** A malformed file; the message names the problem. */
public class InvalidFileException extends NablaException {
    private static final long serialVersionUID = 1L;

    public InvalidFileException(String message) { super(message); }
    public InvalidFileException(String message, Throwable cause) { super(message, cause); }
}
