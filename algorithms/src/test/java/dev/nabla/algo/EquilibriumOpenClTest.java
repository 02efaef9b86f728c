package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.Tensor;
import dev.nabla.algo.EquilibriumPropagation.Estimate;
import dev.nabla.algo.EquilibriumPropagation.Options;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Equilibrium propagation and the homeostatic loss are written once on the public API: on
 * opencl:0 (PoCL in CI) they give the CPU's numbers, from the same seeds (the initial weights, the
 * inputs and the homeostatic probes are bit-identical across devices). Skipped without OpenCL,
 * except under CI=true.
 */
class EquilibriumOpenClTest {

    private static final Device OPENCL = OpenClGate.OPENCL;
    private static DType dtype;
    private static double tol;

    @BeforeAll
    static void requireOpenCl() {
        boolean fp64 = OpenClGate.require();
        dtype = fp64 ? DType.F64 : DType.F32;
        tol = fp64 ? 1e-9 : 2e-3;
    }

    private static EquilibriumPropagation on(Device device, int n) {
        EquilibriumNetwork net = EquilibriumNetwork.builder(6, 5, 4, 3).seed(3).dtype(dtype).device(device).build();
        return new EquilibriumPropagation(net, Options.defaults().withNudges(n).withBeta(0.4).withSteps(60, 10)
                .withHomeostasis(1.0, 2, true).withSeed(5));
    }

    @Test
    void everyEstimatorGivesTheCpuNumbers() {
        Tensor xc = Tensor.rand(dtype, Device.cpu(), new Generator(7), 4, 6);
        Tensor yc = Tensor.of(new long[] {2, 0, 1, 2}, 4);
        Tensor xo = xc.to(OPENCL), yo = yc.to(OPENCL);
        for (int n : new int[] {0, 1, 4}) {
            Estimate a = on(Device.cpu(), n).estimate(xc, yc), b = on(OPENCL, n).estimate(xo, yo);
            assertEquals(OPENCL, b.gradients().getFirst().device(), "gradients stay on the network's device");
            assertClose(a.gradients(), b.gradients(), "N = " + n);
            assertEquals(a.homeostasisLoss(), b.homeostasisLoss(), tol * (1 + Math.abs(a.homeostasisLoss())), "homeostatic loss");
            assertEquals(a.freeSteps(), b.freeSteps(), "free phase steps");
        }
        Estimate a = on(Device.cpu(), 0).recurrentBackprop(xc, yc), b = on(OPENCL, 0).recurrentBackprop(xo, yo);
        assertClose(a.gradients(), b.gradients(), "recurrent backprop");
    }

    private static void assertClose(List<Tensor> a, List<Tensor> b, String what) {
        for (int i = 0; i < a.size(); i++) {
            double[] x = a.get(i).toDoubleArray(), y = b.get(i).toDoubleArray();
            for (int j = 0; j < x.length; j++) assertEquals(x[j], y[j], tol * (1 + Math.abs(x[j])), what + ", parameter " + i + " [" + j + "]");
        }
    }
}
