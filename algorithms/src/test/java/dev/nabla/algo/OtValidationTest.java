package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.DTypeMismatchException;
import dev.nabla.Device;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;
import org.junit.jupiter.api.Test;

/** Bad problems get typed exceptions naming the solver and every operand. */
class OtValidationTest {
    private static final Device CPU = Device.cpu();
    private static final Tensor COST = Tensor.ones(DType.F64, CPU, 3, 2);
    private static final Tensor R = Tensor.full(DType.F64, CPU, 1.0 / 3, 3), C = Tensor.full(DType.F64, CPU, 0.5, 2);

    @Test
    void marginalsOfTheWrongShapeOrDtypeAreNamed() {
        ShapeMismatchException s = assertThrows(ShapeMismatchException.class,
                () -> Sinkhorn.solve(COST, C, R, 1, OtOptions.defaults()));
        assertEquals("Sinkhorn.solve: marginals must be [n] and [m] for a cost [n, m]: a[3, 2] (F64, cpu), b[2] (F64, cpu), c[3] (F64, cpu)",
                s.getMessage());
        DTypeMismatchException d = assertThrows(DTypeMismatchException.class,
                () -> SinkhornNewtonSparse.solve(COST, R.to(DType.F32), C, 1, OtOptions.defaults()));
        assertEquals("SinkhornNewtonSparse.solve: marginals must have the cost's dtype: a[3, 2] (F64, cpu), b[3] (F32, cpu), c[2] (F64, cpu)",
                d.getMessage());
        assertThrows(ShapeMismatchException.class, () -> Sinkhorn.solve(Tensor.ones(DType.F64, CPU, 6), R, C, 1, OtOptions.defaults()));
        assertThrows(ShapeMismatchException.class,
                () -> Sinkhorn.solve(COST, R, C, 1, OtOptions.defaults(), Tensor.zeros(DType.F64, CPU, 2), null));
    }

    @Test
    void badNumbersAreIllegalArguments() {
        IllegalArgumentException eta = assertThrows(IllegalArgumentException.class, () -> Sinkhorn.solve(COST, R, C, 0, OtOptions.defaults()));
        assertTrue(eta.getMessage().startsWith("Sinkhorn.solve: eta must be finite and > 0"), eta.getMessage());
        Tensor zero = Tensor.of(DType.F64, CPU, new double[] {0.5, 0.5, 0}, 3);
        assertThrows(IllegalArgumentException.class, () -> Sinkhorn.solve(COST, zero, C, 1, OtOptions.defaults()));
        Tensor heavy = Tensor.full(DType.F64, CPU, 0.5, 3);
        IllegalArgumentException mass = assertThrows(IllegalArgumentException.class, () -> Sinkhorn.solve(COST, heavy, C, 1, OtOptions.defaults()));
        assertTrue(mass.getMessage().contains("equal mass"), mass.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OtOptions.defaults().withSparsity(1.5));
        assertThrows(IllegalArgumentException.class, () -> OtOptions.defaults().withTol(-1));
    }

    @Test
    void keptEntriesFollowTheSparsity() {
        assertEquals(200, OtOptions.defaults().keptEntries(100, 100));
        assertEquals(1500, OtOptions.defaults().withSparsity(15.0 / 100).keptEntries(100, 100));
        assertEquals(199, OtOptions.defaults().withSparsity(1e-9).keptEntries(100, 100), "never fewer than n + m - 1");
        assertEquals(6, OtOptions.defaults().keptEntries(2, 3), "never more than n·m");
    }
}
