package dev.nabla.examples;

import dev.nabla.DType;
import dev.nabla.Generator;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autodiff.Autodiff;

import java.util.ArrayList;
import java.util.List;

/**
 * A one-hidden-layer classifier, {@code softmax(tanh(x W1 + b1) W2 + b2)}, trained with softmax
 * cross-entropy and plain SGD. Gradients come from {@link Autodiff#valueAndGrad}; each step runs
 * inside a {@link Scope}, so only the new parameters outlive it and memory stays flat however long
 * training runs.
 */
final class Mlp implements AutoCloseable {

    private Tensor w1; // [in, hidden]
    private Tensor b1; // [hidden]
    private Tensor w2; // [hidden, classes]
    private Tensor b2; // [classes]

    Mlp(Generator g, int inputs, int hidden, int classes, double inputScale) {
        try (Scope scope = Scope.open()) {
            w1 = scope.keep(Tensor.randn(g, inputs, hidden).mul(inputScale));
            b1 = scope.keep(Tensor.zeros(hidden));
            w2 = scope.keep(Tensor.randn(g, hidden, classes).mul(1 / Math.sqrt(hidden)));
            b2 = scope.keep(Tensor.zeros(classes));
        }
    }

    List<Tensor> parameters() {
        return List.of(w1, b1, w2, b2);
    }

    /** Mean cross-entropy of the model with parameters p = [W1, b1, W2, b2] on (x, one-hot labels). */
    static Tensor loss(List<Tensor> p, Tensor x, Tensor onehot) {
        Tensor h = x.matmul(p.get(0)).add(p.get(1)).tanh();                 // [N, hidden]
        Tensor logProbs = h.matmul(p.get(2)).add(p.get(3)).logSoftmax(1);  // [N, classes]
        return onehot.mul(logProbs).sum(1).mean().neg();
    }

    /** One full-batch SGD step; returns the cross-entropy loss before the update. */
    double step(Tensor x, Tensor onehot, double lr) {
        List<Tensor> next = new ArrayList<>();
        double loss;
        try (Scope scope = Scope.open()) {
            Autodiff.ValueAndGrads vg = Autodiff.valueAndGrad(p -> loss(p, x, onehot), parameters());
            loss = vg.value().item();
            List<Tensor> params = parameters();
            for (int i = 0; i < params.size(); i++) {
                next.add(scope.keep(params.get(i).sub(vg.grads().get(i).mul(lr))));
            }
        }
        close();
        w1 = next.get(0);
        b1 = next.get(1);
        w2 = next.get(2);
        b2 = next.get(3);
        return loss;
    }

    /** Fraction of points whose most likely class is their label. */
    double accuracy(Tensor x, Tensor labels) {
        try (Scope _ = Scope.open()) {
            Tensor logits = x.matmul(w1).add(b1).tanh().matmul(w2).add(b2);
            return logits.argmax(1).eq(labels).to(DType.F32).mean().item();
        }
    }

    @Override
    public void close() {
        w1.close();
        b1.close();
        w2.close();
        b2.close();
    }
}
