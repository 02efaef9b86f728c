package dev.nabla.spi;

/** Distributions the random primitive draws from. */
public enum RandomDist {
    /** Uniform on [0, 1). */
    UNIFORM,
    /** Standard normal, by Box-Muller in float64 on pairs of uniforms. */
    NORMAL
}
