package dev.nabla.autodiff;

import dev.nabla.NablaException;

/** An analytical derivative that disagrees with finite differences; the message names the entry. */
public class GradCheckException extends NablaException {
    private static final long serialVersionUID = 1L;

    public GradCheckException(String message) { super(message); }
}
