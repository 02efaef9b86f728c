package dev.nabla.nn;

import static dev.nabla.nn.Ref.assertClose;
import static dev.nabla.nn.Ref.assertShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Generator;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;
import dev.nabla.autodiff.GradCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearAndSequentialTest {

    @Test
    void linearComputesXWTransposedPlusBiasWithWeightStoredOutByIn() {
        Linear fc = new Linear(3, 2, new Generator(1));
        assertShape(fc.weight(), 2, 3);
        assertShape(fc.bias(), 2);
        double[] w = {1, 2, 3, -1, 0.5, 0.25}, b = {0.5, -2};
        fc.weight().copyFrom(Ref.f32(w, 2, 3));
        fc.bias().copyFrom(Ref.f32(b, 2));
        double[] x = Ref.values(7, 4 * 3);
        double[] expected = new double[4 * 2];
        for (int n = 0; n < 4; n++)
            for (int o = 0; o < 2; o++) {
                double s = b[o];
                for (int i = 0; i < 3; i++) s += x[n * 3 + i] * w[o * 3 + i];
                expected[n * 2 + o] = s;
            }
        Tensor y = fc.forward(Ref.f32(x, 4, 3));
        assertShape(y, 4, 2);
        assertClose(expected, y, 1e-6);
        // leading dims broadcast as in PyTorch: [2, 2, 3] -> [2, 2, 2]
        assertClose(expected, fc.forward(Ref.f32(x, 2, 2, 3)), 1e-6);
    }

    @Test
    void linearDefaultInitIsUniformWithinOneOverSqrtFanIn() {
        Linear fc = new Linear(400, 300, new Generator(3));
        double bound = 1 / Math.sqrt(400);
        double[] w = fc.weight().toDoubleArray();
        double sum = 0, sq = 0, max = 0;
        for (double v : w) {
            sum += v;
            sq += v * v;
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= bound, "max |w| " + max + " above " + bound);
        assertTrue(max > 0.99 * bound, "uniform draws should reach near the bound");
        double n = w.length;
        assertEquals(0, sum / n, 5 * bound / Math.sqrt(3 * n));
        assertEquals(bound * bound / 3, sq / n, 0.02 * bound * bound);   // variance of U(-b, b)
        for (double v : fc.bias().toDoubleArray()) assertTrue(Math.abs(v) <= bound);
        // one seed, one model
        assertClose(w, new Linear(400, 300, new Generator(3)).weight(), 0);
    }

    @Test
    void linearGradientsMatchFiniteDifferences() {
        Linear fc = new Linear(3, 2, new Generator(5));
        Tensor x = Ref.f64(Ref.values(2, 12), 4, 3);
        List<Tensor> inputs = new java.util.ArrayList<>(fc.parameterList());
        inputs.add(x);
        GradCheck.gradcheck(ps -> fc.functionalCall(ps.subList(0, 2), ps.get(2)).tanh(), inputs);
        GradCheck.gradgradcheck(ps -> fc.functionalCall(ps.subList(0, 2), ps.get(2)).tanh().sum(), inputs);
    }

    @Test
    void linearRejectsAWrongLastDimNamingBothOperands() {
        Linear fc = new Linear(3, 2, new Generator(5));
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> fc.forward(Tensor.zeros(4, 5)));
        assertTrue(e.getMessage().contains("Linear") && e.getMessage().contains("[4, 5] (F32, cpu)")
                && e.getMessage().contains("[2, 3] (F32, cpu)"), e.getMessage());
    }

    @Test
    void sequentialNamesParametersAsPyTorch() {
        Generator g = new Generator(0);
        Sequential model = new Sequential(new Linear(784, 256, g), new ReLU(), new Linear(256, 256, g), new ReLU(),
                new Linear(256, 10, g));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"),
                List.copyOf(model.parameters().keySet()));
        assertEquals(784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10, model.parameterCount());
        assertShape(model.parameters().get("4.weight"), 10, 256);
        assertSame(model.get(0).parameters().get("weight"), model.parameters().get("0.weight"));
        assertTrue(model.toString().startsWith("Sequential(\n  (0): Linear(in_features=784, out_features=256, bias=true)"),
                model.toString());
        for (Tensor p : model.parameterList()) assertTrue(p.requiresGrad());
        model.close();
    }

    @Test
    void modeAndDtypePropagateToChildren() {
        Generator g = new Generator(0);
        Sequential model = new Sequential(new Linear(2, 2, g), new Dropout(0.5, g));
        model.eval();
        assertFalse(model.get(1).isTraining());
        model.train();
        assertTrue(model.get(1).isTraining());
        model.to(DType.F64);
        for (Tensor p : model.parameterList()) {
            assertEquals(DType.F64, p.dtype());
            assertTrue(p.requiresGrad());
        }
    }

    @Test
    void functionalCallUsesGivenTensorsAndRestoresTheModel() {
        Linear fc = new Linear(2, 1, false, new Generator(0));
        Tensor before = fc.weight();
        Tensor w = Tensor.of(new float[] {2, 3}, 1, 2);
        Tensor y = fc.functionalCall(List.of(w), Tensor.of(new float[] {1, 1}, 1, 2));
        assertEquals(5, y.item(), 1e-6);
        assertSame(before, fc.weight());
        assertNull(fc.bias());
        assertThrows(IllegalArgumentException.class, () -> fc.functionalCall(List.of(), Tensor.zeros(1, 2)));
    }

    @Test
    void backwardThroughSequentialFillsEveryParameterGrad() {
        Generator g = new Generator(4);
        Sequential model = new Sequential(new Linear(3, 4, g), new Tanh(), new Linear(4, 2, g));
        model.forward(Tensor.randn(g, 5, 3)).square().sum().backward();
        for (Tensor p : model.parameterList()) {
            assertShape(p.grad(), p.shape());
        }
        model.zeroGrad();
        for (Tensor p : model.parameterList()) assertNull(p.grad());
    }
}
