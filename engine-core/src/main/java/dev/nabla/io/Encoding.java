package dev.nabla.io;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.InvalidFileException;
import dev.nabla.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * How elements are laid out in a file, and the engine dtype each is read into: the five engine
 * dtypes as themselves, half precisions widened to F32, narrow integers to I32 and U32 to I64.
 * Reading goes through a fixed-size buffer into the destination array, so no allocation is larger
 * than the data, and the data's size has been checked against the file before.
 */
enum Encoding {
    F32(4, DType.F32), F64(8, DType.F64), I32(4, DType.I32), I64(8, DType.I64), BOOL(1, DType.BOOL),
    F16(2, DType.F32), BF16(2, DType.F32), U8(1, DType.I32), I8(1, DType.I32), I16(2, DType.I32),
    U16(2, DType.I32), U32(4, DType.I64);

    private static final int CHUNK = 1 << 20;

    final int size;
    final DType target;

    Encoding(int size, DType target) {
        this.size = size;
        this.target = target;
    }

    /** The encoding nabla writes for an engine dtype. */
    static Encoding of(DType t) {
        return switch (t) {
            case F32 -> F32;
            case F64 -> F64;
            case I32 -> I32;
            case I64 -> I64;
            case BOOL -> BOOL;
        };
    }

    /**
     * Reads count elements from the channel's position into a tensor of the given shape (CPU, then
     * moved to the default device). The caller has checked count·size against the file's length.
     */
    Tensor read(ReadableByteChannel in, long count, ByteOrder order, long[] shape, String file) throws IOException {
        if (count > Integer.MAX_VALUE - 8) {
            throw new InvalidFileException(file + ": " + count + " elements do not fit one array (at most " + (Integer.MAX_VALUE - 8) + ")");
        }
        int n = (int) count;
        Object host = switch (target) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            case I32 -> new int[n];
            case I64 -> new long[n];
            case BOOL -> new boolean[n];
        };
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min((long) CHUNK, Math.max(1L, count * size))).order(order);
        int done = 0;
        while (done < n) {
            int k = Math.min(n - done, buf.capacity() / size);
            buf.clear().limit(k * size);
            while (buf.hasRemaining()) {
                if (in.read(buf) < 0) throw new InvalidFileException(file + ": data ends early (file shorter than its header says)");
            }
            buf.flip();
            decode(buf, host, done, k);
            done += k;
        }
        // Tensor.of reads an empty shape as "1-D": a 0-d tensor is made as [1] and reshaped
        long[] s = shape.length == 0 ? new long[] {1} : shape;
        Tensor made = switch (host) {
            case float[] a -> Tensor.of(DType.F32, Device.cpu(), a, s);
            case double[] a -> Tensor.of(DType.F64, Device.cpu(), a, s);
            case int[] a -> Tensor.of(DType.I32, Device.cpu(), a, s);
            case long[] a -> Tensor.of(DType.I64, Device.cpu(), a, s);
            case boolean[] a -> Tensor.of(DType.BOOL, Device.cpu(), a, s);
            default -> throw new IllegalStateException();
        };
        Tensor cpu = made;
        if (shape.length == 0) {
            try (made) {
                cpu = made.reshape();
            }
        }
        Device d = Device.defaultDevice();
        if (d.equals(Device.cpu())) return cpu;
        try (Tensor host0 = cpu) {
            return host0.to(d);
        }
    }

    private void decode(ByteBuffer b, Object host, int at, int k) {
        switch (this) {
            case F32 -> b.asFloatBuffer().get((float[]) host, at, k);
            case F64 -> b.asDoubleBuffer().get((double[]) host, at, k);
            case I32 -> b.asIntBuffer().get((int[]) host, at, k);
            case I64 -> b.asLongBuffer().get((long[]) host, at, k);
            case BOOL -> { boolean[] a = (boolean[]) host; for (int i = 0; i < k; i++) a[at + i] = b.get() != 0; }
            case F16 -> { float[] a = (float[]) host; for (int i = 0; i < k; i++) a[at + i] = Float.float16ToFloat(b.getShort()); }
            case BF16 -> { float[] a = (float[]) host; for (int i = 0; i < k; i++) a[at + i] = Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16); }
            case U8 -> { int[] a = (int[]) host; for (int i = 0; i < k; i++) a[at + i] = b.get() & 0xFF; }
            case I8 -> { int[] a = (int[]) host; for (int i = 0; i < k; i++) a[at + i] = b.get(); }
            case I16 -> { int[] a = (int[]) host; for (int i = 0; i < k; i++) a[at + i] = b.getShort(); }
            case U16 -> { int[] a = (int[]) host; for (int i = 0; i < k; i++) a[at + i] = b.getShort() & 0xFFFF; }
            case U32 -> { long[] a = (long[]) host; for (int i = 0; i < k; i++) a[at + i] = b.getInt() & 0xFFFF_FFFFL; }
        }
    }

    /** Writes t's elements in row-major order, little-endian, in its own dtype's encoding. */
    static void write(Tensor t, WritableByteChannel out) throws IOException {
        Encoding e = of(t.dtype());
        Object host = switch (t.dtype()) {
            case F32 -> t.toFloatArray();
            case F64 -> t.toDoubleArray();
            case I32 -> t.toIntArray();
            case I64 -> t.toLongArray();
            case BOOL -> t.toBooleanArray();
        };
        int n = java.lang.reflect.Array.getLength(host);
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min((long) CHUNK, Math.max(1L, (long) n * e.size))).order(ByteOrder.LITTLE_ENDIAN);
        int done = 0;
        while (done < n) {
            int k = Math.min(n - done, buf.capacity() / e.size);
            buf.clear();
            switch (host) {
                case float[] a -> buf.asFloatBuffer().put(a, done, k);
                case double[] a -> buf.asDoubleBuffer().put(a, done, k);
                case int[] a -> buf.asIntBuffer().put(a, done, k);
                case long[] a -> buf.asLongBuffer().put(a, done, k);
                case boolean[] a -> { for (int i = 0; i < k; i++) buf.put(i, (byte) (a[done + i] ? 1 : 0)); }
                default -> throw new IllegalStateException();
            }
            buf.limit(k * e.size);
            while (buf.hasRemaining()) out.write(buf);
            done += k;
        }
    }
}
