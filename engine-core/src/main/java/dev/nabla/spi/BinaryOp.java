package dev.nabla.spi;

/**
 * Elementwise binary primitives over two inputs of one dtype. Comparisons write BOOL; the others
 * write the input dtype. MAX and MIN propagate NaN, as {@code torch.maximum}.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN, EQ, NE, LT, LE, GT, GE;

    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }
}
