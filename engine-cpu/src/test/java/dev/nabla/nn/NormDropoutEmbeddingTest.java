package dev.nabla.nn;

import static dev.nabla.nn.Ref.assertClose;
import static dev.nabla.nn.Ref.assertShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DTypeMismatchException;
import dev.nabla.Generator;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;
import dev.nabla.autodiff.GradCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

class NormDropoutEmbeddingTest {

    @Test
    void layerNormNormalizesEachSampleOverTheTrailingDims() {
        LayerNorm ln = new LayerNorm(3, 4);
        double[] x = Ref.values(3, 2 * 3 * 4);
        double[] gain = Ref.values(4, 12), bias = Ref.values(5, 12);
        ln.parameters().get("weight").copyFrom(Ref.f32(gain, 3, 4));
        ln.parameters().get("bias").copyFrom(Ref.f32(bias, 3, 4));
        double[] expected = new double[x.length];
        for (int n = 0; n < 2; n++) {
            double mean = 0, var = 0;
            for (int i = 0; i < 12; i++) mean += x[n * 12 + i] / 12;
            for (int i = 0; i < 12; i++) var += Math.pow(x[n * 12 + i] - mean, 2) / 12;   // biased, as PyTorch
            for (int i = 0; i < 12; i++) {
                expected[n * 12 + i] = (x[n * 12 + i] - mean) / Math.sqrt(var + 1e-5) * gain[i] + bias[i];
            }
        }
        assertClose(expected, ln.forward(Ref.f32(x, 2, 3, 4)), 1e-5);
        assertThrows(ShapeMismatchException.class, () -> ln.forward(Tensor.zeros(2, 4, 3)));
    }

    @Test
    void layerNormGradientsMatchFiniteDifferences() {
        LayerNorm ln = new LayerNorm(5);
        Tensor x = Ref.f64(Ref.values(6, 15), 3, 5);
        List<Tensor> in = new java.util.ArrayList<>(ln.parameterList());
        in.add(x);
        GradCheck.gradcheck(ps -> ln.functionalCall(ps.subList(0, 2), ps.get(2)), in);
    }

    @Test
    void dropoutZeroesAboutPAndScalesTheRestInTrainingOnly() {
        Dropout drop = new Dropout(0.3, new Generator(11));
        Tensor x = Tensor.ones(100_000);
        double[] y = drop.forward(x).toDoubleArray();
        int zeros = 0;
        for (double v : y) {
            if (v == 0) zeros++;
            else assertEquals(1 / 0.7, v, 1e-6);
        }
        // binomial(100000, 0.3): standard deviation about 145
        assertEquals(30_000, zeros, 800);
        // the same seed gives the same mask
        assertClose(y, new Dropout(0.3, new Generator(11)).forward(x), 0);
        drop.eval();
        assertSame(x, drop.forward(x));
        assertEquals(0, new Dropout(1, new Generator(1)).forward(x).sum().item());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5, new Generator(1)));
    }

    @Test
    void embeddingLooksUpRowsAndSendsGradientsOnlyToThem() {
        Embedding emb = new Embedding(5, 3, new Generator(2));
        double[] w = emb.weight().toDoubleArray();
        Tensor idx = Tensor.of(new long[] {4, 0, 4, 2}, 2, 2);
        Tensor y = emb.forward(idx);
        assertShape(y, 2, 2, 3);
        long[] rows = {4, 0, 4, 2};
        double[] expected = new double[12];
        for (int i = 0; i < 4; i++) System.arraycopy(w, (int) rows[i] * 3, expected, i * 3, 3);
        assertClose(expected, y, 0);
        y.sum().backward();
        // row 4 used twice, rows 0 and 2 once, rows 1 and 3 never
        assertClose(new double[] {1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 2, 2, 2}, emb.weight().grad(), 0);
        DTypeMismatchException e = assertThrows(DTypeMismatchException.class, () -> emb.forward(Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("Embedding"), e.getMessage());
    }

    @Test
    void activationsMatchTheirDefinitions() {
        double[] x = {-3, -0.5, 0.25, 2};
        Tensor t = Ref.f64(x, 4);
        double[] relu = new double[4], leaky = new double[4], sig = new double[4], tanh = new double[4], soft = new double[4];
        for (int i = 0; i < 4; i++) {
            relu[i] = Math.max(x[i], 0);
            leaky[i] = x[i] > 0 ? x[i] : 0.2 * x[i];
            sig[i] = 1 / (1 + Math.exp(-x[i]));
            tanh[i] = Math.tanh(x[i]);
            soft[i] = Math.log1p(Math.exp(x[i]));
        }
        assertClose(relu, new ReLU().forward(t), 1e-12);
        assertClose(leaky, new LeakyReLU(0.2).forward(t), 1e-12);
        assertClose(sig, new Sigmoid().forward(t), 1e-12);
        assertClose(tanh, new Tanh().forward(t), 1e-12);
        assertClose(soft, new Softplus().forward(t), 1e-12);
        double z = 0;
        for (double v : x) z += Math.exp(v);
        double[] sm = new double[4], lsm = new double[4];
        for (int i = 0; i < 4; i++) {
            sm[i] = Math.exp(x[i]) / z;
            lsm[i] = x[i] - Math.log(z);
        }
        assertClose(sm, new Softmax(0).forward(t), 1e-12);
        assertClose(lsm, new LogSoftmax(0).forward(t), 1e-12);
        assertShape(new Flatten().forward(Tensor.zeros(2, 1, 3, 4)), 2, 12);
        assertShape(new Flatten(0, -1).forward(Tensor.zeros(2, 3)), 6);
        assertSame(t, new Identity().forward(t));
    }
}
