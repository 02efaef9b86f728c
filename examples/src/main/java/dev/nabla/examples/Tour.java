package dev.nabla.examples;

import dev.nabla.Device;
import dev.nabla.DeviceStatus;
import dev.nabla.Generator;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autodiff.Autodiff;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The main job, {@code ./nabla tour}: lists the devices nabla can see, then trains a small MLP on
 * a three-class spiral through the public API, printing the loss as it falls.
 *
 * <pre>{@code
 * ./nabla tour                       # defaults
 * ./nabla tour --steps 800 --lr 1    # options: --steps --lr --hidden --seed
 * }</pre>
 *
 * Training runs on {@link Device#best()} unless {@code -Dnabla.device} or {@code NABLA_DEVICE}
 * names a device.
 */
public final class Tour {

    private static final int CLASSES = 3;
    private static final int POINTS_PER_CLASS = 100;
    private static final double NOISE = 0.2;

    private int steps = 600;
    private double lr = 1.0;
    private int hidden = 32;
    private long seed = 7;

    private Tour() {}

    public static void main(String[] args) {
        Tour tour = new Tour();
        if (!tour.parse(args)) {
            System.err.println("usage: ./nabla tour [--steps N] [--lr X] [--hidden H] [--seed S]");
            System.exit(2);
        }
        Device device = devices();
        tour.train(device);
    }

    private boolean parse(String[] args) {
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--steps" -> steps = Integer.parseInt(value);
                    case "--lr" -> lr = Double.parseDouble(value);
                    case "--hidden" -> hidden = Integer.parseInt(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    default -> { return false; }
                }
                i++;
            }
        } catch (NumberFormatException | NullPointerException e) {
            return false;
        }
        return steps >= 0 && hidden > 0;
    }

    /** Part 1: every device the backends probed, and the one training will use. */
    private static Device devices() {
        System.out.println("1. Devices (Device.probe())");
        for (DeviceStatus s : Device.probe()) {
            String what = s.available() ? s.description() : "unavailable: " + s.reason();
            System.out.printf("   %-9s %s%n", s.device(), what);
        }
        Device best = Device.best();
        System.out.println("   best: " + best);
        boolean named = System.getProperty("nabla.device") != null || System.getenv("NABLA_DEVICE") != null;
        Device device = named ? Device.defaultDevice() : best;
        Device.setDefault(device);
        System.out.println();
        return device;
    }

    /** Part 2: a 2 → hidden tanh → 3 classifier, gradients by autodiff, full-batch SGD. */
    private void train(Device device) {
        System.out.printf(Locale.ROOT,
                "2. Training a 2 -> %d tanh -> %d MLP on a %d-point spiral on %s (full-batch SGD, lr %s)%n",
                hidden, CLASSES, CLASSES * POINTS_PER_CLASS, device, lr);
        Generator g = new Generator(seed);
        long start = System.nanoTime();
        try (Spiral data = Spiral.generate(g, CLASSES, POINTS_PER_CLASS, NOISE);
             Mlp model = new Mlp(g, 2, hidden, CLASSES, 2.0)) {
            int every = Math.max(1, steps / 8);
            double loss = Double.NaN;
            for (int step = 0; step < steps; step++) {
                loss = model.step(data.x(), data.onehot(), lr);
                if (step % every == 0) {
                    System.out.printf(Locale.ROOT, "   step %4d  loss %.4f  accuracy %5.1f%%%n",
                            step, loss, 100 * model.accuracy(data.x(), data.labels()));
                }
            }
            double accuracy = model.accuracy(data.x(), data.labels());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println();
            System.out.printf(Locale.ROOT,
                    "result: final loss %.4f, accuracy %.1f%% on %d points after %d steps (%.1f s on %s)%n",
                    loss, 100 * accuracy, data.size(), steps, seconds, device);
            System.out.println();
            curvature(model, data);
        }
    }

    /**
     * Part 3: second order at the trained weights, which neither DJL nor ND4J can compute: the
     * Hessian-vector product by forward-over-reverse and by reverse-over-reverse (they must agree),
     * checked against a finite difference of gradients, and the top Hessian eigenvalue by power iteration.
     */
    private static void curvature(Mlp model, Spiral data) {
        System.out.println("3. Curvature of the trained loss (Hessian-vector products through autodiff)");
        Function<List<Tensor>, Tensor> f = p -> Mlp.loss(p, data.x(), data.onehot());
        List<Tensor> params = model.parameters();
        try (Scope scope = Scope.open()) {
            List<Tensor> v = unit(Autodiff.grad(f, params));
            List<Tensor> fwd = Autodiff.hvp(f, params, v);
            List<Tensor> rev = Autodiff.hvp(f, params, v, Autodiff.HvpMode.REVERSE_OVER_REVERSE);
            double h = 1e-3;
            List<Tensor> gPlus = Autodiff.grad(f, axpy(params, h, v));
            List<Tensor> gMinus = Autodiff.grad(f, axpy(params, -h, v));
            double vhv = dot(v, fwd), vhvRev = dot(v, rev);
            double fd = (dot(v, gPlus) - dot(v, gMinus)) / (2 * h);
            System.out.printf(Locale.ROOT, "   along the gradient: v'Hv = %.6f (forward-over-reverse), %.6f (reverse-over-reverse),"
                    + " %.6f (finite differences)%n", vhv, vhvRev, fd);
            List<Tensor> u = unit(Autodiff.grad(f, params));
            double lambda = 0;
            for (int i = 0; i < 30; i++) {
                List<Tensor> hu = Autodiff.hvp(f, params, u);
                lambda = dot(u, hu);
                u = unit(hu);
            }
            System.out.printf(Locale.ROOT, "   top Hessian eigenvalue (30 power iterations): %.6f%n", lambda);
        }
    }

    private static double dot(List<Tensor> a, List<Tensor> b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) s += a.get(i).mul(b.get(i)).sum().item();
        return s;
    }

    private static List<Tensor> unit(List<Tensor> v) {
        double n = Math.sqrt(dot(v, v));
        return v.stream().map(t -> t.div(n)).toList();
    }

    private static List<Tensor> axpy(List<Tensor> x, double a, List<Tensor> y) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) out.add(x.get(i).add(y.get(i).mul(a)));
        return out;
    }
}
