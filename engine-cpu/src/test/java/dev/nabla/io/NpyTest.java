package dev.nabla.io;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.InvalidFileException;
import dev.nabla.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    Path file(byte[] bytes) throws IOException {
        Path p = Files.createTempFile(dir, "t", ".npy");
        Files.write(p, bytes);
        return p;
    }

    @Test
    void readsAVersion1FileBuiltFromTheSpecification() throws IOException {
        Path p = file(Bytes.npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }      \n")
                .f32(LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6.5f).bytes());
        Tensor t = Npy.read(p);
        assertEquals(DType.F32, t.dtype());
        assertArrayEquals(new long[] {2, 3}, t.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6.5f}, t.toFloatArray());
    }

    @Test
    void readsVersions2And3BigEndianFortranOrderAndScalars() throws IOException {
        Tensor v2 = Npy.read(file(Bytes.npy(2, "{\"descr\": \">i8\", \"fortran_order\": False, \"shape\": (3,)}\n")
                .i64(BIG_ENDIAN, -1, 2, Long.MAX_VALUE).bytes()));
        assertArrayEquals(new long[] {-1, 2, Long.MAX_VALUE}, v2.toLongArray());
        // version 3 allows UTF-8 in the header (here only in the padding spaces' place: a comment-free dict)
        Tensor v3 = Npy.read(file(Bytes.npy(3, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3)}\n")
                .f64(LITTLE_ENDIAN, 1, 4, 2, 5, 3, 6).bytes()));
        // column-major [[1, 2, 3], [4, 5, 6]]
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, v3.toDoubleArray());
        assertArrayEquals(new long[] {2, 3}, v3.shape());
        Tensor scalar = Npy.read(file(Bytes.npy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': ()}\n")
                .i32(LITTLE_ENDIAN, 42).bytes()));
        assertEquals(0, scalar.rank());
        assertEquals(42, scalar.item());
        Tensor bools = Npy.read(file(Bytes.npy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (3,)}\n").raw(1, 0, 1).bytes()));
        assertArrayEquals(new boolean[] {true, false, true}, bools.toBooleanArray());
        Tensor bytes = Npy.read(file(Bytes.npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (2,)}\n").raw(255, 7).bytes()));
        assertArrayEquals(new int[] {255, 7}, bytes.toIntArray());
        Tensor empty = Npy.read(file(Bytes.npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 5)}\n").bytes()));
        assertArrayEquals(new long[] {0, 5}, empty.shape());
    }

    @Test
    void writesWhatNumpyWritesAndReadsItBack() throws IOException {
        Path p = dir.resolve("w.npy");
        Tensor t = Tensor.of(new double[] {1.5, -2, 3, 4, 5, 6}, 3, 2);
        Npy.write(p, t.mT());   // a transposed view is written in C order of its own shape
        byte[] b = Files.readAllBytes(p);
        assertEquals(0x93, b[0] & 0xFF);
        assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.ISO_8859_1));
        assertEquals(1, b[6]);
        int hlen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
        assertEquals(0, (10 + hlen) % 64, "data starts 64-byte aligned");
        String header = new String(b, 10, hlen, StandardCharsets.ISO_8859_1);
        assertEquals("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", header.strip());
        assertTrue(header.endsWith("\n"));
        assertEquals(10 + hlen + 6 * 8, b.length);
        Tensor back = Npy.read(p);
        assertArrayEquals(new double[] {1.5, 3, 5, -2, 4, 6}, back.toDoubleArray());
        for (DType dt : DType.values()) {
            Tensor x = Tensor.of(dt, dev.nabla.Device.cpu(), new double[] {0, 1, 1, 0}, 4);
            Npy.write(p, x);
            Tensor y = Npy.read(p);
            assertEquals(dt, y.dtype());
            assertArrayEquals(x.toDoubleArray(), y.toDoubleArray(), 0);
        }
    }

    void assertInvalid(String problem, byte[] bytes) throws IOException {
        Path p = file(bytes);
        InvalidFileException e = assertThrows(InvalidFileException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains(problem), () -> "expected '" + problem + "' in: " + e.getMessage());
    }

    static final String OK = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n";

    @Test
    void malformedFilesThrowInvalidFileExceptionNamingTheProblem() throws IOException {
        assertInvalid("bad magic", new Bytes().ascii("NUMPY!!!!!!!!!").bytes());
        assertInvalid("too short", new Bytes().raw(0x93).ascii("NUM").bytes());
        assertInvalid("unsupported .npy version 4.0", patch(Bytes.npy(1, OK).f32(LITTLE_ENDIAN, 1, 2).bytes(), 6, 4));
        assertInvalid("runs past the end", new Bytes().raw(0x93).ascii("NUMPY").raw(1, 0).u16le(500).ascii("{}").bytes());
        assertInvalid("exceeds 10000", Bytes.npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"
                + " ".repeat(10_001) + "\n").f32(LITTLE_ENDIAN, 1, 2).bytes());
        assertInvalid("data is 4 bytes", Bytes.npy(1, OK).f32(LITTLE_ENDIAN, 1).bytes());
        assertInvalid("data is 12 bytes", Bytes.npy(1, OK).f32(LITTLE_ENDIAN, 1, 2, 3).bytes());
        assertInvalid("object arrays are refused", Bytes.npy(1, "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }\n")
                .raw(0x80, 2, 0x4e, 0x2e).bytes());
        assertInvalid("keys must be exactly", Bytes.npy(1, "{'descr': '<f4', 'shape': (2,), }\n").f32(LITTLE_ENDIAN, 1, 2).bytes());
        assertInvalid("keys must be exactly", Bytes.npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': True}\n")
                .f32(LITTLE_ENDIAN, 1, 2).bytes());
        assertInvalid("repeats the key", Bytes.npy(1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}\n")
                .f32(LITTLE_ENDIAN, 1, 2).bytes());
        // Python code in the header is parsed, never run
        assertInvalid("unexpected value", Bytes.npy(1, "{'descr': '<f4', 'fortran_order': __import__('os'), 'shape': (2,)}\n")
                .f32(LITTLE_ENDIAN, 1, 2).bytes());
        assertInvalid("without a comma", Bytes.npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2)}\n")
                .f32(LITTLE_ENDIAN, 1, 2).bytes());
        assertInvalid("overflows", Bytes.npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}\n")
                .bytes());
        assertInvalid("not supported", Bytes.npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,)}\n")
                .f32(LITTLE_ENDIAN, 1, 2).bytes());
        assertInvalid("structured dtypes", Bytes.npy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}\n")
                .f32(LITTLE_ENDIAN, 1).bytes());
        assertInvalid("text after the closing brace", Bytes.npy(1, OK.strip() + " x\n").f32(LITTLE_ENDIAN, 1, 2).bytes());
        assertInvalid("not valid UTF-8", withUtf8Garbage());
    }

    private static byte[] patch(byte[] b, int at, int value) {
        b[at] = (byte) value;
        return b;
    }

    /** A version 3 file whose 4-byte header is not UTF-8. */
    private static byte[] withUtf8Garbage() {
        return new Bytes().raw(0x93).ascii("NUMPY").raw(3, 0).u32le(4).raw(0x7b, 0xff, 0xfe, 0x7d).bytes();
    }
}
