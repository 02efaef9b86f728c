package dev.nabla.nn;

import dev.nabla.Generator;
import dev.nabla.Tensor;

/**
 * A lookup table: integer indices of any shape select rows of a [num, dim] weight (standard normal,
 * PyTorch's default), giving [..., dim]. Gradients reach only the rows that were looked up.
 *
 * <pre>{@code
 * Embedding emb = new Embedding(1000, 64, new Generator(0));
 * Tensor v = emb.forward(Tensor.of(new long[] {3, 17, 3}));   // [3, 64]
 * }</pre>
 */
public final class Embedding extends Module {
    private final long num, dim;

    public Embedding(long numEmbeddings, long embeddingDim, Generator g) {
        if (numEmbeddings < 0 || embeddingDim < 0) {
            throw new IllegalArgumentException("Embedding: negative size " + numEmbeddings + " x " + embeddingDim);
        }
        this.num = numEmbeddings;
        this.dim = embeddingDim;
        registerParameter("weight", Init.normal(g, 0, 1, num, dim));
    }

    public Tensor weight() { return parameter("weight"); }

    @Override
    public Tensor forward(Tensor indices) {
        if (!indices.dtype().isInteger()) {
            throw Operands.dtype("Embedding", "indices must be I32 or I64", indices, weight());
        }
        long[] shape = indices.shape();
        long[] out = java.util.Arrays.copyOf(shape, shape.length + 1);
        out[shape.length] = dim;
        return weight().indexSelect(0, indices.reshape(-1)).reshape(out);
    }

    @Override
    protected String extraRepr() { return num + ", " + dim; }
}
