package dev.nabla.conformance;

/**
 * A reference result: the values, and for accumulations the magnitude each element's rounding error
 * grows with (Σ|terms|; null means |value|) and the number of terms K the tolerance widens by √K.
 */
public record Expected(Ref value, Ref scale, long terms) {
    public static Expected of(Ref value) { return new Expected(value, null, 1); }
}
