package dev.nabla.io;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.InvalidFileException;
import dev.nabla.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    Path file(byte[] bytes) throws IOException {
        Path p = Files.createTempFile(dir, "t", ".safetensors");
        Files.write(p, bytes);
        return p;
    }

    @Test
    void readsAFileBuiltFromTheSpecification() throws IOException {
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[24,40]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[40,44]},"
                + "\"z\":{\"dtype\":\"BF16\",\"shape\":[],\"data_offsets\":[44,46]},"
                + "\"e\":{\"dtype\":\"F64\",\"shape\":[0,4],\"data_offsets\":[46,46]}}   ";
        Path p = file(Bytes.safetensors(json).f32(LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6).i64(LITTLE_ENDIAN, -7, 1L << 40)
                .i16(LITTLE_ENDIAN, 0x3C00, 0xC000)      // half 1.0 and -2.0
                .i16(LITTLE_ENDIAN, 0x4049)              // bfloat16 3.140625
                .bytes());
        Map<String, Tensor> m = SafeTensors.read(p);
        assertEquals(List.of("b", "a", "h", "z", "e"), List.copyOf(m.keySet()));
        assertArrayEquals(new long[] {2, 3}, m.get("a").shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, m.get("a").toFloatArray());
        assertArrayEquals(new long[] {-7, 1L << 40}, m.get("b").toLongArray());
        assertArrayEquals(new float[] {1, -2}, m.get("h").toFloatArray());
        assertEquals(0, m.get("z").rank());
        assertEquals(3.140625, m.get("z").item());
        assertArrayEquals(new long[] {0, 4}, m.get("e").shape());
    }

    @Test
    void writesContiguousLittleEndianRangesAfterAnAlignedHeader() throws IOException {
        Path p = dir.resolve("w.safetensors");
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).mT());   // written as the [3, 2] it shows
        m.put("i", Tensor.of(new int[] {7, -8}));
        m.put("flag", Tensor.of(new boolean[] {true, false, true}));
        SafeTensors.write(p, m, Map.of("format", "pt"));
        byte[] b = Files.readAllBytes(p);
        long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "data 8-byte aligned");
        String header = new String(b, 8, (int) n, StandardCharsets.UTF_8).strip();
        assertEquals("{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[0,24]},"
                + "\"i\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[24,32]},"
                + "\"flag\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[32,35]}}", header);
        ByteBuffer data = ByteBuffer.wrap(b, (int) (8 + n), 35).slice().order(ByteOrder.LITTLE_ENDIAN);
        float[] w = new float[6];
        data.asFloatBuffer().get(w);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, w);
        assertEquals(7, data.getInt(24));
        assertEquals(-8, data.getInt(28));
        assertEquals(1, data.get(32));
        assertEquals(0, data.get(33));
        Map<String, Tensor> back = SafeTensors.read(p);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, back.get("w").toFloatArray());
        assertEquals(DType.BOOL, back.get("flag").dtype());
        Tensor f64 = Tensor.of(DType.F64, Device.cpu(), new double[] {Math.PI});
        SafeTensors.write(p, Map.of("pi", f64));
        assertEquals(Math.PI, SafeTensors.read(p).get("pi").item());
    }

    void assertInvalid(String problem, byte[] bytes) throws IOException {
        Path p = file(bytes);
        InvalidFileException e = assertThrows(InvalidFileException.class, () -> SafeTensors.read(p));
        assertTrue(e.getMessage().contains(problem), () -> "expected '" + problem + "' in: " + e.getMessage());
    }

    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void malformedFilesThrowInvalidFileExceptionNamingTheProblem() throws IOException {
        assertInvalid("too short", new byte[] {1, 2, 3});
        assertInvalid("exceeds the limit", new Bytes().u64le(100_000_001L).ascii("{}").bytes());
        assertInvalid("exceeds the limit", new Bytes().u64le(-1L).ascii("{}").bytes());
        assertInvalid("runs past the end", new Bytes().u64le(50).ascii("{}").bytes());
        assertInvalid("not valid UTF-8", new Bytes().u64le(4).raw('{', 0xC3, 0x28, '}').bytes());
        assertInvalid("does not start with '{'", Bytes.safetensors("[]").bytes());
        assertInvalid("not valid JSON", Bytes.safetensors("{\"a\":{\"dtype\":\"F32\",").bytes());
        assertInvalid("names 'a' twice", Bytes.safetensors("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("a", "F32", "[1]", 4, 8) + "}")
                .f32(LITTLE_ENDIAN, 1, 2).bytes());
        assertInvalid("without holes or overlap", Bytes.safetensors("{" + entry("a", "F32", "[1]", 4, 8) + "}")
                .f32(LITTLE_ENDIAN, 1, 2).bytes());
        assertInvalid("without holes or overlap", Bytes.safetensors("{" + entry("a", "F32", "[2]", 0, 8) + ","
                + entry("b", "F32", "[1]", 4, 8) + "}").f32(LITTLE_ENDIAN, 1, 2).bytes());
        assertInvalid("overflows", Bytes.safetensors("{" + entry("a", "F32", "[4294967296,4294967296]", 0, 4) + "}")
                .f32(LITTLE_ENDIAN, 1).bytes());
        assertInvalid("needs 8 bytes but data_offsets span 4", Bytes.safetensors("{" + entry("a", "F32", "[2]", 0, 4) + "}")
                .f32(LITTLE_ENDIAN, 1).bytes());
        assertInvalid("the file holds 8", Bytes.safetensors("{" + entry("a", "F32", "[1]", 0, 4) + "}")
                .f32(LITTLE_ENDIAN, 1, 2).bytes());
        assertInvalid("non-negative 64-bit integers", Bytes.safetensors("{" + entry("a", "F32", "[-1]", 0, 4) + "}")
                .f32(LITTLE_ENDIAN, 1).bytes());
        assertInvalid("non-negative 64-bit integers",
                Bytes.safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}").bytes());
        assertInvalid("which nabla does not read", Bytes.safetensors("{" + entry("a", "F8_E4M3", "[1]", 0, 1) + "}").raw(0).bytes());
        assertInvalid("needs dtype, shape and data_offsets", Bytes.safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}").bytes());
        assertInvalid("__metadata__ values must be strings", Bytes.safetensors("{\"__metadata__\":{\"k\":1}}").bytes());
        assertInvalid("text after its object", Bytes.safetensors("{} {}").bytes());
    }
}
