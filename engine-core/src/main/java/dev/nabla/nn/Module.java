package dev.nabla.nn;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.InvalidFileException;
import dev.nabla.NoGrad;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;
import dev.nabla.io.SafeTensors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A layer or a model: named parameters (leaves requiring grad), child modules, and a train/eval
 * mode. Parameter names follow PyTorch's {@code named_parameters()}: a module's own parameters in
 * registration order, then each child's under its name ({@code 0.weight}, {@code 0.bias},
 * {@code 2.weight}, ...), so checkpoints written with {@link #save} load in PyTorch and the other
 * way round.
 *
 * <pre>{@code
 * Generator g = new Generator(0);
 * Module model = new Sequential(new Linear(784, 256, g), new ReLU(), new Linear(256, 10, g));
 * Tensor logits = model.forward(x);                       // x [N, 784]
 * model.save(Path.of("model.safetensors"));
 * }</pre>
 *
 * A module owns its parameters: {@link #close()} frees them.
 */
public abstract class Module implements AutoCloseable {

    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** The layer's computation; records on the tape when its parameters or x require grad. */
    public abstract Tensor forward(Tensor x);

    /** PyTorch's {@code extra_repr}: the constructor arguments shown by {@link #toString()}. */
    protected String extraRepr() { return ""; }

    // ---- registration (for subclasses) ----------------------------------------------------------

    /** Adds a parameter (made a leaf requiring grad) under a name without dots; returns it. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName(name);
        if (!value.dtype().isFloating()) {
            throw Operands.dtype("registerParameter", "parameter '" + name + "' must be floating", value);
        }
        params.put(name, value.requiresGrad(true));
        return value;
    }

    /** Adds a child module under a name without dots; returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module: name must be non-empty and without dots: '" + name + "'");
        }
        if (params.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("module: name '" + name + "' is already registered");
        }
    }

    /** This module's own parameter of that name (what {@link #forward} reads: it follows to() and functionalCall). */
    protected final Tensor parameter(String name) {
        Tensor t = params.get(name);
        if (t == null) throw new IllegalArgumentException("module: no parameter '" + name + "'");
        return t;
    }

    // ---- parameters -------------------------------------------------------------------------

    /** Every parameter under its dotted name, in PyTorch's order. */
    public final Map<String, Tensor> parameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Tensor> out) {
        params.forEach((n, t) -> out.put(prefix + n, t));
        children.forEach((n, m) -> m.collect(prefix + n + ".", out));
    }

    /** The parameters in the order of {@link #parameters()}: what optimizers take. */
    public final List<Tensor> parameterList() {
        return List.copyOf(parameters().values());
    }

    /** The direct children by name, in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** The number of scalar parameters. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor t : parameters().values()) n += t.numel();
        return n;
    }

    /** Drops every parameter's accumulated gradient. */
    public final void zeroGrad() {
        for (Tensor t : parameters().values()) t.zeroGrad();
    }

    // ---- mode and placement -------------------------------------------------------------------

    /** Training mode (dropout active) for this module and its children; returns this. */
    public final Module train() { return train(true); }

    /** Evaluation mode (dropout off) for this module and its children; returns this. */
    public final Module eval() { return train(false); }

    /** Sets the mode of this module and its children; returns this. */
    public final Module train(boolean on) {
        training = on;
        for (Module m : children.values()) m.train(on);
        return this;
    }

    /** True in training mode (the default). */
    public final boolean isTraining() { return training; }

    /**
     * Moves every parameter to the device (new leaves there; the old ones are closed); returns this.
     * Build optimizers after moving, as in PyTorch: they hold the parameter tensors.
     */
    public final Module to(Device device) {
        replaceAll(t -> t.to(device));
        return this;
    }

    /** Converts every parameter to the dtype (for example F64 for finite-difference checks); returns this. */
    public final Module to(DType dtype) {
        if (!dtype.isFloating()) throw new IllegalArgumentException("module: parameters must be floating, not " + dtype);
        replaceAll(t -> t.to(dtype));
        return this;
    }

    private void replaceAll(java.util.function.UnaryOperator<Tensor> f) {
        params.replaceAll((n, t) -> {
            Tensor moved;
            try (NoGrad ng = NoGrad.open()) {
                moved = f.apply(t);
            }
            if (moved == t) return t;
            moved = moved.detach().requiresGrad(true);
            t.close();
            return moved;
        });
        for (Module m : children.values()) m.replaceAll(f);
    }

    // ---- functional use -----------------------------------------------------------------------

    /**
     * {@code forward(x)} with the parameters replaced, in the order of {@link #parameters()}, by the
     * given tensors (as {@code torch.func.functional_call}): the way to differentiate a model with
     * the {@code Autodiff} transforms, e.g. Hessian-vector products over its parameters. The module's
     * own parameters are restored afterwards; not for concurrent use of one module.
     *
     * <pre>{@code
     * List<Tensor> hv = Autodiff.hvp(p -> Losses.crossEntropy(model.functionalCall(p, x), y),
     *                                model.parameterList(), v);
     * }</pre>
     */
    public final Tensor functionalCall(List<Tensor> parameters, Tensor x) {
        List<Module> owners = new ArrayList<>();
        List<String> names = new ArrayList<>();
        slots(owners, names);
        if (parameters.size() != owners.size()) {
            throw new IllegalArgumentException("functionalCall: the model has " + owners.size()
                    + " parameters, got " + parameters.size());
        }
        List<Tensor> saved = new ArrayList<>(owners.size());
        for (int i = 0; i < owners.size(); i++) {
            Tensor own = owners.get(i).params.get(names.get(i));
            Tensor given = parameters.get(i);
            if (!Arrays.equals(own.shape(), given.shape())) {
                throw Operands.shape("functionalCall", "parameter " + i + " has another shape than the model's", own, given);
            }
            saved.add(own);
            owners.get(i).params.put(names.get(i), given);
        }
        try {
            return forward(x);
        } finally {
            for (int i = 0; i < owners.size(); i++) owners.get(i).params.put(names.get(i), saved.get(i));
        }
    }

    private void slots(List<Module> owners, List<String> names) {
        for (String n : params.keySet()) {
            owners.add(this);
            names.add(n);
        }
        for (Module m : children.values()) m.slots(owners, names);
    }

    // ---- checkpoints --------------------------------------------------------------------------

    /** Writes every parameter to a safetensors file under its PyTorch name ({@code 0.weight} as [out, in]). */
    public final void save(Path file) {
        SafeTensors.write(file, parameters());
    }

    /**
     * Loads a safetensors file's tensors into the parameters of the same names (converted to each
     * parameter's dtype and device). The names must match exactly (InvalidFileException naming the
     * missing and unexpected ones) and so must the shapes (ShapeMismatchException).
     */
    public final void load(Path file) {
        Map<String, Tensor> loaded = SafeTensors.read(file);
        try {
            Map<String, Tensor> mine = parameters();
            TreeSet<String> missing = new TreeSet<>(mine.keySet());
            missing.removeAll(loaded.keySet());
            TreeSet<String> unexpected = new TreeSet<>(loaded.keySet());
            unexpected.removeAll(mine.keySet());
            if (!missing.isEmpty() || !unexpected.isEmpty()) {
                throw new InvalidFileException("load: " + file + " does not match the model: missing " + missing
                        + ", unexpected " + unexpected);
            }
            for (Map.Entry<String, Tensor> e : mine.entrySet()) {
                Tensor src = loaded.get(e.getKey());
                if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                    throw new ShapeMismatchException(Operands.message("load", "'" + e.getKey()
                            + "' has another shape in " + file.getFileName() + " than in the model", e.getValue(), src));
                }
            }
            for (Map.Entry<String, Tensor> e : mine.entrySet()) {
                Tensor src = loaded.get(e.getKey());
                Tensor dst = e.getValue();
                if (!src.device().equals(dst.device())) {
                    try (Tensor moved = src.to(dst.device())) {
                        dst.copyFrom(moved);
                    }
                } else {
                    dst.copyFrom(src);
                }
            }
        } finally {
            for (Tensor t : loaded.values()) t.close();
        }
    }

    // ---- memory and display -------------------------------------------------------------------

    /** Frees every parameter of this module and its children. */
    @Override
    public void close() {
        for (Tensor t : params.values()) t.close();
        for (Module m : children.values()) m.close();
    }

    /** A tree as PyTorch prints modules, e.g. {@code Sequential(\n  (0): Linear(in_features=784, ...)\n)}. */
    @Override
    public String toString() {
        String name = getClass().getSimpleName();
        if (children.isEmpty()) return name + "(" + extraRepr() + ")";
        StringBuilder sb = new StringBuilder(name).append("(");
        if (!extraRepr().isEmpty()) sb.append("\n  ").append(extraRepr());
        for (Map.Entry<String, Module> e : children.entrySet()) {
            sb.append("\n  (").append(e.getKey()).append("): ").append(e.getValue().toString().replace("\n", "\n  "));
        }
        return sb.append("\n)").toString();
    }
}
