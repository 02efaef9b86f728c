package dev.nabla.examples;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The classic three-arm spiral: a 2-D classification task no linear model solves. Built with
 * tensor ops only; the angle noise comes from {@code Tensor.randn}, so one seed gives one data set
 * on every device.
 *
 * @param x      points [N, 2]
 * @param labels class of each point [N] (I64)
 * @param onehot the labels one-hot [N, classes] (F32)
 */
record Spiral(Tensor x, Tensor labels, Tensor onehot) implements AutoCloseable {

    static Spiral generate(Generator g, int classes, int pointsPerClass, double noise) {
        Device device = Device.defaultDevice();
        try (Scope scope = Scope.open()) {
            List<Tensor> points = new ArrayList<>();
            List<Tensor> labels = new ArrayList<>();
            Tensor radius = Tensor.linspace(0, 1, pointsPerClass);
            for (int k = 0; k < classes; k++) {
                // arm k: radius t, angle 4k + 4t, jittered
                Tensor theta = radius.mul(4).add(4.0 * k).add(Tensor.randn(g, pointsPerClass).mul(noise));
                points.add(Tensor.stack(List.of(radius.mul(theta.sin()), radius.mul(theta.cos())), 1));
                labels.add(Tensor.full(DType.I64, device, k, pointsPerClass));
            }
            Tensor y = Tensor.cat(labels, 0);
            return new Spiral(
                    scope.keep(Tensor.cat(points, 0)),
                    scope.keep(y),
                    scope.keep(Tensor.eye(classes).indexSelect(0, y)));
        }
    }

    long size() {
        return x.size(0);
    }

    @Override
    public void close() {
        x.close();
        labels.close();
        onehot.close();
    }
}
