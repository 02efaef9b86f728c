package dev.nabla.algo;

import dev.nabla.algo.EmpiricalNtk.Method;
import dev.nabla.algo.EmpiricalNtk.Outputs;

/**
 * The cost model behind {@link EmpiricalNtk.Method#AUTO}, from Novak, Sohl-Dickstein and
 * Schoenholz, "Fast Finite Width Neural Tangent Kernel" (ICML 2022, Table 1), in floating-point
 * operations: Jacobian contraction (N₁ + N₂)·O·[FP] + N₁N₂O²P (N₁N₂OP when only the trace or the
 * output diagonal is wanted: the product then pairs each output with itself alone), NTK-vector
 * products N₁N₂O·[FP]. [FP] is the cost of one sample's forward pass; unless given it is
 * estimated as 2P, a multiply and an add per parameter, exact for dense layers and low for
 * layers that reuse their weights (convolutions), where it should be given.
 *
 * <pre>{@code
 * NtkCost c = EmpiricalNtk.cost(model, params, x1, x2, Outputs.FULL, Options.defaults());
 * System.out.println(c.choice() + ": " + c);   // NTK_VECTOR_PRODUCTS for a dense net with O > 1
 * }</pre>
 *
 * @param n1 samples in x1
 * @param n2 samples in x2
 * @param outputs O, the model's outputs per sample
 * @param parameters P
 * @param forwardFlops [FP], as given or estimated
 * @param forwardEstimated true when [FP] is the 2P estimate
 * @param jacobianContraction the contraction method's flops
 * @param ntkVectorProducts the NTK-vector product method's flops
 * @param jacobianBytesPerSample what contraction holds per sample (O·P elements)
 * @param choice what AUTO runs: the cheaper, unless one sample's Jacobian exceeds the memory budget
 */
public record NtkCost(long n1, long n2, long outputs, long parameters, double forwardFlops, boolean forwardEstimated,
                      double jacobianContraction, double ntkVectorProducts, long jacobianBytesPerSample, Method choice) {

    static NtkCost of(NtkProblem p, Outputs kind, EmpiricalNtk.Options options) {
        double n1 = p.n1(), n2 = p.n2(), o = p.outputs(), params = p.dimension();
        boolean estimated = Double.isNaN(options.forwardFlops());
        double fp = estimated ? 2 * params : options.forwardFlops();
        double pairs = kind == Outputs.FULL ? o * o : o;
        double contraction = (p.symmetric() ? n1 : n1 + n2) * o * fp + n1 * n2 * pairs * params;
        double products = n1 * n2 * o * fp;
        long rowBytes = p.outputs() * p.dimension() * p.dtype().byteSize();
        Method choice = rowBytes > options.memoryBytes() || products < contraction
                ? Method.NTK_VECTOR_PRODUCTS : Method.JACOBIAN_CONTRACTION;
        return new NtkCost(p.n1(), p.n2(), p.outputs(), p.dimension(), fp, estimated, contraction, products, rowBytes, choice);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "N1=%d N2=%d O=%d P=%d [FP]=%.3g%s: contraction %.3g flops, NTK-vector products %.3g"
                        + " flops -> %s", n1, n2, outputs, parameters, forwardFlops, forwardEstimated ? " (2P)" : "",
                jacobianContraction, ntkVectorProducts, choice);
    }
}
