package dev.nabla.io;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.InvalidFileException;
import dev.nabla.Tensor;
import dev.nabla.data.Idx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds each file reader 10,000 mutations of valid files (bit flips, interesting bytes, truncation,
 * insertion, deletion, spliced ranges, rewritten length fields and numbers): every outcome must be a
 * successful read or an {@link InvalidFileException}, and no read may allocate much more than the
 * file's size (measured with the thread's allocation counter), so a file that claims a huge array
 * fails before allocating it.
 */
class ReaderFuzzTest {

    static final int MUTANTS = 10_000;
    /** Slack for fixed buffers (1 MiB read chunk, the parser's buffers, the stack of small objects). */
    static final long FIXED_ALLOCATION = 3L << 20;

    @TempDir
    Path dir;

    static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    void fuzz(String reader, List<byte[]> seeds, Function<Path, List<Tensor>> read, long seed) throws IOException {
        assertTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot count allocations; the memory bound would go unchecked");
        Random r = new Random(seed);
        Path p = dir.resolve("fuzz-" + reader);
        int accepted = 0;
        long tid = Thread.currentThread().threadId();
        for (int i = 0; i < MUTANTS; i++) {
            byte[] mutant = seeds.get(r.nextInt(seeds.size()));
            int rounds = 1 + r.nextInt(3);
            StringBuilder how = new StringBuilder();
            for (int k = 0; k < rounds; k++) mutant = mutate(mutant, r, how);
            Files.write(p, mutant);
            long before = THREADS.getThreadAllocatedBytes(tid);
            try {
                List<Tensor> ts = read.apply(p);
                accepted++;
                for (Tensor t : ts) t.close();
            } catch (InvalidFileException expected) {
                // the one acceptable failure
            } catch (Throwable t) {
                fail(reader + " mutant " + i + " (" + how + ", " + mutant.length + " bytes) threw " + t + "\n"
                        + HexFormat.of().formatHex(mutant, 0, Math.min(mutant.length, 256)), t);
            }
            long allocated = THREADS.getThreadAllocatedBytes(tid) - before;
            // the data lands in a host array and a tensor buffer, each at most the file's size, plus
            // the element type's widening (1-byte types into 4-byte ints)
            long bound = FIXED_ALLOCATION + 16L * mutant.length;
            if (allocated > bound) {
                fail(reader + " mutant " + i + " (" + how + ") allocated " + allocated + " bytes for a file of " + mutant.length);
            }
        }
        // the mutants must exercise both paths, or the test proves little
        assertTrue(accepted > 0 && accepted < MUTANTS, reader + ": " + accepted + " of " + MUTANTS + " mutants accepted");
    }

    private static final int[] INTERESTING = {0, 1, 0x7f, 0x80, 0xff, '{', '}', '[', ']', '"', '\'', ',', ':', '(', ')', '-',
            '0', '9', ' ', '\n', 0xc3, 0xe2};

    static byte[] mutate(byte[] in, Random r, StringBuilder how) {
        byte[] b = in.clone();
        int n = b.length;
        switch (r.nextInt(9)) {
            case 0 -> {
                if (n == 0) return b;
                int at = r.nextInt(n);
                b[at] ^= (byte) (1 << r.nextInt(8));
                how.append("flip@").append(at).append(' ');
            }
            case 1 -> {
                if (n == 0) return b;
                int at = r.nextInt(Math.min(n, 96));   // headers are where the checks are
                b[at] = (byte) INTERESTING[r.nextInt(INTERESTING.length)];
                how.append("set@").append(at).append(' ');
            }
            case 2 -> {
                int len = r.nextInt(n + 1);
                how.append("truncate@").append(len).append(' ');
                return Arrays.copyOf(b, len);
            }
            case 3 -> {
                byte[] extra = new byte[1 + r.nextInt(64)];
                r.nextBytes(extra);
                int at = r.nextInt(n + 1);
                how.append("insert").append(extra.length).append('@').append(at).append(' ');
                return splice(b, at, at, extra);
            }
            case 4 -> {
                if (n == 0) return b;
                int from = r.nextInt(n), to = Math.min(n, from + 1 + r.nextInt(16));
                how.append("delete").append(from).append("..").append(to).append(' ');
                return splice(b, from, to, new byte[0]);
            }
            case 5 -> {
                if (n < 2) return b;
                int from = r.nextInt(n), len = 1 + r.nextInt(Math.min(32, n - from)), at = r.nextInt(n);
                how.append("duplicate").append(from).append('+').append(len).append('@').append(at).append(' ');
                return splice(b, at, at, Arrays.copyOfRange(b, from, from + len));
            }
            case 6 -> {
                // a length field: safetensors bytes 0-7, npy 8-11, idx sizes from byte 4
                if (n < 12) return b;
                int at = r.nextInt(12);
                long v = switch (r.nextInt(5)) {
                    case 0 -> 0;
                    case 1 -> 0xff;
                    case 2 -> r.nextInt(256);
                    case 3 -> n & 0xff;
                    default -> (n + 1) & 0xff;
                };
                b[at] = (byte) v;
                how.append("length@").append(at).append('=').append(v).append(' ');
            }
            case 7 -> {
                // rewrite a run of ASCII digits (a shape or an offset) with a huge, zero or shifted number
                List<int[]> runs = digitRuns(b);
                if (runs.isEmpty()) return b;
                int[] run = runs.get(r.nextInt(runs.size()));
                String[] choices = {"0", "1", "4294967296", "18446744073709551615", "9223372036854775807", "-1",
                        Integer.toString(r.nextInt(1000)), "99999999999999999999999"};
                String v = choices[r.nextInt(choices.length)];
                how.append("number@").append(run[0]).append('=').append(v).append(' ');
                return splice(b, run[0], run[1], v.getBytes(StandardCharsets.ISO_8859_1));
            }
            default -> {
                if (n == 0) return b;
                int at = r.nextInt(n), len = Math.min(n - at, 1 + r.nextInt(8));
                for (int k = 0; k < len; k++) b[at + k] = (byte) r.nextInt(256);
                how.append("random").append(len).append('@').append(at).append(' ');
            }
        }
        return b;
    }

