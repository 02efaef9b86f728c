package dev.nabla.examples;

import dev.nabla.Device;
import dev.nabla.DeviceStatus;
import dev.nabla.Generator;
import java.util.Locale;

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

    /** Part 2: a 2 → hidden tanh → 3 classifier, hand-written backward pass, full-batch SGD. */
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
        }
    }
}
