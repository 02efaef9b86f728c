package dev.nabla.data;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.InvalidFileException;
import dev.nabla.Tensor;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The IDX format of MNIST and Fashion-MNIST ({@code train-images-idx3-ubyte} and friends), raw or
 * gzip-compressed (recognized by its magic bytes, not the file name): a magic number
 * {@code 00 00 type ndim}, ndim big-endian 32-bit sizes, then the big-endian data. Unsigned and
 * signed bytes and shorts read as I32, ints as I32, floats as F32, doubles as F64.
 *
 * <p>Validation: the two zero bytes and a known type code, 1 to 8 dims, no overflow in the
 * element count, and the data exactly as long as the sizes say (no missing and no trailing bytes).
 * Data is read in chunks as it arrives, so a small file that claims a huge array fails without a
 * huge allocation. Malformed input throws {@link InvalidFileException}.
 *
 * <pre>{@code
 * Tensor images = Idx.read(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"));  // [60000, 28, 28] I32
 * }</pre>
 */
public final class Idx {
    private Idx() {}

    private static final int MAX_DIMS = 8;
    private static final int CHUNK = 1 << 20;

    /** The array in the file (gzip or raw), on the default device. */
    public static Tensor read(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return read(in, p.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }

    /** The array in the stream (gzip or raw); name is used in error messages. Does not close the stream. */
    public static Tensor read(InputStream stream, String name) {
        try {
            BufferedInputStream buffered = new BufferedInputStream(stream);
            buffered.mark(2);
            int b0 = buffered.read(), b1 = buffered.read();
            buffered.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(buffered, 1 << 16) : buffered;
            return parse(in, name);
        } catch (IOException e) {
            // a corrupt gzip stream or a read failure half-way: either way the file cannot be read as IDX
            throw new InvalidFileException(name + ": cannot read IDX data: " + e, e);
        }
    }

    private static Tensor parse(InputStream in, String name) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) throw new InvalidFileException(name + ": too short for an IDX file");
        if (magic[0] != 0 || magic[1] != 0) throw new InvalidFileException(name + ": not an IDX file (magic must start with two zero bytes)");
        int type = magic[2] & 0xFF, ndim = magic[3] & 0xFF;
        int size = switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> throw new InvalidFileException(name + ": unknown IDX type code 0x" + Integer.toHexString(type));
        };
        if (ndim < 1 || ndim > MAX_DIMS) throw new InvalidFileException(name + ": IDX files with " + ndim + " dims are not read (1 to 8)");
        byte[] dimBytes = in.readNBytes(4 * ndim);
        if (dimBytes.length < 4 * ndim) throw new InvalidFileException(name + ": IDX header ends inside the sizes");
        ByteBuffer db = ByteBuffer.wrap(dimBytes).order(ByteOrder.BIG_ENDIAN);
        long[] shape = new long[ndim];
        long count = 1;
        for (int i = 0; i < ndim; i++) {
            shape[i] = db.getInt() & 0xFFFF_FFFFL;
            try {
                count = Math.multiplyExact(count, shape[i]);
            } catch (ArithmeticException e) {
                throw new InvalidFileException(name + ": IDX sizes " + Arrays.toString(shape) + " overflow the element count");
            }
        }
        if (count > Integer.MAX_VALUE - 8 || count * size > Integer.MAX_VALUE - 8) {
            throw new InvalidFileException(name + ": IDX sizes " + Arrays.toString(shape) + " exceed one array");
        }
        int bytes = (int) (count * size);
        byte[] data = readGrowing(in, bytes, name);
        if (in.read() >= 0) throw new InvalidFileException(name + ": IDX data is longer than its sizes " + Arrays.toString(shape) + " say");
        return toTensor(data, type, (int) count, shape);
    }

    /** Exactly n bytes, allocated as they arrive (a chunk at a time) rather than trusting the header. */
    private static byte[] readGrowing(InputStream in, int n, String name) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        int got = 0;
        while (got < n) {
            byte[] c = in.readNBytes(Math.min(CHUNK, n - got));
            if (c.length == 0) throw new InvalidFileException(name + ": IDX data ends after " + got + " of " + n + " bytes");
            chunks.add(c);
            got += c.length;
        }
        if (chunks.size() == 1) return chunks.get(0);
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, all, at, c.length);
            at += c.length;
        }
        return all;
    }

    private static Tensor toTensor(byte[] data, int type, int n, long[] shape) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
        Device d = Device.defaultDevice();
        switch (type) {
            case 0x0D -> {
                float[] a = new float[n];
                b.asFloatBuffer().get(a);
                return Tensor.of(DType.F32, d, a, shape);
            }
            case 0x0E -> {
                double[] a = new double[n];
                b.asDoubleBuffer().get(a);
                return Tensor.of(DType.F64, d, a, shape);
            }
            default -> {
                int[] a = new int[n];
                switch (type) {
                    case 0x08 -> { for (int i = 0; i < n; i++) a[i] = data[i] & 0xFF; }
                    case 0x09 -> { for (int i = 0; i < n; i++) a[i] = data[i]; }
                    case 0x0B -> { for (int i = 0; i < n; i++) a[i] = b.getShort(); }
                    default -> b.asIntBuffer().get(a);
                }
                return Tensor.of(DType.I32, d, a, shape);
            }
        }
    }
}
