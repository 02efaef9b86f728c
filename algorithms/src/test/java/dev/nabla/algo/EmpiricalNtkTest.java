package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.Tensor;
import dev.nabla.algo.EmpiricalNtk.Method;
import dev.nabla.algo.EmpiricalNtk.Options;
import dev.nabla.algo.EmpiricalNtk.Outputs;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Tanh;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The empirical NTK against closed forms and against a finite-difference Jacobian, for both
 * methods, every output mode, the symmetric and the general case, and with memory budgets small
 * enough to force blocking.
 */
class EmpiricalNtkTest {

    private static final Device CPU = Device.cpu();
    private static final Method[] METHODS = {Method.JACOBIAN_CONTRACTION, Method.NTK_VECTOR_PRODUCTS, Method.AUTO};

    @Test
    void linearModelKernelIsDeltaTimesInnerProductPlusOne() {
        Generator g = new Generator(3);
        int d = 4, o = 3;
        Tensor x1 = Tensor.randn(DType.F64, CPU, g, 5, d), x2 = Tensor.randn(DType.F64, CPU, g, 2, d);
        List<Tensor> params = List.of(Tensor.randn(DType.F64, CPU, g, d, o), Tensor.randn(DType.F64, CPU, g, o));
        double[] a = x1.toDoubleArray(), b = x2.toDoubleArray();
        for (Method m : METHODS) {
            double[] full = EmpiricalNtk.kernel(NtkModels.LINEAR, params, x1, x2, false, m).toDoubleArray();
            double[] trace = EmpiricalNtk.kernel(NtkModels.LINEAR, params, x1, x2, true, m).toDoubleArray();
            double[] diag = EmpiricalNtk.outputDiagonal(NtkModels.LINEAR, params, x1, x2, m).toDoubleArray();
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 2; j++) {
                    double k = 1;
                    for (int c = 0; c < d; c++) k += a[i * d + c] * b[j * d + c];
                    for (int p = 0; p < o; p++) {
                        for (int q = 0; q < o; q++) {
                            assertEquals(p == q ? k : 0, full[((i * 2 + j) * o + p) * o + q], 1e-12, m + " full");
                        }
                        assertEquals(k, diag[(i * 2 + j) * o + p], 1e-12, m + " diagonal");
                    }
                    assertEquals(o * k, trace[i * 2 + j], 1e-12, m + " trace");
                }
            }
        }
    }

    @Test
    void bothMethodsMatchFiniteDifferencesAndEachOtherToOneInAHundredMillion() {
        List<Tensor> params = NtkModels.tanhMlpParams(3, 6, 3, 11, DType.F64, CPU);   // 45 parameters
        Generator g = new Generator(12);
        Tensor x1 = Tensor.randn(DType.F64, CPU, g, 4, 3), x2 = Tensor.randn(DType.F64, CPU, g, 3, 3);
        double[] reference = NtkModels.flatten(NtkModels.finiteDifferenceKernel(NtkModels.TANH_MLP, params, x1, x2));
        double[] contraction = EmpiricalNtk.kernel(NtkModels.TANH_MLP, params, x1, x2, false, Method.JACOBIAN_CONTRACTION).toDoubleArray();
        double[] products = EmpiricalNtk.kernel(NtkModels.TANH_MLP, params, x1, x2, false, Method.NTK_VECTOR_PRODUCTS).toDoubleArray();
        assertTrue(NtkModels.relativeError(contraction, reference) < 1e-7, "contraction against finite differences");
        assertTrue(NtkModels.relativeError(products, reference) < 1e-7, "vector products against finite differences");
        assertTrue(NtkModels.relativeError(products, contraction) < 1e-8, "the two methods");
        // the trace and the diagonal are the same numbers, summed or picked
        for (Method m : new Method[] {Method.JACOBIAN_CONTRACTION, Method.NTK_VECTOR_PRODUCTS}) {
            double[] trace = EmpiricalNtk.kernel(NtkModels.TANH_MLP, params, x1, x2, true, m).toDoubleArray();
            double[] diag = EmpiricalNtk.outputDiagonal(NtkModels.TANH_MLP, params, x1, x2, m).toDoubleArray();
            for (int ij = 0; ij < 12; ij++) {
                double sum = 0;
                for (int a = 0; a < 3; a++) {
                    double want = contraction[(ij * 3 + a) * 3 + a];
                    assertEquals(want, diag[ij * 3 + a], 1e-12 * Math.abs(want) + 1e-15, m + " diagonal");
                    sum += want;
                }
                assertEquals(sum, trace[ij], 1e-12 * Math.abs(sum) + 1e-15, m + " trace");
            }
        }
    }

    @Test
    void theSymmetricKernelIsSymmetricAndMatchesTheGeneralOne() {
        List<Tensor> params = NtkModels.tanhMlpParams(3, 5, 2, 21, DType.F64, CPU);
        Tensor x = Tensor.randn(DType.F64, CPU, new Generator(22), 5, 3);
        Tensor copy = x.add(0.0);   // another tensor object: the general path
        for (Outputs out : Outputs.values()) {
            double[] general = EmpiricalNtk.kernel(NtkModels.TANH_MLP, params, x, copy, out, Method.JACOBIAN_CONTRACTION,
                    Options.defaults()).toDoubleArray();
            for (Method m : new Method[] {Method.JACOBIAN_CONTRACTION, Method.NTK_VECTOR_PRODUCTS}) {
                Tensor k = EmpiricalNtk.kernel(NtkModels.TANH_MLP, params, x, null, out, m, Options.defaults());
                assertTrue(NtkModels.relativeError(k.toDoubleArray(), general) < 1e-12, out + " " + m);
                Tensor swapped = out == Outputs.FULL ? k.permute(1, 0, 3, 2) : k.transpose(0, 1);
                assertArrayEquals(k.toDoubleArray(), swapped.contiguous().toDoubleArray(), 0, out + " " + m + " symmetric");
            }
        }
        double[] eig = SymmetricEigen.of(EmpiricalNtk.kernel(NtkModels.TANH_MLP, params, x, null, true, Method.AUTO)).values().toDoubleArray();
        assertTrue(eig[0] > -1e-12 * eig[eig.length - 1], "Θ(X, X) is positive semi-definite: " + eig[0]);
    }

    @Test
    void smallMemoryBudgetsAndBatchesBlockTheWorkWithoutChangingTheKernel() {
        List<Tensor> params = NtkModels.tanhMlpParams(3, 5, 2, 31, DType.F64, CPU);   // P = 32, O = 2: 512 bytes per sample
        Generator g = new Generator(32);
        Tensor x1 = Tensor.randn(DType.F64, CPU, g, 7, 3), x2 = Tensor.randn(DType.F64, CPU, g, 5, 3);
        for (Outputs out : Outputs.values()) {
            for (Tensor second : new Tensor[] {x2, null}) {
                double[] whole = EmpiricalNtk.kernel(NtkModels.TANH_MLP, params, x1, second, out, Method.JACOBIAN_CONTRACTION,
                        Options.defaults()).toDoubleArray();
                for (long bytes : new long[] {512, 3 * 512, 5 * 512, 11 * 512}) {
                    double[] blocked = EmpiricalNtk.kernel(NtkModels.TANH_MLP, params, x1, second, out, Method.JACOBIAN_CONTRACTION,
                            Options.defaults().withMemoryBytes(bytes)).toDoubleArray();
                    assertTrue(NtkModels.relativeError(blocked, whole) < 1e-13, out + " contraction within " + bytes + " bytes");
                }
                for (int batch : new int[] {1, 2, 3}) {
                    double[] blocked = EmpiricalNtk.kernel(NtkModels.TANH_MLP, params, x1, second, out, Method.NTK_VECTOR_PRODUCTS,
                            Options.defaults().withBatchSize(batch)).toDoubleArray();
                    assertTrue(NtkModels.relativeError(blocked, whole) < 1e-12, out + " vector products in batches of " + batch);
                }
            }
        }
    }

    @Test
    void aModuleGivesTheKernelOfItsFunctionalCall() {
        Generator g = new Generator(41);
        try (Sequential mlp = new Sequential(new Linear(3, 4, g), new Tanh(), new Linear(4, 2, g))) {
            mlp.to(DType.F64);
            Tensor x1 = Tensor.randn(DType.F64, CPU, g, 3, 3), x2 = Tensor.randn(DType.F64, CPU, g, 2, 3);
            double[] reference = NtkModels.flatten(NtkModels.finiteDifferenceKernel(mlp::functionalCall, mlp.parameterList(), x1, x2));
            for (Method m : METHODS) {
                double[] k = EmpiricalNtk.kernel(mlp, x1, x2, false, m).toDoubleArray();
                assertTrue(NtkModels.relativeError(k, reference) < 1e-7, m.toString());
                double[] diag = EmpiricalNtk.outputDiagonal(mlp, x1, x2, m).toDoubleArray();
                assertEquals(k[3], diag[1], 1e-12 * Math.abs(k[3]), m + " diagonal (0, 0, 1, 1)");
            }
            // the module's own parameters collect no gradient
            for (Tensor p : mlp.parameterList()) assertEquals(null, p.grad());
        }
    }

    @Test
    void autoFollowsThePublishedCostModel() {
        List<Tensor> params = NtkModels.tanhMlpParams(8, 16, 10, 51, DType.F32, CPU);   // P = 314, O = 10
        Tensor x = Tensor.randn(DType.F32, CPU, new Generator(52), 16, 8);
        Tensor y = Tensor.randn(DType.F32, CPU, new Generator(53), 12, 8);
        NtkCost full = EmpiricalNtk.cost(NtkModels.TANH_MLP, params, x, y, Outputs.FULL, Options.defaults());
        double fp = 2 * 314;
        assertEquals(28 * 10 * fp + 16 * 12 * 100 * 314.0, full.jacobianContraction(), 1e-6);
        assertEquals(16 * 12 * 10 * fp, full.ntkVectorProducts(), 1e-6);
        assertEquals(Method.NTK_VECTOR_PRODUCTS, full.choice(), full.toString());   // N²O²P exceeds N²O·[FP] = 2N²OP once O > 2
        NtkCost trace = EmpiricalNtk.cost(NtkModels.TANH_MLP, params, x, y, Outputs.TRACE, Options.defaults());
        assertEquals(Method.JACOBIAN_CONTRACTION, trace.choice(), trace.toString());
        // a forward pass far dearer than 2P (weights reused, as in a convolution) favours contraction
        NtkCost conv = EmpiricalNtk.cost(NtkModels.TANH_MLP, params, x, y, Outputs.FULL, Options.defaults().withForwardFlops(1e6));
        assertEquals(Method.JACOBIAN_CONTRACTION, conv.choice(), conv.toString());
        // and one sample's Jacobian beyond the memory budget rules contraction out
        NtkCost tight = EmpiricalNtk.cost(NtkModels.TANH_MLP, params, x, y, Outputs.TRACE, Options.defaults().withMemoryBytes(1000));
        assertEquals(Method.NTK_VECTOR_PRODUCTS, tight.choice(), tight.toString());
    }

    @Test
    void float32KernelsAgreeWithFloat64() {
        List<Tensor> p64 = NtkModels.tanhMlpParams(4, 8, 3, 61, DType.F64, CPU);
        List<Tensor> p32 = p64.stream().map(t -> t.to(DType.F32)).toList();
        Tensor x = Tensor.randn(DType.F64, CPU, new Generator(62), 6, 4);
        double[] want = EmpiricalNtk.kernel(NtkModels.TANH_MLP, p64, x, null, false, Method.JACOBIAN_CONTRACTION).toDoubleArray();
        for (Method m : new Method[] {Method.JACOBIAN_CONTRACTION, Method.NTK_VECTOR_PRODUCTS}) {
            Tensor k = EmpiricalNtk.kernel(NtkModels.TANH_MLP, p32, x.to(DType.F32), null, false, m);
            assertEquals(DType.F32, k.dtype());
            assertTrue(NtkModels.relativeError(k.toDoubleArray(), want) < 1e-5, m.toString());
        }
    }
}
