package dev.nabla;

/** A tensor used after {@link Tensor#close()}; the message names the op and the tensor. */
public class ClosedTensorException extends NablaException {
    public ClosedTensorException(String message) { super(message); }
}
