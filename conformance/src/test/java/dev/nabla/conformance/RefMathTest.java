package dev.nabla.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The kit's own float64 definitions against published values (Abramowitz and Stegun, Table 7.1; closed forms). */
class RefMathTest {

    @Test
    void erfMatchesTabulatedValues() {
        assertEquals(0.5204998778130465, RefMath.erf(0.5), 1e-15);
        assertEquals(0.8427007929497149, RefMath.erf(1.0), 1e-15);
        assertEquals(0.9953222650189527, RefMath.erf(2.0), 1e-15);
        assertEquals(-0.9999779095030014, RefMath.erf(-3.0), 1e-15);
        assertEquals(1.0, RefMath.erf(Double.POSITIVE_INFINITY));
    }

    @Test
    void erfcKeepsRelativeAccuracyInTheTail() {
        assertEquals(0.004677734981047266, RefMath.erfc(2.0), 1e-15 * 0.0047);
        assertEquals(1.5374597944280349e-12, RefMath.erfc(5.0), 1e-14 * 1.5e-12);
        assertEquals(1.9999779095030015, RefMath.erfc(-3.0), 1e-15);
    }

    @Test
    void geluIsXTimesTheNormalCdf() {
        assertEquals(0.8413447460685429, RefMath.gelu(1.0), 1e-15);
        assertEquals(-0.15865525393145705, RefMath.gelu(-1.0), 1e-15);
        assertEquals(-0.0, RefMath.gelu(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, RefMath.gelu(0.0));
    }
}
