package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.DTypeMismatchException;
import dev.nabla.Device;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input gets the engine's typed exceptions, naming the op and the operands' shape, dtype and device. */
class ValidationTest {

    private static final List<Tensor> PARAMS = List.of(Tensor.zeros(DType.F64, Device.cpu(), 3));

    @Test
    void aLossThatIsNotAScalarIsAShapeMismatch() {
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> new HessianSpectrum(p -> p.getFirst().mul(2.0), PARAMS));
        assertEquals("HessianSpectrum: the loss must return one element: input[3] (F64, cpu)", e.getMessage());
        ShapeMismatchException n = assertThrows(ShapeMismatchException.class,
                () -> NewtonCG.hessian(p -> p.getFirst().square()).minimize(PARAMS));
        assertTrue(n.getMessage().startsWith("NewtonCG.minimize"), n.getMessage());
    }

    @Test
    void integerOrMixedParametersAreADTypeMismatch() {
        DTypeMismatchException i = assertThrows(DTypeMismatchException.class,
                () -> new HessianSpectrum(p -> p.getFirst().sum(), List.of(Tensor.of(new long[] {1, 2}, 2))));
        assertEquals("HessianSpectrum: parameters must be floating (F32 or F64): input[2] (I64, cpu)", i.getMessage());
        DTypeMismatchException m = assertThrows(DTypeMismatchException.class,
                () -> NewtonCG.hessian(p -> p.getFirst().sum()).minimize(List.of(Tensor.zeros(DType.F64, Device.cpu(), 2),
                        Tensor.zeros(DType.F32, Device.cpu(), 2, 2))));
        assertEquals("NewtonCG.minimize: parameters must share one dtype: a[2] (F64, cpu), b[2, 2] (F32, cpu)", m.getMessage());
    }

    @Test
    void aVectorNotShapedLikeTheParametersIsAShapeMismatch() {
        CurvatureOperator h = CurvatureOperator.hessian(p -> p.getFirst().square().sum(), PARAMS);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> h.apply(List.of(Tensor.zeros(DType.F64, Device.cpu(), 4))));
        assertEquals("CurvatureOperator.hessian: tensor 0 must have the parameter's shape [3]: input[4] (F64, cpu)", e.getMessage());
        assertThrows(ShapeMismatchException.class, () -> h.apply(List.of()));
        DTypeMismatchException d = assertThrows(DTypeMismatchException.class, () -> h.apply(List.of(Tensor.zeros(DType.F32, Device.cpu(), 3))));
        assertEquals("CurvatureOperator.hessian: tensor 0 must have the parameters' dtype F64: input[3] (F32, cpu)", d.getMessage());
    }

    @Test
    void anOperatorReturningTheWrongShapeIsNamed() {
        HessianSpectrum s = HessianSpectrum.of(v -> List.of(Tensor.zeros(DType.F64, Device.cpu(), 2)), PARAMS, 0);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> s.lanczos(2));
        assertTrue(e.getMessage().startsWith("HessianSpectrum.of (the operator's product): tensor 0 must have the parameter's shape [3]"),
                e.getMessage());
    }

    @Test
    void outOfRangeArgumentsAreIllegal() {
        HessianSpectrum s = new HessianSpectrum(p -> p.getFirst().square().sum(), PARAMS);
        assertEquals("topEigenvalues: k must be in [1, 3], got 4",
                assertThrows(IllegalArgumentException.class, () -> s.topEigenvalues(4)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.lanczos(0));
        assertThrows(IllegalArgumentException.class, () -> s.density(5, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> s.density(5, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> s.trace(0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> new HessianSpectrum(p -> p.getFirst().sum(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> NewtonCG.Options.defaults().withMaxIterations(0));
    }
}
