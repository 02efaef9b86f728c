package dev.nabla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Tensor.copyFrom: the in-place write optimizers and checkpoint loading rely on. */
class CopyFromTest {

    @Test
    void writesBroadcastAndConvertedValuesIntoTheSameObject() {
        Tensor w = Tensor.zeros(2, 3);
        assertSame(w, w.copyFrom(Tensor.of(new double[] {1, 2, 3})));   // F64 [3] broadcast into F32 [2, 3]
        assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, w.toFloatArray());
        w.copyFrom(Tensor.scalar(7));
        assertArrayEquals(new float[] {7, 7, 7, 7, 7, 7}, w.toFloatArray());
    }

    @Test
    void writesThroughViewsAndHandlesOverlappingSources() {
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        m.select(0, 1).copyFrom(Tensor.of(new float[] {8, 9}));        // the second row, a view
        assertArrayEquals(new float[] {1, 2, 8, 9}, m.toFloatArray());
        m.copyFrom(m.mT());                                              // reads its own storage transposed
        assertArrayEquals(new float[] {1, 8, 2, 9}, m.toFloatArray());
    }

    @Test
    void aLeafRequiringGradCanBeUpdatedButATapeResultCannot() {
        Tensor p = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        p.copyFrom(Tensor.of(new double[] {3, 4}));
        assertTrue(p.requiresGrad());
        assertArrayEquals(new double[] {3, 4}, p.toDoubleArray());
        Tensor q = p.mul(2.0);
        NablaException e = assertThrows(NablaException.class, () -> q.copyFrom(Tensor.zeros(DType.F64, Device.cpu(), 2)));
        assertTrue(e.getMessage().contains("copyFrom") && e.getMessage().contains("mul"), e.getMessage());
    }

    @Test
    void aSourceThatDoesNotBroadcastIsAShapeMismatchNamingBoth() {
        Tensor w = Tensor.zeros(2, 3);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> w.copyFrom(Tensor.zeros(3, 3)));
        assertTrue(e.getMessage().contains("copyFrom") && e.getMessage().contains("[2, 3] (F32, cpu)")
                && e.getMessage().contains("[3, 3] (F32, cpu)"), e.getMessage());
        assertThrows(ShapeMismatchException.class, () -> Tensor.zeros(3).copyFrom(Tensor.zeros(2, 3)));
    }
}
