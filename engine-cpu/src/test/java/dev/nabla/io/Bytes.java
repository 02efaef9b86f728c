package dev.nabla.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds file contents byte by byte from the formats' specifications, independently of the writers. */
final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Bytes raw(int... bytes) {
        for (int b : bytes) out.write(b);
        return this;
    }

    Bytes ascii(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    Bytes utf8(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    Bytes u16le(int v) { return put(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) v)); }
    Bytes u32le(long v) { return put(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v)); }
    Bytes u64le(long v) { return put(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v)); }
    Bytes u32be(long v) { return put(ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt((int) v)); }

    Bytes f32(ByteOrder o, float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(o);
        for (float x : v) b.putFloat(x);
        return put(b);
    }

    Bytes f64(ByteOrder o, double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(o);
        for (double x : v) b.putDouble(x);
        return put(b);
    }

    Bytes i32(ByteOrder o, int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(o);
        for (int x : v) b.putInt(x);
        return put(b);
    }

    Bytes i64(ByteOrder o, long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(o);
        for (long x : v) b.putLong(x);
        return put(b);
    }

    Bytes i16(ByteOrder o, int... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(o);
        for (int x : v) b.putShort((short) x);
        return put(b);
    }

    private Bytes put(ByteBuffer b) {
        out.writeBytes(b.array());
        return this;
    }

    int size() { return out.size(); }

    byte[] bytes() { return out.toByteArray(); }

    /** A .npy file: magic, version major.0, header length (16 bits for v1, 32 for v2/v3), the header. */
    static Bytes npy(int major, String header) {
        Bytes b = new Bytes().raw(0x93).ascii("NUMPY").raw(major, 0);
        byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        if (major == 1) b.u16le(h.length);
        else b.u32le(h.length);
        b.out.writeBytes(h);
        return b;
    }

    /** A safetensors file's first part: the 8-byte header length and the JSON. */
    static Bytes safetensors(String json) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        Bytes b = new Bytes().u64le(h.length);
        b.out.writeBytes(h);
        return b;
    }
}
