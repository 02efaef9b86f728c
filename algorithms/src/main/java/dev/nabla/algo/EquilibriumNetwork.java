package dev.nabla.algo;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.nn.Losses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A layered recurrent network for {@link EquilibriumPropagation}: an input x clamped, state layers
 * u₁ … u_L, forward weights W_{l−1→l} with biases, and feedback weights B_{l+1→l} of their own (not
 * tied to the forward transpose). One step of its dynamics is u ← u + F(u) with
 *
 * <pre>
 *   F(u)_l = W_{l−1→l} σ(u_{l−1}) + b_l + B_{l+1→l} σ(u_{l+1}) − u_l      (σ(u₀) = x, no B above the top)
 * </pre>
 *
 * so a step replaces every layer by its pre-activation at once (all layers in parallel), and a
 * nudge β·∂ℓ/∂σ(u_L) is added at the output layer. The cost ℓ is read from the output rates σ(u_L):
 * through a linear softmax readout for {@link Cost#CROSS_ENTROPY} (trained by its own local
 * gradient, as in Laborieux and Zenke's code), directly for the others.
 *
 * <p>States travel flattened, one [B, D] tensor with D = n₁ + … + n_L (layer l at columns
 * offset(l) …), so one activation covers every layer and a Jacobian over the whole state is one
 * JVP.
 *
 * <pre>{@code
 * EquilibriumNetwork net = EquilibriumNetwork.builder(784, 256, 256, 10).feedbackAngle(90).seed(1).build();
 * List<Tensor> params = net.parameters();   // forward.0.weight [256, 784], ..., feedback.0.weight [256, 256], ...
 * }</pre>
 */
public final class EquilibriumNetwork implements AutoCloseable {

    /** The neurons' transfer function σ. */
    public enum Activation {
        /** The logistic function 1 / (1 + e^(−z)). */
        SIGMOID,
        /**
         * 1 / (1 + e^(−4z + 2)), the "sigmoid" of Laborieux and Zenke's code: the logistic function
         * stretched to slope 1 at its midpoint z = ½, so rates in (0, 1) feed back at unit gain.
         */
        STEEP_SIGMOID,
        /** σ(z) = z: linear dynamics (for tests and analysis). */
        IDENTITY;

        Complex apply(Complex z) {
            return switch (this) {
                case SIGMOID -> z.sigmoid();
                case STEEP_SIGMOID -> new Complex(z.re().mul(4.0).sub(2.0), z.im() == null ? null : z.im().mul(4.0)).sigmoid();
                case IDENTITY -> z;
            };
        }

        Tensor apply(Tensor z) {
            return switch (this) {
                case SIGMOID -> z.sigmoid();
                case STEEP_SIGMOID -> z.mul(4.0).sub(2.0).sigmoid();
                case IDENTITY -> z;
            };
        }
    }

    /** The cost ℓ(σ(u_L), target) the output is nudged along. */
    public enum Cost {
        /** Softmax cross-entropy of a linear readout of the output rates; targets are class indices (I64 [B]). */
        CROSS_ENTROPY,
        /** ½‖σ(u_L) − onehot(target)‖²; targets are class indices (I64 [B]). */
        SQUARED_ERROR,
        /** ⟨σ(u_L), target⟩ with a real target [B, n_L]: a constant nudge, so linear dynamics stay linear in β. */
        LINEAR
    }

    private final long[] sizes;
    private final long[] offsets;
    private final Activation activation;
    private final Cost cost;
    private final Map<String, Tensor> named;
    private final List<Tensor> params;
    private final int layers;
    private final double stepSize;

    private EquilibriumNetwork(Builder b) {
        this.sizes = b.sizes.clone();
        this.layers = sizes.length - 1;
        this.activation = b.activation;
        this.cost = b.cost;
        this.stepSize = b.stepSize;
        this.offsets = new long[layers + 1];
        for (int l = 1; l <= layers; l++) offsets[l] = offsets[l - 1] + sizes[l];
        Generator g = new Generator(b.seed);
        Map<String, Tensor> p = new LinkedHashMap<>();
        try (NoGrad ng = NoGrad.open()) {
            for (int l = 0; l < layers; l++) {
                p.put("forward." + l + ".weight", uniform(g, b, sizes[l], sizes[l + 1], sizes[l]));
                p.put("forward." + l + ".bias", uniform(g, b, sizes[l], sizes[l + 1]));
            }
            double angle = Math.toRadians(b.angle);
            for (int l = 1; l < layers; l++) {
                // B = cos(α) Wᵀ + sin(α) R, with R drawn as Wᵀ is: at 90° independent, at 0° symmetric
                Tensor w = p.get("forward." + l + ".weight");
                try (Scope s = Scope.open()) {
                    Tensor r = uniform(g, b, sizes[l], sizes[l], sizes[l + 1]);
                    Tensor fb = w.mT().mul(Math.cos(angle)).add(r.mul(Math.sin(angle))).contiguous();
                    p.put("feedback." + (l - 1) + ".weight", s.keep(fb));
                }
            }
            if (cost == Cost.CROSS_ENTROPY) {
                p.put("readout.weight", uniform(g, b, sizes[layers], sizes[layers], sizes[layers]));
                p.put("readout.bias", uniform(g, b, sizes[layers], sizes[layers]));
            }
        }
        p.values().forEach(t -> t.requiresGrad(true));
        this.named = Collections.unmodifiableMap(p);
        this.params = List.copyOf(p.values());
    }

    /** Uniform on ±gain/√fanIn (PyTorch's Linear default at gain 1), drawn in the builder's dtype on its device. */
    private static Tensor uniform(Generator g, Builder b, long fanIn, long... shape) {
        double bound = b.gain / Math.sqrt(fanIn);
        try (Scope s = Scope.open()) {
            return s.keep(Tensor.rand(b.dtype, b.device, g, shape).mul(2 * bound).sub(bound));
        }
    }

    /** A network with the given layer sizes: input, then each state layer up to the output. */
    public static Builder builder(long... sizes) {
        return new Builder(sizes);
    }

    /** Options of a network; every one has a default. */
    public static final class Builder {
        private final long[] sizes;
        private Activation activation = Activation.STEEP_SIGMOID;
        private Cost cost = Cost.CROSS_ENTROPY;
        private double angle = 90;
        private double gain = 1;
        private double stepSize = 1;
        private long seed;
        private DType dtype = DType.F32;
        private Device device = Device.defaultDevice();

        private Builder(long[] sizes) {
            Operands.require(sizes.length >= 2, "EquilibriumNetwork", "needs an input and at least one state layer, got sizes "
                    + Arrays.toString(sizes));
            for (long n : sizes) Operands.require(n > 0, "EquilibriumNetwork", "layer sizes must be positive, got " + Arrays.toString(sizes));
            this.sizes = sizes.clone();
        }

        public Builder activation(Activation a) { this.activation = a; return this; }

        public Builder cost(Cost c) { this.cost = c; return this; }

        /**
         * Initializes each feedback matrix as the forward transpose rotated by this angle in degrees
         * towards an independent draw: 0 symmetric, 90 (the default) independent.
         */
        public Builder feedbackAngle(double degrees) { this.angle = degrees; return this; }

        /** Scales every initial weight and bias (default 1: uniform on ±1/√fan_in); below 1, more contractive dynamics. */
        public Builder gain(double g) {
            Operands.require(g > 0 && Double.isFinite(g), "EquilibriumNetwork", "gain must be positive, got " + g);
            this.gain = g;
            return this;
        }

        public Builder seed(long s) { this.seed = s; return this; }

        /**
         * The Euler step dt of the dynamics u ← u + dt·F(u); default 1, the iteration u ← u + F(u).
         * The fixed points, and so every estimate at them, do not depend on dt; below 1 the
         * iteration damps the period-2 oscillations that synchronous updates of near-symmetric
         * networks fall into once their weights grow.
         */
        public Builder stepSize(double dt) {
            Operands.require(dt > 0 && dt <= 1, "EquilibriumNetwork", "stepSize must be in (0, 1], got " + dt);
            this.stepSize = dt;
            return this;
        }

        public Builder dtype(DType t) {
            Operands.require(t.isFloating(), "EquilibriumNetwork", "dtype must be floating, got " + t);
            this.dtype = t;
            return this;
        }

        public Builder device(Device d) { this.device = d; return this; }

        public EquilibriumNetwork build() { return new EquilibriumNetwork(this); }
    }

    // ---- description --------------------------------------------------------------------------

    /** The parameters in a stable order (forward weights and biases, feedback weights, readout), as leaves requiring grad. */
    public List<Tensor> parameters() { return params; }

    /** The parameters by name: {@code forward.l.weight} [n_{l+1}, n_l], {@code forward.l.bias}, {@code feedback.l.weight} [n_{l+1}, n_{l+2}], {@code readout.*}. */
    public Map<String, Tensor> namedParameters() { return named; }

    /** How many of {@link #parameters()} are recurrent (forward and feedback); the readout follows them. */
    public int recurrentParameterCount() { return 3 * layers - 1; }

    public long[] sizes() { return sizes.clone(); }

    /** D, the number of state neurons (every layer but the input). */
    public long stateSize() { return offsets[layers]; }

    public long outputSize() { return sizes[layers]; }

    public Activation activation() { return activation; }

    public Cost cost() { return cost; }

    public DType dtype() { return params.getFirst().dtype(); }

    public Device device() { return params.getFirst().device(); }

    /**
     * The angle in degrees between the feedback weights and the forward transposes (all layers as
     * one vector): 0 when B = Wᵀ; about 90 for independent draws. NaN for a single layer.
     */
    public double feedbackAngle() {
        if (layers < 2) return Double.NaN;
        try (Scope s = Scope.open(); NoGrad ng = NoGrad.open()) {
            double dot = 0, bb = 0, ww = 0;
            for (int l = 1; l < layers; l++) {
                Tensor b = named.get("feedback." + (l - 1) + ".weight"), wt = named.get("forward." + l + ".weight").mT();
                dot += b.mul(wt).sum().item();
                bb += b.square().sum().item();
                ww += wt.square().sum().item();
            }
            return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, dot / Math.sqrt(bb * ww)))));
        }
    }

    // ---- dynamics (over any parameter list shaped like parameters(): detached, or traced by autodiff) ----

    /** The input's constant contribution to the first layer, x W₀ᵀ + b₀ [B, n₁]. */
    Tensor drive(List<Tensor> p, Tensor x) {
        return x.matmul(p.get(0).mT()).add(p.get(1));
    }

    /** Layer l's columns (1-based l) of a flat state. */
    Tensor layer(Tensor flat, int l) {
        return flat.narrow(1, offsets[l - 1], sizes[l]);
    }

    Complex layer(Complex flat, int l) {
        return new Complex(layer(flat.re(), l), flat.im() == null ? null : layer(flat.im(), l));
    }

    /** The output rates' columns of a flat state. */
    Tensor output(Tensor flat) {
        return layer(flat, layers);
    }

    /**
     * The pre-activation field of the rates r [B, D]: for each layer, W σ(u_{l−1}) + b + B σ(u_{l+1})
     * with the rates given, flattened. F(u) is this at r = σ(u), minus u.
     */
    Complex field(List<Tensor> p, Tensor drive, Complex r) {
        List<Complex> parts = new ArrayList<>(layers);
        for (int l = 1; l <= layers; l++) {
            Complex pre = l == 1 ? Complex.real(drive)
                    : layer(r, l - 1).matmul(p.get(2 * (l - 1)).mT()).add(p.get(2 * (l - 1) + 1));
            if (l < layers) {
                Complex top = layer(r, l + 1).matmul(p.get(2 * layers + l - 1).mT());
                pre = pre.add(top);
            }
            parts.add(pre);
        }
        return cat(parts);
    }

    /** The real field, for autodiff: the same as {@link #field(List, Tensor, Complex)} on real rates. */
    Tensor field(List<Tensor> p, Tensor drive, Tensor r) {
        return field(p, drive, Complex.real(r)).re();
    }

    /**
     * The vector field over the rates whose Jacobian the homeostatic loss measures: r ↦ field(r) − r,
     * the pre-activation field with the rates as its own variables (Laborieux and Zenke's choice:
     * for this network its Jacobian is the weight matrix minus the identity).
     */
    Function<Tensor, Tensor> rateField(List<Tensor> p, Tensor drive) {
        return r -> field(p, drive, r).sub(r);
    }

    /** One step u ← u + F(u) + β·∂ℓ/∂σ(u_L) at the output. */
    Complex step(List<Tensor> p, Tensor drive, Complex u, Complex beta, Target target) {
        Complex r = activation.apply(u);
        Complex next = field(p, drive, r);
        if (beta != null) {
            Complex nudge = beta.mul(force(p, layer(r, layers), target));
            List<Complex> parts = new ArrayList<>(2);
            if (layers > 1) parts.add(new Complex(next.re().narrow(1, 0, offsets[layers - 1]),
                    next.im() == null ? null : next.im().narrow(1, 0, offsets[layers - 1])));
            parts.add(layer(next, layers).add(nudge));
            next = parts.size() == 1 ? parts.getFirst() : cat(parts);
        }
        // u + dt (next − u); at dt = 1 simply next
        return stepSize == 1 ? next : u.add(next.sub(u).mul(stepSize));
    }

    /** The Euler step dt of u ← u + dt·F(u) (1: the plain iteration u ← u + F(u)). */
    public double stepSize() { return stepSize; }

    Tensor rates(Tensor u) {
        return activation.apply(u);
    }

    Complex rates(Complex u) {
        return activation.apply(u);
    }

    /** ∂ℓ/∂σ(u_L) per sample (not divided by the batch), continued holomorphically for complex rates. */
    Complex force(List<Tensor> p, Complex out, Target target) {
        return switch (cost) {
            case CROSS_ENTROPY -> {
                Tensor w = p.get(p.size() - 2);
                Complex logits = out.matmul(w.mT()).add(p.getLast());
                yield logits.softmax(1).sub(target.dense()).matmul(w);
            }
            case SQUARED_ERROR -> out.sub(target.dense());
            case LINEAR -> Complex.real(target.dense());
        };
    }

    /** The mean cost over the batch of the output rates out [B, n_L] (real, differentiable in out and the readout). */
    Tensor loss(List<Tensor> p, Tensor out, Target target) {
        return switch (cost) {
            case CROSS_ENTROPY -> Losses.crossEntropy(logits(p, out), target.labels());
            case SQUARED_ERROR -> out.sub(target.dense()).square().sum(1).mean().mul(0.5);
            case LINEAR -> out.mul(target.dense()).sum(1).mean();
        };
    }

    /** The readout's logits (cross-entropy) or the output rates themselves: what a prediction takes the argmax of. */
    Tensor logits(List<Tensor> p, Tensor out) {
        return cost == Cost.CROSS_ENTROPY ? out.matmul(p.get(p.size() - 2).mT()).add(p.getLast()) : out;
    }

    /** The parameters as detached views: the dynamics read them without recording a graph. */
    List<Tensor> detached() {
        List<Tensor> d = new ArrayList<>(params.size());
        for (Tensor t : params) d.add(t.detach());
        return d;
    }

    /** A target checked against this network: class indices for cross-entropy and squared error, [B, n_L] for linear. */
    Target target(String op, Tensor x, Tensor target) {
        long batch = x.size(0);
        if (cost == Cost.LINEAR) {
            if (target.rank() != 2 || target.size(0) != batch || target.size(1) != outputSize()) {
                throw Operands.shape(op, "a linear cost's target must be [" + batch + ", " + outputSize() + "]", x, target);
            }
            if (target.dtype() != dtype()) throw Operands.dtype(op, "the target must have the network's dtype " + dtype(), x, target);
        } else {
            if (target.rank() != 1 || target.size(0) != batch) throw Operands.shape(op, "targets must be class indices [" + batch + "]", x, target);
            if (target.dtype() != DType.I64 && target.dtype() != DType.I32) {
                throw Operands.dtype(op, "targets must be class indices (I64 or I32)", x, target);
            }
        }
        if (!target.device().equals(device())) throw Operands.device(op, "the target must be on the network's device " + device(), x, target);
        if (cost == Cost.LINEAR) return new Target(target, target);
        try (NoGrad ng = NoGrad.open()) {
            Tensor labels = target.dtype() == DType.I64 ? target : target.to(DType.I64);
            return new Target(labels, Tensor.eye(dtype(), device(), outputSize()).indexSelect(0, labels));
        }
    }

    /** Checks an input batch x [B, n₀]: the network's dtype and device. */
    void checkInput(String op, Tensor x) {
        Tensor w = params.getFirst();
        if (x.rank() != 2 || x.size(1) != sizes[0]) throw Operands.shape(op, "the input must be [B, " + sizes[0] + "]", x, w);
        if (x.dtype() != w.dtype()) throw Operands.dtype(op, "the input must have the network's dtype " + w.dtype(), x, w);
        if (!x.device().equals(w.device())) throw Operands.device(op, "the input must be on the network's device " + w.device(), x, w);
    }

    /** A batch's targets: the tensor given, and its dense form (one-hot rows for class indices, the target itself for a linear cost). */
    record Target(Tensor labels, Tensor dense) {}

    private static Complex cat(List<Complex> parts) {
        boolean real = parts.stream().allMatch(Complex::isReal);
        List<Tensor> re = new ArrayList<>(parts.size()), im = new ArrayList<>(parts.size());
        for (Complex c : parts) {
            re.add(c.re());
            if (!real) im.add(c.im() != null ? c.im() : c.re().mul(0.0));
        }
        return new Complex(Tensor.cat(re, 1), real ? null : Tensor.cat(im, 1));
    }

    @Override
    public void close() {
        params.forEach(Tensor::close);
    }
}
