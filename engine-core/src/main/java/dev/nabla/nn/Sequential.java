package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * Modules applied in order, named "0", "1", ... so that parameters are {@code 0.weight},
 * {@code 0.bias}, {@code 2.weight}, ... exactly as in a PyTorch {@code nn.Sequential}.
 *
 * <pre>{@code
 * Module mlp = new Sequential(new Linear(784, 256, g), new ReLU(), new Linear(256, 10, g));
 * }</pre>
 */
public final class Sequential extends Module {
    private int count;

    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Appends a module under the next index; returns this. */
    public Sequential add(Module m) {
        registerModule(Integer.toString(count++), m);
        return this;
    }

    /** The i-th module. */
    public Module get(int i) {
        Module m = children().get(Integer.toString(i));
        if (m == null) throw new IndexOutOfBoundsException("Sequential: no module " + i + " of " + count);
        return m;
    }

    public int size() { return count; }

    /**
     * Each module's output feeds the next. Intermediate results are ordinary tensors: run inside a
     * {@code Scope} so that they are freed with the step.
     */
    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (Module m : children().values()) h = m.forward(h);
        return h;
    }
}
