package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.Tensor;
import dev.nabla.algo.EmpiricalNtk.Method;
import dev.nabla.algo.EmpiricalNtk.Options;
import dev.nabla.algo.EmpiricalNtk.Outputs;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The NTK and its tools on opencl:0 (PoCL in CI) give the CPU's numbers and return results on
 * that device. Skipped without OpenCL, except under CI=true. Small: PoCL is slow.
 */
class NtkOpenClTest {

    private static final Device OPENCL = OpenClGate.OPENCL;
    private static DType dtype;
    private static double tol;

    @BeforeAll
    static void requireOpenCl() {
        boolean fp64 = OpenClGate.require();
        dtype = fp64 ? DType.F64 : DType.F32;
        tol = fp64 ? 1e-10 : 1e-4;
    }

    @Test
    void bothMethodsOnOpenClMatchTheCpu() {
        List<Tensor> cpuParams = NtkModels.tanhMlpParams(3, 5, 2, 71, dtype, Device.cpu());
        List<Tensor> clParams = cpuParams.stream().map(t -> t.to(OPENCL)).toList();
        Tensor x1 = Tensor.randn(dtype, Device.cpu(), new Generator(72), 4, 3), x2 = Tensor.randn(dtype, Device.cpu(), new Generator(73), 3, 3);
        for (Outputs out : new Outputs[] {Outputs.FULL, Outputs.TRACE}) {
            double[] want = EmpiricalNtk.kernel(NtkModels.TANH_MLP, cpuParams, x1, x2, out, Method.JACOBIAN_CONTRACTION,
                    Options.defaults()).toDoubleArray();
            for (Method m : new Method[] {Method.JACOBIAN_CONTRACTION, Method.NTK_VECTOR_PRODUCTS}) {
                Tensor k = EmpiricalNtk.kernel(NtkModels.TANH_MLP, clParams, x1.to(OPENCL), x2.to(OPENCL), out, m, Options.defaults());
                assertEquals(OPENCL, k.device());
                assertTrue(NtkModels.relativeError(k.toDoubleArray(), want) < tol, out + " " + m);
            }
        }
    }

    @Test
    void analyticKernelAlignmentAndDynamicsRunOnOpenCl() {
        Tensor x = Tensor.randn(dtype, Device.cpu(), new Generator(74), 5, 3);
        Tensor y = Tensor.randn(dtype, Device.cpu(), new Generator(75), 5);
        Tensor k = EmpiricalNtk.analyticReluNtk(x, x, 1.2, 0.3);
        Tensor kc = EmpiricalNtk.analyticReluNtk(x.to(OPENCL), x.to(OPENCL), 1.2, 0.3);
        assertEquals(OPENCL, kc.device());
        assertTrue(NtkModels.relativeError(kc.toDoubleArray(), k.toDoubleArray()) < tol);
        assertEquals(KernelAlignment.of(k, y), KernelAlignment.of(kc, y.to(OPENCL)), tol);
        Tensor zero = Tensor.zeros(dtype, Device.cpu(), 5);
        try (LinearizedDynamics cpu = LinearizedDynamics.of(k, zero, y, 0.1);
             LinearizedDynamics cl = LinearizedDynamics.of(kc, zero.to(OPENCL), y.to(OPENCL), 0.1)) {
            Tensor f = cl.trainOutputs(3);
            assertEquals(OPENCL, f.device());
            assertTrue(NtkModels.relativeError(f.toDoubleArray(), cpu.trainOutputs(3).toDoubleArray()) < tol);
            assertEquals(OPENCL, SymmetricEigen.of(kc).vectors().device());
        }
    }
}
