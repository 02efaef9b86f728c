package dev.nabla.data;

import dev.nabla.DType;
import dev.nabla.InvalidFileException;
import dev.nabla.Scope;
import dev.nabla.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One split of MNIST or Fashion-MNIST: images flattened to [N, rows·cols] F32 scaled to [0, 1]
 * and labels [N] I64, read from the IDX files {@code <split>-images-idx3-ubyte} and
 * {@code <split>-labels-idx1-ubyte} (each with or without {@code .gz}). Owns both tensors.
 *
 * <pre>{@code
 * try (Mnist train = Mnist.load(Path.of("/usr/share/datasets/fashion-mnist"), "train")) {
 *     Dataset d = train.dataset();      // 60000 examples
 * }
 * }</pre>
 */
public record Mnist(Tensor images, Tensor labels) implements AutoCloseable {

    /** Reads split ("train" or "t10k") from a directory holding the IDX files. */
    public static Mnist load(Path dir, String split) {
        Path images = find(dir, split + "-images-idx3-ubyte");
        Path labels = find(dir, split + "-labels-idx1-ubyte");
        try (InputStream i = Files.newInputStream(images); InputStream l = Files.newInputStream(labels)) {
            return read(i, l, images.toString(), labels.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the directory holds both files of the split. */
    public static boolean exists(Path dir, String split) {
        return findOrNull(dir, split + "-images-idx3-ubyte") != null && findOrNull(dir, split + "-labels-idx1-ubyte") != null;
    }

    /** Reads a split from two IDX streams (raw or gzip), e.g. class-path resources. */
    public static Mnist read(InputStream images, InputStream labels, String imagesName, String labelsName) {
        try (Scope s = Scope.open()) {
            Tensor raw = Idx.read(images, imagesName);
            Tensor y = Idx.read(labels, labelsName);
            if (raw.rank() != 3 || raw.dtype() != DType.I32) {
                throw new InvalidFileException(imagesName + ": expected unsigned-byte images [N, rows, cols], got "
                        + Arrays.toString(raw.shape()) + " " + raw.dtype());
            }
            if (y.rank() != 1 || y.size(0) != raw.size(0)) {
                throw new InvalidFileException(labelsName + ": expected " + raw.size(0) + " labels [N], got " + Arrays.toString(y.shape()));
            }
            Tensor x = raw.reshape(raw.size(0), raw.size(1) * raw.size(2)).to(DType.F32).div(255.0);
            return new Mnist(s.keep(x), s.keep(y.to(DType.I64)));
        }
    }

    /** The split as a dataset of (image, label). */
    public Dataset dataset() { return new TensorDataset(images, labels); }

    public long size() { return images.size(0); }

    private static Path find(Path dir, String base) {
        Path p = findOrNull(dir, base);
        if (p == null) throw new UncheckedIOException(new java.io.FileNotFoundException(dir.resolve(base) + "[.gz] not found"));
        return p;
    }

    private static Path findOrNull(Path dir, String base) {
        for (String name : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    @Override
    public void close() {
        images.close();
        labels.close();
    }
}
