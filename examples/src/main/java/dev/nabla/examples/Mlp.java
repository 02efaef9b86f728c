package dev.nabla.examples;

import dev.nabla.DType;
import dev.nabla.Generator;
import dev.nabla.Scope;
import dev.nabla.Tensor;

/**
 * A one-hidden-layer classifier, {@code softmax(tanh(x W1 + b1) W2 + b2)}, trained with softmax
 * cross-entropy and plain SGD. The backward pass is written out by hand with tensor ops (nabla's
 * autodiff will replace it); each step runs inside a {@link Scope}, so only the new parameters
 * outlive it and memory stays flat however long training runs.
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

    /** One full-batch SGD step; returns the cross-entropy loss before the update. */
    double step(Tensor x, Tensor onehot, double lr) {
        Tensor[] next;
        double loss;
        try (Scope scope = Scope.open()) {
            // forward
            Tensor h = x.matmul(w1).add(b1).tanh();                        // [N, hidden]
            Tensor logProbs = h.matmul(w2).add(b2).logSoftmax(1);          // [N, classes]
            loss = onehot.mul(logProbs).sum(1).mean().neg().item();

            // backward: d loss / d logits = (softmax - onehot) / N
            Tensor dLogits = logProbs.exp().sub(onehot).div(x.size(0));
            Tensor gw2 = h.mT().matmul(dLogits);
            Tensor gb2 = dLogits.sum(0);
            Tensor dPre = dLogits.matmul(w2.mT()).mul(h.square().neg().add(1)); // tanh' = 1 - tanh²
            Tensor gw1 = x.mT().matmul(dPre);
            Tensor gb1 = dPre.sum(0);

            // SGD: new parameter tensors, kept past the scope
            next = new Tensor[] {
                scope.keep(w1.sub(gw1.mul(lr))), scope.keep(b1.sub(gb1.mul(lr))),
                scope.keep(w2.sub(gw2.mul(lr))), scope.keep(b2.sub(gb2.mul(lr))),
            };
        }
        close();
        w1 = next[0];
        b1 = next[1];
        w2 = next[2];
        b2 = next[3];
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
