package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.DType;
import dev.nabla.DTypeMismatchException;
import dev.nabla.Device;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;
import dev.nabla.algo.EquilibriumNetwork.Cost;
import dev.nabla.algo.EquilibriumPropagation.Options;
import org.junit.jupiter.api.Test;

/** Bad input to equilibrium propagation gets the engine's typed exceptions, naming the op and every operand. */
class EquilibriumValidationTest {

    private final EquilibriumNetwork net = EquilibriumNetwork.builder(4, 3, 2).dtype(DType.F64).device(Device.cpu()).build();
    private final EquilibriumPropagation ep = new EquilibriumPropagation(net, Options.defaults());

    @Test
    void inputsMustMatchTheNetwork() {
        Tensor labels = Tensor.of(new long[] {0, 1}, 2);
        ShapeMismatchException shape = assertThrows(ShapeMismatchException.class,
                () -> ep.estimate(Tensor.zeros(DType.F64, Device.cpu(), 2, 5), labels));
        assertEquals("EquilibriumPropagation.estimate: the input must be [B, 4]: a[2, 5] (F64, cpu), b[3, 4] (F64, cpu)", shape.getMessage());
        DTypeMismatchException dtype = assertThrows(DTypeMismatchException.class,
                () -> ep.freePhase(Tensor.zeros(DType.F32, Device.cpu(), 2, 4)));
        assertEquals("EquilibriumPropagation.freePhase: the input must have the network's dtype F64: a[2, 4] (F32, cpu), b[3, 4] (F64, cpu)",
                dtype.getMessage());
    }

    @Test
    void targetsMustBeClassIndicesOrTheOutputShape() {
        Tensor x = Tensor.zeros(DType.F64, Device.cpu(), 2, 4);
        ShapeMismatchException count = assertThrows(ShapeMismatchException.class,
                () -> ep.recurrentBackprop(x, Tensor.of(new long[] {0, 1, 1}, 3)));
        assertEquals("EquilibriumPropagation.recurrentBackprop: targets must be class indices [2]: a[2, 4] (F64, cpu), b[3] (I64, cpu)",
                count.getMessage());
        DTypeMismatchException floats = assertThrows(DTypeMismatchException.class,
                () -> ep.estimate(x, Tensor.zeros(DType.F64, Device.cpu(), 2)));
        assertEquals("EquilibriumPropagation.estimate: targets must be class indices (I64 or I32): a[2, 4] (F64, cpu), b[2] (F64, cpu)",
                floats.getMessage());
        EquilibriumNetwork linear = EquilibriumNetwork.builder(4, 3, 2).cost(Cost.LINEAR).dtype(DType.F64).device(Device.cpu()).build();
        ShapeMismatchException dense = assertThrows(ShapeMismatchException.class,
                () -> new EquilibriumPropagation(linear, Options.defaults()).estimate(x, Tensor.of(new long[] {0, 1}, 2)));
        assertEquals("EquilibriumPropagation.estimate: a linear cost's target must be [2, 2]: a[2, 4] (F64, cpu), b[2] (I64, cpu)",
                dense.getMessage());
    }

    @Test
    void optionsOutOfRangeAreIllegal() {
        assertEquals("EquilibriumPropagation.Options: beta must be finite and non-zero, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> Options.defaults().withBeta(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Options.defaults().withNudges(-1));
        assertThrows(IllegalArgumentException.class, () -> Options.defaults().withSteps(0, 5));
        assertThrows(IllegalArgumentException.class, () -> Options.defaults().withHomeostasis(-1, 5, true));
        assertThrows(IllegalArgumentException.class, () -> Options.defaults().withHomeostasis(1, 0, true));
        Options.defaults().withNudges(0).withBeta(0);   // forward mode has no β
        assertThrows(IllegalArgumentException.class, () -> EquilibriumNetwork.builder(4));
        assertThrows(IllegalArgumentException.class, () -> EquilibriumNetwork.builder(4, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> EquilibriumNetwork.builder(4, 2).dtype(DType.I64));
    }
}
