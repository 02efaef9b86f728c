package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.Generator;
import dev.nabla.InvalidFileException;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints exchanged with PyTorch: the file below is what {@code safetensors.torch.save_file(
 * model.state_dict())} writes for {@code nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))}
 * — tensors ordered by dtype alignment then name, contiguous little-endian data, Linear weights
 * [out, in] row-major, header padded with spaces to 8 bytes — built here byte by byte from the
 * format's specification.
 */
class CheckpointTest {

    @TempDir
    Path dir;

    static final float[] W0 = {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f, 0.7f, -0.8f, 0.9f, 1.0f, 1.1f, -1.2f};   // [3, 4]
    static final float[] B0 = {0.01f, -0.02f, 0.03f};
    static final float[] W2 = {1.5f, -0.5f, 0.25f, -1, 2, 0.5f};   // [2, 3]
    static final float[] B2 = {0.1f, -0.1f};

    static Sequential model() {
        Generator g = new Generator(123);
        return new Sequential(new Linear(4, 3, g), new ReLU(), new Linear(3, 2, g));
    }

    static byte[] pytorchFile() {
        String json = "{\"0.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                + "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[12,60]},"
                + "\"2.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[60,68]},"
                + "\"2.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[68,92]}}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + 92).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(header);
        while (b.position() < 8 + padded) b.put((byte) ' ');
        for (float[] a : new float[][] {B0, W0, B2, W2}) for (float v : a) b.putFloat(v);
        return b.array();
    }

    /** ReLU(x W0ᵀ + b0) W2ᵀ + b2 in float64. */
    static double[] expected(double[] x, int n) {
        double[] out = new double[n * 2];
        for (int r = 0; r < n; r++) {
            double[] h = new double[3];
            for (int o = 0; o < 3; o++) {
                double s = B0[o];
                for (int i = 0; i < 4; i++) s += x[r * 4 + i] * W0[o * 4 + i];
                h[o] = Math.max(s, 0);
            }
            for (int o = 0; o < 2; o++) {
                double s = B2[o];
                for (int i = 0; i < 3; i++) s += h[i] * W2[o * 3 + i];
                out[r * 2 + o] = s;
            }
        }
        return out;
    }

    @Test
    void aPyTorchCheckpointLoadsAndComputesTheSameFunction() throws IOException {
        Path p = dir.resolve("torch.safetensors");
        Files.write(p, pytorchFile());
        Sequential m = model();
        m.load(p);
        assertArrayEquals(W0, m.parameters().get("0.weight").toFloatArray());
        double[] x = Ref.values(3, 5 * 4);
        Ref.assertClose(expected(x, 5), m.forward(Ref.f32(x, 5, 4)), 1e-6);
    }

    @Test
    void savedCheckpointHasPyTorchNamesShapesAndBytes() throws IOException {
        Path torch = dir.resolve("torch.safetensors");
        Files.write(torch, pytorchFile());
        Sequential m = model();
        m.load(torch);
        Path mine = dir.resolve("mine.safetensors");
        m.save(mine);
        byte[] b = Files.readAllBytes(mine);
        long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(b, 8, (int) n, StandardCharsets.UTF_8).strip();
        // nabla writes in parameter order; what matters to PyTorch is names, dtypes, shapes and ranges
        assertEquals("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},"
                + "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[48,60]},"
                + "\"2.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[60,84]},"
                + "\"2.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[84,92]}}", header);
        ByteBuffer data = ByteBuffer.wrap(b, 8 + (int) n, 92).slice().order(ByteOrder.LITTLE_ENDIAN);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ByteBuffer e = ByteBuffer.allocate(92).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] a : new float[][] {W0, B0, W2, B2}) for (float v : a) e.putFloat(v);
        expected.writeBytes(e.array());
        byte[] got = new byte[92];
        data.get(got);
        assertArrayEquals(expected.toByteArray(), got);
        // and a fresh model loads it back to the same function
        Sequential again = model();
        again.load(mine);
        double[] x = Ref.values(4, 3 * 4);
        Ref.assertClose(expected(x, 3), again.forward(Ref.f32(x, 3, 4)), 1e-6);
    }

    @Test
    void mismatchedCheckpointsAreRefusedNamingWhatDiffers() throws IOException {
        Path p = dir.resolve("torch.safetensors");
        Files.write(p, pytorchFile());
        Generator g = new Generator(1);
        Sequential wider = new Sequential(new Linear(4, 5, g), new ReLU(), new Linear(5, 2, g));
        ShapeMismatchException shape = assertThrows(ShapeMismatchException.class, () -> wider.load(p));
        assertTrue(shape.getMessage().contains("0.weight") && shape.getMessage().contains("[5, 4]")
                && shape.getMessage().contains("[3, 4]"), shape.getMessage());
        Sequential deeper = new Sequential(new Linear(4, 3, g), new ReLU(), new Linear(3, 2, g), new Linear(2, 2, g));
        InvalidFileException names = assertThrows(InvalidFileException.class, () -> deeper.load(p));
        assertTrue(names.getMessage().contains("missing [3.bias, 3.weight]"), names.getMessage());
    }
}
