package dev.nabla.autodiff;

import dev.nabla.NablaException;

/** An analytical derivative that disagrees with finite differences; the message names the entry. */
public class GradCheckException extends NablaException {
    public GradCheckException(String message) { super(message); }
}
