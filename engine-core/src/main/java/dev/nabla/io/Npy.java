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
import java.util.Arrays;

/**
 * NumPy's .npy format, versions 1.0, 2.0 and 3.0: reads F32, F64, I32, I64 and BOOL arrays (and
 * the narrower f2, i1, u1, i2, u2, u4, widened), either byte order, C or Fortran order; writes C
 * order, little-endian, version 1.0 (2.0 when the header needs it), as {@code numpy.save}.
 *
 * <p>Reading validates like numpy's loader: the magic string and version, a header of at most
 * 10,000 characters parsed as a literal (never evaluated) with exactly the keys descr,
 * fortran_order and shape, object dtypes refused, and the data exactly as long as the shape says.
 * A malformed file throws {@link InvalidFileException} naming the problem; nothing is allocated
 * beyond what the file holds.
 *
 * <pre>{@code
 * Npy.write(Path.of("w.npy"), w);
 * Tensor back = Npy.read(Path.of("w.npy"));   // np.load("w.npy") reads it too
 * }</pre>
 */
public final class Npy {
    private Npy() {}

    /** numpy's default {@code max_header_size}. */
    public static final int MAX_HEADER_CHARS = 10_000;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** The array in the file, on the default device. */
    public static Tensor read(Path p) {
        String file = p.toString();
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer pre = readExactly(ch, (int) Math.min(12, size), file);
            if (pre.limit() < 10) throw new InvalidFileException(file + ": too short for a .npy file (" + size + " bytes)");
            for (int k = 0; k < MAGIC.length; k++) {
                if (pre.get(k) != MAGIC[k]) throw new InvalidFileException(file + ": not a .npy file (bad magic string)");
            }
            int major = pre.get(6) & 0xFF, minor = pre.get(7) & 0xFF;
            if (minor != 0 || major < 1 || major > 3) {
                throw new InvalidFileException(file + ": unsupported .npy version " + major + "." + minor + " (1.0, 2.0 and 3.0 are read)");
            }
            long headerLen;
            int preamble;
            if (major == 1) {
                headerLen = pre.order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xFFFF;
                preamble = 10;
            } else {
                if (pre.limit() < 12) throw new InvalidFileException(file + ": truncated .npy preamble");
                headerLen = pre.order(ByteOrder.LITTLE_ENDIAN).getInt(8) & 0xFFFF_FFFFL;
                preamble = 12;
            }
            // a UTF-8 character is at most 4 bytes: more bytes than that cannot be within the limit
            if (headerLen > 4L * MAX_HEADER_CHARS) {
                throw new InvalidFileException(file + ": .npy header of " + headerLen + " bytes exceeds " + MAX_HEADER_CHARS + " characters");
            }
            if (preamble + headerLen > size) {
                throw new InvalidFileException(file + ": .npy header length " + headerLen + " runs past the end of the file (" + size + " bytes)");
            }
            ch.position(preamble);
            ByteBuffer hb = readExactly(ch, (int) headerLen, file);
            String text = decodeHeader(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1, file);
            if (text.length() > MAX_HEADER_CHARS) {
                throw new InvalidFileException(file + ": .npy header of " + text.length() + " characters exceeds " + MAX_HEADER_CHARS);
            }
            NpyHeader h = NpyHeader.parse(text, file);
            Encoding enc = encoding(h.descr(), file);
            ByteOrder order = h.descr().charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            long count = 1;
            for (long d : h.shape()) {
                try {
                    count = Math.multiplyExact(count, d);
                } catch (ArithmeticException e) {
                    throw new InvalidFileException(file + ": .npy shape " + Arrays.toString(h.shape()) + " overflows the element count");
                }
            }
            long dataLen = size - preamble - headerLen;
            if (count > Long.MAX_VALUE / enc.size || count * enc.size != dataLen) {
                throw new InvalidFileException(file + ": .npy data is " + dataLen + " bytes but shape " + Arrays.toString(h.shape())
                        + " of " + h.descr() + " needs " + (count > Long.MAX_VALUE / enc.size ? "more than 2^63" : count * enc.size));
            }
            if (!h.fortranOrder() || h.shape().length < 2) return enc.read(ch, count, order, h.shape(), file);
            // Fortran order is C order of the reversed shape, transposed back
            int[] perm = new int[h.shape().length];
            for (int k = 0; k < perm.length; k++) perm[k] = perm.length - 1 - k;
            try (Tensor raw = enc.read(ch, count, order, reverse(h.shape()), file); Tensor view = raw.permute(perm)) {
                Tensor c = view.contiguous();
                return c == view ? view.detach() : c;   // detach: a handle that outlives the closed view
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Writes t (any layout; C order in the file) as a version 1.0 .npy file (2.0 if the header is long). */
    public static void write(Path p, Tensor t) {
        String descr = switch (t.dtype()) {
            case F32 -> "<f4";
            case F64 -> "<f8";
            case I32 -> "<i4";
            case I64 -> "<i8";
            case BOOL -> "|b1";
        };
        byte[] dict = NpyHeader.format(descr, t.shape()).getBytes(StandardCharsets.ISO_8859_1);
        // header padded with spaces and ended by '\n' so that the data starts at a multiple of 64
        int major = 1, preamble = 10;
        int total = (preamble + dict.length + 1 + 63) / 64 * 64;
        if (total - preamble > 65535) {   // version 1.0 stores the header length in 16 bits
            major = 2;
            preamble = 12;
            total = (preamble + dict.length + 1 + 63) / 64 * 64;
        }
        int headerLen = total - preamble;
        ByteBuffer head = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) head.putShort((short) headerLen);
        else head.putInt(headerLen);
        head.put(dict);
        while (head.position() < total - 1) head.put((byte) ' ');
        head.put((byte) '\n').flip();
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (head.hasRemaining()) ch.write(head);
            Encoding.write(t, ch);
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }

    /** descr such as "<f4" → its encoding; object, structured, string and unknown types refused. */
    private static Encoding encoding(String descr, String file) {
        if (descr.startsWith("O") || (descr.length() > 1 && descr.charAt(1) == 'O')) {
            throw new InvalidFileException(file + ": .npy object arrays are refused (reading them would mean unpickling Python objects)");
        }
        if (descr.length() < 3) throw new InvalidFileException(file + ": .npy descr '" + descr + "' is not a dtype");
        char order = descr.charAt(0);
        String type = descr.substring(1);
        if (order != '<' && order != '>' && order != '|' && order != '=') {
            throw new InvalidFileException(file + ": .npy descr '" + descr + "' has no byte order");
        }
        Encoding e = switch (type) {
            case "f4" -> Encoding.F32;
            case "f8" -> Encoding.F64;
            case "i4" -> Encoding.I32;
            case "i8" -> Encoding.I64;
            case "b1" -> Encoding.BOOL;
            case "f2" -> Encoding.F16;
            case "u1" -> Encoding.U8;
            case "i1" -> Encoding.I8;
            case "i2" -> Encoding.I16;
            case "u2" -> Encoding.U16;
            case "u4" -> Encoding.U32;
            default -> throw new InvalidFileException(file + ": .npy dtype '" + descr
                    + "' is not supported (f2, f4, f8, b1, i1, i2, i4, i8, u1, u2, u4 are)");
        };
        if (order == '|' && e.size != 1) throw new InvalidFileException(file + ": .npy descr '" + descr + "' lacks a byte order");
        return e;
    }

    private static String decodeHeader(ByteBuffer hb, java.nio.charset.Charset cs, String file) {
        try {
            return cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(hb).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidFileException(file + ": .npy header is not valid " + cs.name());
        }
    }

    private static ByteBuffer readExactly(FileChannel ch, int n, String file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) throw new InvalidFileException(file + ": ends early");
        }
        return b.flip();
    }

    private static long[] reverse(long[] a) {
        long[] r = new long[a.length];
        for (int k = 0; k < a.length; k++) r[k] = a[a.length - 1 - k];
        return r;
    }
}
