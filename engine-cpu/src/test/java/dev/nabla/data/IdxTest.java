package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.InvalidFileException;
import dev.nabla.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files built from the format's description (big-endian sizes and data), raw and gzip. */
class IdxTest {

    @TempDir
    Path dir;

    /** magic 00 00 type ndim, then the sizes as big-endian 32-bit integers, then the data. */
    static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        return b.put(data).array();
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    Path write(String name, byte[] b) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, b);
        return p;
    }

    @Test
    void readsUnsignedBytesRawAndGzipped() throws IOException {
        byte[] data = {0, 1, (byte) 127, (byte) 128, (byte) 254, (byte) 255};
        byte[] file = idx(0x08, new int[] {2, 1, 3}, data);
        for (Path p : new Path[] {write("raw", file), write("z.gz", gzip(file)), write("gz-without-suffix", gzip(file))}) {
            Tensor t = Idx.read(p);
            assertEquals(DType.I32, t.dtype());
            assertArrayEquals(new long[] {2, 1, 3}, t.shape());
            assertArrayEquals(new int[] {0, 1, 127, 128, 254, 255}, t.toIntArray());
        }
    }

    @Test
    void readsTheOtherTypeCodes() throws IOException {
        assertArrayEquals(new int[] {-1, 5}, Idx.read(write("s8", idx(0x09, new int[] {2}, new byte[] {-1, 5}))).toIntArray());
        assertArrayEquals(new int[] {-2, 258}, Idx.read(write("i16", idx(0x0B, new int[] {2},
                ByteBuffer.allocate(4).putShort((short) -2).putShort((short) 258).array()))).toIntArray());
        assertArrayEquals(new int[] {-70000}, Idx.read(write("i32", idx(0x0C, new int[] {1},
                ByteBuffer.allocate(4).putInt(-70000).array()))).toIntArray());
        assertArrayEquals(new float[] {1.5f, -3}, Idx.read(write("f32", idx(0x0D, new int[] {2},
                ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-3).array()))).toFloatArray());
        assertArrayEquals(new double[] {Math.E}, Idx.read(write("f64", idx(0x0E, new int[] {1},
                ByteBuffer.allocate(8).putDouble(Math.E).array()))).toDoubleArray());
    }

    void assertInvalid(String problem, byte[] b) throws IOException {
        Path p = write("bad", b);
        InvalidFileException e = assertThrows(InvalidFileException.class, () -> Idx.read(p));
        assertTrue(e.getMessage().contains(problem), () -> "expected '" + problem + "' in: " + e.getMessage());
    }

    @Test
    void malformedFilesAreRefusedNamingTheProblem() throws IOException {
        assertInvalid("too short", new byte[] {0, 0});
        assertInvalid("two zero bytes", new byte[] {1, 0, 8, 1, 0, 0, 0, 1, 5});
        assertInvalid("unknown IDX type code 0x7", new byte[] {0, 0, 7, 1, 0, 0, 0, 1, 5});
        assertInvalid("with 0 dims", new byte[] {0, 0, 8, 0});
        assertInvalid("ends inside the sizes", new byte[] {0, 0, 8, 2, 0, 0, 0, 1});
        assertInvalid("data ends after 2 of 3", idx(0x08, new int[] {3}, new byte[] {1, 2}));
        assertInvalid("longer than its sizes", idx(0x08, new int[] {1}, new byte[] {1, 2}));
        // a tiny gzip file claiming 4 GiB × 4 GiB elements, or just 2 GiB: refused, nothing that large allocated
        assertInvalid("overflow", gzip(idx(0x0E, new int[] {-1, -1, -1}, new byte[0])));
        assertInvalid("data ends after 0 of 2000000000", gzip(idx(0x08, new int[] {2_000_000_000}, new byte[0])));
        byte[] corrupt = gzip(idx(0x08, new int[] {4}, new byte[] {1, 2, 3, 4}));
        corrupt[corrupt.length - 5] ^= 1;   // the CRC
        assertInvalid("cannot read IDX data", corrupt);
    }

    @Test
    void mnistSplitScalesImagesAndReadsLabelsAsI64() throws IOException {
        byte[] images = idx(0x08, new int[] {2, 2, 2}, new byte[] {0, (byte) 255, 51, 102, 0, 0, 0, 1});
        byte[] labels = idx(0x08, new int[] {2}, new byte[] {9, 0});
        write("train-images-idx3-ubyte.gz", gzip(images));
        write("train-labels-idx1-ubyte", labels);
        assertTrue(Mnist.exists(dir, "train"));
        try (Mnist m = Mnist.load(dir, "train")) {
            assertArrayEquals(new long[] {2, 4}, m.images().shape());
            assertArrayEquals(new float[] {0, 1, 0.2f, 0.4f, 0, 0, 0, 1 / 255f}, m.images().toFloatArray(), 1e-7f);
            assertEquals(DType.I64, m.labels().dtype());
            assertArrayEquals(new long[] {9, 0}, m.labels().toLongArray());
            assertEquals(2, m.dataset().size());
        }
        write("t10k-images-idx3-ubyte", images);
        write("t10k-labels-idx1-ubyte", idx(0x08, new int[] {3}, new byte[] {1, 2, 3}));
        assertThrows(InvalidFileException.class, () -> Mnist.load(dir, "t10k"));
    }
}
