package dev.nabla.examples;

import dev.nabla.data.Mnist;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Where the tour's Fashion-MNIST comes from: the full set (60,000 training and 10,000 test images)
 * from Debian's {@code dataset-fashion-mnist} package or a directory the user names, else the
 * subset shipped in this module's resources (4,000 training and 1,000 test images, 400 and 100 per
 * class, the first of each class in the original files), so the tour runs on a fresh clone.
 *
 * @param train       the training split
 * @param test        the test split
 * @param description which data was used, for the console and the report
 */
record FashionMnistSource(Mnist train, Mnist test, String description) implements AutoCloseable {

    /** Debian's dataset-fashion-mnist installs the four IDX files here. */
    static final Path DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");
    private static final String SUBSET = "/fashion-mnist-subset/";

    /** The full set from dir (or Debian's location when dir is null) when present and not forced off; else the subset. */
    static FashionMnistSource load(Path dir, boolean subsetOnly) {
        Path full = dir != null ? dir : DEBIAN;
        if (!subsetOnly && Mnist.exists(full, "train") && Mnist.exists(full, "t10k")) {
            Mnist train = Mnist.load(full, "train");
            Mnist test = Mnist.load(full, "t10k");
            return new FashionMnistSource(train, test, "full Fashion-MNIST from " + full + " (" + train.size() + " training, "
                    + test.size() + " test images)");
        }
        if (dir != null && !subsetOnly) {
            throw new IllegalArgumentException("no Fashion-MNIST IDX files (train-*, t10k-*) in " + dir);
        }
        Mnist train = resource("train");
        Mnist test = resource("t10k");
        String why = subsetOnly ? "--quick or --subset" : "the full set is not installed (apt-get install dataset-fashion-mnist)";
        return new FashionMnistSource(train, test, "the Fashion-MNIST subset shipped with nabla (" + train.size() + " training, "
                + test.size() + " test images; " + why + ")");
    }

    private static Mnist resource(String split) {
        String images = SUBSET + split + "-images-idx3-ubyte.gz", labels = SUBSET + split + "-labels-idx1-ubyte.gz";
        try (InputStream i = open(images); InputStream l = open(labels)) {
            return Mnist.read(i, l, "classpath:" + images, "classpath:" + labels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = FashionMnistSource.class.getResourceAsStream(name);
        if (in == null) throw new IllegalStateException("resource " + name + " missing from the examples jar");
        return in;
    }

    @Override
    public void close() {
        train.close();
        test.close();
    }
}
