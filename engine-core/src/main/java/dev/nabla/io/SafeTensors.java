package dev.nabla.io;

import dev.nabla.InvalidFileException;
import dev.nabla.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face's safetensors format: an 8-byte little-endian header length, a JSON header naming
 * each tensor's dtype, shape and byte range, then the raw little-endian data. Reads F32, F64, I32,
 * I64 and BOOL as themselves, F16 and BF16 widened to F32, U8/I8/I16/U16 to I32 and U32 to I64;
 * writes the engine's five dtypes. PyTorch's {@code safetensors.torch.save_file} and
 * {@code load_file} exchange files with it (see {@link dev.nabla.nn.Module#save}).
 *
 * <p>Reading validates as the reference loader: header length at most 100,000,000 bytes and
 * within the file, the header valid UTF-8 JSON starting with '{', no name twice, byte ranges
 * contiguous from 0 without holes or overlap and ending exactly at the end of the file, shape
 * products without overflow, and each range exactly the dtype's size times the element count.
 * A malformed file throws {@link InvalidFileException} naming the problem; nothing is allocated
 * beyond what the file holds.
 *
 * <pre>{@code
 * SafeTensors.write(Path.of("model.safetensors"), model.parameters());
 * Map<String, Tensor> back = SafeTensors.read(Path.of("model.safetensors"));
 * }</pre>
 */
public final class SafeTensors {
    private SafeTensors() {}

    /** The reference loader's limit on the header length. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** Every tensor in the file, by name in the header's order, on the default device. */
    public static Map<String, Tensor> read(Path p) {
        String file = p.toString();
        Map<String, Tensor> out = new LinkedHashMap<>();
        boolean done = false;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new InvalidFileException(file + ": too short for a safetensors file (" + size + " bytes)");
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, file);
            long n = len.getLong(0);
            if (n < 0 || n > MAX_HEADER_BYTES) {
                throw new InvalidFileException(file + ": safetensors header length " + Long.toUnsignedString(n)
                        + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
            }
            if (8 + n > size) {
                throw new InvalidFileException(file + ": safetensors header length " + n + " runs past the end of the file ("
                        + size + " bytes)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, file);
            String json;
            try {
                json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(hb.flip()).toString();
            } catch (CharacterCodingException e) {
                throw new InvalidFileException(file + ": safetensors header is not valid UTF-8");
            }
            long dataStart = 8 + n;
            Map<String, SafeTensorsHeader.Entry> entries = SafeTensorsHeader.parse(json, size - dataStart, file);
            for (SafeTensorsHeader.Entry e : entries.values()) {
                ch.position(dataStart + e.begin());
                out.put(e.name(), e.encoding().read(ch, e.count(), ByteOrder.LITTLE_ENDIAN, e.shape(), file));
            }
            done = true;
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        } finally {
            if (!done) for (Tensor t : out.values()) t.close();
        }
    }

    /** Writes the tensors (any layout, any device) back to back in the map's order. */
    public static void write(Path p, Map<String, Tensor> tensors) {
        write(p, tensors, Map.of());
    }

    /** As {@link #write(Path, Map)}, with a {@code __metadata__} map of strings in the header. */
    public static void write(Path p, Map<String, Tensor> tensors, Map<String, String> metadata) {
        if (tensors.containsKey("__metadata__")) {
            throw new IllegalArgumentException("safetensors: '__metadata__' is reserved and cannot name a tensor");
        }
        List<SafeTensorsHeader.Entry> entries = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            Encoding enc = Encoding.of(t.dtype());
            long bytes = t.numel() * enc.size;
            entries.add(new SafeTensorsHeader.Entry(e.getKey(), t.dtype().name(), enc, t.shape(), t.numel(), offset, offset + bytes));
            offset += bytes;
        }
        byte[] json = SafeTensorsHeader.format(entries, metadata).getBytes(StandardCharsets.UTF_8);
        // padded with spaces so that the data starts 8-byte aligned, as the reference writer does
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (head.hasRemaining()) ch.write(head);
            for (Tensor t : tensors.values()) Encoding.write(t, ch);
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, String file) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) throw new InvalidFileException(file + ": ends early");
        }
    }
}
