package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;
import dev.nabla.nn.Losses;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The algorithms are written once on the public API: on opencl:0 (PoCL in CI) they give the CPU's
 * numbers. The random vectors are bit-identical across devices, so the only differences are the
 * kernels' rounding. Skipped without OpenCL, except under CI=true, where CI installs PoCL so that
 * this runs. Small problems: PoCL runs the GPU kernels on the CPU, slowly.
 */
class OpenClMatchesCpuTest {

    private static final Device OPENCL = OpenClGate.OPENCL;
    private static DType dtype;
    private static double tol;

    @BeforeAll
    static void requireOpenCl() {
        boolean fp64 = OpenClGate.require();
        dtype = fp64 ? DType.F64 : DType.F32;
        tol = fp64 ? 1e-9 : 2e-3;
    }

    /** Logistic regression on one device, from the same host data. */
    private record Problem(Tensor x, Tensor y, List<Tensor> params) {
        static Problem on(Device device) {
            Problems.Logistic data = Problems.logistic(32, 4, 77, Device.cpu());
            Tensor x = data.xs().to(dtype).to(device), y = data.ys().to(dtype).to(device);
            List<Tensor> p = List.of(Tensor.of(dtype, device, new double[] {0.3, -0.2, 0.5, 0.1}, 4), Tensor.scalar(dtype, device, -0.1));
            return new Problem(x, y, p);
        }

        Tensor logits(List<Tensor> p) { return x.matmul(p.get(0)).add(p.get(1)); }

        Tensor loss(List<Tensor> p) { return Losses.binaryCrossEntropyWithLogits(logits(p), y); }
    }

    private static void assertClose(double[] cpu, double[] cl, String what) {
        assertEquals(cpu.length, cl.length, what + ": length");
        for (int i = 0; i < cpu.length; i++) assertEquals(cpu[i], cl[i], tol * (1 + Math.abs(cpu[i])), what + " [" + i + "]");
    }

    @Test
    void spectrumIsTheSameOnBothDevices() {
        Problem cpu = Problem.on(Device.cpu()), cl = Problem.on(OPENCL);
        HessianSpectrum a = new HessianSpectrum(cpu::loss, cpu.params(), 4), b = new HessianSpectrum(cl::loss, cl.params(), 4);

        HessianSpectrum.Eigen ea = a.topEigenvalues(2, 1e-10, 60), eb = b.topEigenvalues(2, 1e-10, 60);
        assertClose(ea.values(), eb.values(), "top eigenvalues");
        assertEquals(OPENCL, eb.vectors().getFirst().getFirst().device(), "eigenvectors stay on the parameters' device");
        assertClose(ea.vectors().getFirst().getFirst().toDoubleArray(), eb.vectors().getFirst().getFirst().toDoubleArray(), "top eigenvector");

        HessianSpectrum.Ritz ra = a.lanczos(5), rb = b.lanczos(5);
        assertClose(ra.values(), rb.values(), "Ritz values");
        assertClose(ra.weights(), rb.weights(), "Ritz weights");

        HessianSpectrum.Trace ta = a.trace(0, 12), tb = b.trace(0, 12);
        assertEquals(ta.estimate(), tb.estimate(), tol * Math.abs(ta.estimate()), "trace");
        assertEquals(ta.stdError(), tb.stdError(), tol * Math.abs(ta.estimate()), "trace's standard error");

        HessianSpectrum.Density da = a.density(5, 2, 0.01, 200), db = b.density(5, 2, 0.01, 200);
        assertClose(da.grid(), db.grid(), "density grid");
        assertEquals(1, db.mass(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY), 1e-9);
    }

    @Test
    void gaussNewtonAndNewtonCgAreTheSameOnBothDevices() {
        Problem cpu = Problem.on(Device.cpu()), cl = Problem.on(OPENCL);
        List<Tensor> va = List.of(Tensor.of(dtype, Device.cpu(), new double[] {1, -1, 0.5, 2}, 4), Tensor.scalar(dtype, Device.cpu(), 1));
        List<Tensor> vb = List.of(va.get(0).to(OPENCL), va.get(1).to(OPENCL));
        List<Tensor> ga = GaussNewton.product(cpu::logits, z -> Losses.binaryCrossEntropyWithLogits(z, cpu.y()), cpu.params(), va);
        List<Tensor> gb = GaussNewton.product(cl::logits, z -> Losses.binaryCrossEntropyWithLogits(z, cl.y()), cl.params(), vb);
        assertEquals(OPENCL, gb.getFirst().device());
        assertClose(ga.get(0).toDoubleArray(), gb.get(0).toDoubleArray(), "Gauss-Newton product");

        NewtonCG.Options o = NewtonCG.Options.defaults().withGradientTolerance(dtype == DType.F64 ? 1e-9 : 1e-4);
        NewtonCG.Result ra = NewtonCG.hessian(cpu::loss).withOptions(o).minimize(cpu.params());
        NewtonCG.Result rb = NewtonCG.hessian(cl::loss).withOptions(o).minimize(cl.params());
        assertTrue(ra.converged() && rb.converged());
        assertEquals(ra.iterations(), rb.iterations(), "the same Newton steps");
        assertEquals(OPENCL, rb.params().getFirst().device());
        assertClose(ra.params().get(0).toDoubleArray(), rb.params().get(0).toDoubleArray(), "NewtonCG solution");
    }
}
