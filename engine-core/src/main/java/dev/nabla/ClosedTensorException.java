package dev.nabla;

/** A tensor used after {@link Tensor#close()}; the message names the op and the tensor. */
public class ClosedTensorException extends NablaException {
    private static final long serialVersionUID = 1L;

    public ClosedTensorException(String message) { super(message); }
}