    static List<int[]> digitRuns(byte[] b) {
        List<int[]> runs = new ArrayList<>();
        int limit = Math.min(b.length, 400);
        for (int i = 0; i < limit; i++) {
            if (b[i] >= '0' && b[i] <= '9') {
                int j = i;
                while (j < b.length && b[j] >= '0' && b[j] <= '9') j++;
                runs.add(new int[] {i, j});
                i = j;
            }
        }
        return runs;
    }

    static byte[] splice(byte[] b, int from, int to, byte[] with) {
        byte[] out = new byte[b.length - (to - from) + with.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(with, 0, out, from, with.length);
        System.arraycopy(b, to, out, from + with.length, b.length - to);
        return out;
    }

    // ---- seeds ----------------------------------------------------------------------------------

    List<byte[]> safetensorsSeeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        Path p = dir.resolve("seed.safetensors");
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("0.weight", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        m.put("0.bias", Tensor.of(new float[] {0.5f, -1}));
        m.put("steps", Tensor.of(new long[] {7}));
        SafeTensors.write(p, m, Map.of("format", "pt"));
        seeds.add(Files.readAllBytes(p));
        SafeTensors.write(p, Map.of("x", Tensor.of(DType.F64, Device.cpu(), new double[] {1, 2}, 2),
                "m", Tensor.of(new boolean[] {true, false, true}), "i", Tensor.of(new int[] {3, 4}, 1, 2)));
        seeds.add(Files.readAllBytes(p));
        seeds.add(Bytes.safetensors("{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"u\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[4,5]}}").i16(LITTLE_ENDIAN, 0x3c00, 0x4000).raw(9).bytes());
        seeds.add(Bytes.safetensors("{}").bytes());
        return seeds;
    }

    List<byte[]> npySeeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        Path p = dir.resolve("seed.npy");
        for (Tensor t : List.of(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), Tensor.of(new long[] {1, -2}),
                Tensor.of(new boolean[] {true, false}), Tensor.of(DType.F64, Device.cpu(), new double[] {3}, 1).reshape())) {
            Npy.write(p, t);
            seeds.add(Files.readAllBytes(p));
        }
        seeds.add(Bytes.npy(2, "{'descr': '>i4', 'fortran_order': True, 'shape': (2, 2), }\n").i32(BIG_ENDIAN, 1, 2, 3, 4).bytes());
        seeds.add(Bytes.npy(3, "{\"descr\": \"<f2\", \"fortran_order\": False, \"shape\": (3,)}\n").i16(LITTLE_ENDIAN, 1, 2, 3).bytes());
        return seeds;
    }

    static List<byte[]> idxSeeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        byte[] images = new Bytes().raw(0, 0, 0x08, 3).u32be(2).u32be(3).u32be(2).raw(0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255).bytes();
        byte[] labels = new Bytes().raw(0, 0, 0x08, 1).u32be(4).raw(1, 9, 0, 3).bytes();
        byte[] floats = new Bytes().raw(0, 0, 0x0D, 2).u32be(1).u32be(2).f32(BIG_ENDIAN, 1.5f, -2).bytes();
        byte[] shorts = new Bytes().raw(0, 0, 0x0B, 1).u32be(2).i16(BIG_ENDIAN, -3, 300).bytes();
        seeds.addAll(List.of(images, labels, floats, shorts, gzip(images), gzip(labels)));
        return seeds;
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    @Test
    void safeTensorsReaderOnlyEverThrowsInvalidFileException() throws IOException {
        fuzz("safetensors", safetensorsSeeds(), p -> List.copyOf(SafeTensors.read(p).values()), 1);
    }

    @Test
    void npyReaderOnlyEverThrowsInvalidFileException() throws IOException {
        fuzz("npy", npySeeds(), p -> List.of(Npy.read(p)), 2);
    }

    @Test
    void idxReaderOnlyEverThrowsInvalidFileException() throws IOException {
        fuzz("idx", idxSeeds(), p -> List.of(Idx.read(p)), 3);
    }
}
