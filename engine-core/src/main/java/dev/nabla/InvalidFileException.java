package dev.nabla;

/** A malformed file; the message names the problem. */
public class InvalidFileException extends NablaException {
    public InvalidFileException(String message) { super(message); }
    public InvalidFileException(String message, Throwable cause) { super(message, cause); }
}
