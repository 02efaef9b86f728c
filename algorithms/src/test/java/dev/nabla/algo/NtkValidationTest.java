package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.DTypeMismatchException;
import dev.nabla.Device;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;
import dev.nabla.algo.EmpiricalNtk.Method;
import dev.nabla.algo.EmpiricalNtk.Options;
import dev.nabla.algo.EmpiricalNtk.Outputs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input to the NTK gets the engine's typed exceptions naming every operand; memory comes back. */
class NtkValidationTest {

    private static final Device CPU = Device.cpu();
    private static final List<Tensor> PARAMS = List.of(Tensor.zeros(DType.F64, CPU, 3, 2), Tensor.zeros(DType.F64, CPU, 2));

    @Test
    void samplesOfDifferentShapesAreAShapeMismatch() {
        Tensor a = Tensor.zeros(DType.F64, CPU, 4, 3), b = Tensor.zeros(DType.F64, CPU, 2, 5);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> EmpiricalNtk.kernel(NtkModels.LINEAR, PARAMS, a, b, true, Method.AUTO));
        assertEquals("EmpiricalNtk.kernel: x1 and x2 must hold samples of one shape: x1[4, 3] (F64, cpu), x2[2, 5] (F64, cpu)",
                e.getMessage());
        ShapeMismatchException scalar = assertThrows(ShapeMismatchException.class,
                () -> EmpiricalNtk.kernel(NtkModels.LINEAR, PARAMS, Tensor.scalar(DType.F64, CPU, 1), null, true, Method.AUTO));
        assertEquals("EmpiricalNtk.kernel: inputs must be batches [N, ...] (rank >= 1): input[] (F64, cpu)", scalar.getMessage());
    }

    @Test
    void aModelNotReturningOneRowPerSampleIsAShapeMismatch() {
        Tensor x = Tensor.zeros(DType.F64, CPU, 4, 3);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> EmpiricalNtk.kernel((p, in) -> in.matmul(p.get(0)).sum(), PARAMS, x, null, false, Method.AUTO));
        assertEquals("EmpiricalNtk.kernel: the model must map inputs [n, ...] to outputs [n, O]; for input[1, 3] (F64, cpu)"
                + " it returned [] (F64, cpu)", e.getMessage());
    }

    @Test
    void mixedDTypesAreADTypeMismatch() {
        Tensor x = Tensor.zeros(DType.F32, CPU, 4, 3);
        // F32 parameters and a model whose outputs are F64
        List<Tensor> p32 = List.of(Tensor.zeros(DType.F32, CPU, 3, 2), Tensor.zeros(DType.F32, CPU, 2));
        DTypeMismatchException e = assertThrows(DTypeMismatchException.class,
                () -> EmpiricalNtk.kernel((p, in) -> NtkModels.LINEAR.apply(p, in).to(DType.F64), p32, x, null, true, Method.AUTO));
        assertEquals("EmpiricalNtk.kernel: the model's outputs must have the parameters' dtype F32: output[1, 2] (F64, cpu),"
                + " parameter 0[3, 2] (F32, cpu)", e.getMessage());
        DTypeMismatchException ints = assertThrows(DTypeMismatchException.class,
                () -> EmpiricalNtk.kernel(NtkModels.LINEAR, List.of(Tensor.of(new long[] {1}, 1)), x, null, true, Method.AUTO));
        assertEquals("EmpiricalNtk.kernel: parameters must be floating (F32 or F64): input[1] (I64, cpu)", ints.getMessage());
        assertThrows(DTypeMismatchException.class,
                () -> EmpiricalNtk.analyticReluNtk(Tensor.zeros(DType.F64, CPU, 2, 2), Tensor.zeros(DType.F32, CPU, 2, 2), 1, 0));
    }

    @Test
    void emptyBatchesAndBadOptionsAreNamed() {
        Tensor x = Tensor.zeros(DType.F64, CPU, 3, 3);
        Tensor none = Tensor.zeros(DType.F64, CPU, 0, 3);
        for (Method m : new Method[] {Method.JACOBIAN_CONTRACTION, Method.NTK_VECTOR_PRODUCTS}) {
            Tensor k = EmpiricalNtk.kernel(NtkModels.LINEAR, PARAMS, x, none, Outputs.FULL, m, Options.defaults());
            assertEquals(List.of(3L, 0L, 2L, 2L), List.of(k.shape()[0], k.shape()[1], k.shape()[2], k.shape()[3]));
        }
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> EmpiricalNtk.kernel(NtkModels.LINEAR, PARAMS, none, null, true, Method.AUTO));
        assertTrue(e.getMessage().startsWith("EmpiricalNtk.kernel: both input batches are empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Options.defaults().withBatchSize(0));
        assertThrows(IllegalArgumentException.class, () -> Options.defaults().withMemoryBytes(0));
        assertThrows(IllegalArgumentException.class, () -> Options.defaults().withForwardFlops(-1));
        assertThrows(ShapeMismatchException.class,
                () -> EmpiricalNtk.analyticReluNtk(Tensor.zeros(DType.F64, CPU, 2, 2), Tensor.zeros(DType.F64, CPU, 2, 3), 1, 0));
    }

    @Test
    void bothMethodsGiveBackEveryBufferButTheResult() {
        List<Tensor> params = NtkModels.tanhMlpParams(3, 6, 2, 5, DType.F64, CPU);
        Tensor x1 = Tensor.randn(DType.F64, CPU, new dev.nabla.Generator(6), 5, 3);
        Tensor x2 = Tensor.randn(DType.F64, CPU, new dev.nabla.Generator(7), 4, 3);
        for (Method m : new Method[] {Method.JACOBIAN_CONTRACTION, Method.NTK_VECTOR_PRODUCTS}) {
            for (Outputs out : Outputs.values()) {
                EmpiricalNtk.kernel(NtkModels.TANH_MLP, params, x1, x2, out, m, Options.defaults().withMemoryBytes(1000)).close();
                long before = LiveBuffers.settle();
                for (int r = 0; r < 3; r++) {
                    EmpiricalNtk.kernel(NtkModels.TANH_MLP, params, x1, x2, out, m, Options.defaults().withMemoryBytes(1000)).close();
                    EmpiricalNtk.kernel(NtkModels.TANH_MLP, params, x1, null, out, m, Options.defaults().withBatchSize(2)).close();
                }
                assertEquals(before, LiveBuffers.settle(), m + " " + out + ": live buffers");
            }
        }
    }

}
