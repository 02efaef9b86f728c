package dev.nabla.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.nabla.InvalidFileException;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON header of a safetensors file, parsed with Jackson's streaming parser into
 * {@code name → (dtype, shape, data_offsets)} plus the optional {@code __metadata__} string map,
 * then validated as the reference loader does: offsets contiguous from 0 without holes or overlap,
 * shape products without overflow, each byte range exactly the dtype size times the element count,
 * and the last range ending at the end of the file.
 */
final class SafeTensorsHeader {
    private SafeTensorsHeader() {}

    /** One tensor's entry; begin and end are offsets in the data buffer that follows the header. */
    record Entry(String name, String dtype, Encoding encoding, long[] shape, long count, long begin, long end) {}

    /** Names above the tensors' nesting, e.g. "{"a": {"b": ...}}", never occur: depth 3 is plenty. */
    private static final JsonFactory JSON = new JsonFactoryBuilder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxNumberLength(64).build())
            .build();

    static Map<String, Entry> parse(String json, long bufferLength, String file) {
        if (!json.startsWith("{")) throw new InvalidFileException(file + ": safetensors header does not start with '{'");
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "the header must be an object", file);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!names.add(name)) throw new InvalidFileException(file + ": safetensors header names '" + name + "' twice");
                p.nextToken();
                if (name.equals("__metadata__")) {
                    metadata(p, file);
                } else {
                    entries.add(entry(p, name, file));
                }
            }
            expect(p.currentToken(), JsonToken.END_OBJECT, "the header object is not closed", file);
            if (p.nextToken() != null) throw new InvalidFileException(file + ": safetensors header has text after its object");
        } catch (JacksonException e) {
            throw new InvalidFileException(file + ": safetensors header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidFileException(file + ": safetensors header could not be parsed: " + e.getMessage(), e);
        }
        validate(entries, bufferLength, file);
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Entry e : entries) out.put(e.name(), e);
        return out;
    }

    private static void metadata(JsonParser p, String file) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) return;
        expect(p.currentToken(), JsonToken.START_OBJECT, "__metadata__ must be an object of strings", file);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            expect(p.nextToken(), JsonToken.VALUE_STRING, "__metadata__ values must be strings", file);
        }
    }

    private static Entry entry(JsonParser p, String name, String file) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT, "tensor '" + name + "' must be an object", file);
        String dtype = null;
        long[] shape = null, offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            switch (key) {
                case "dtype" -> {
                    if (dtype != null) throw duplicate(name, key, file);
                    expect(t, JsonToken.VALUE_STRING, "tensor '" + name + "': dtype must be a string", file);
                    dtype = p.getText();
                }
                case "shape" -> {
                    if (shape != null) throw duplicate(name, key, file);
                    shape = integers(p, name, key, file);
                }
                case "data_offsets" -> {
                    if (offsets != null) throw duplicate(name, key, file);
                    offsets = integers(p, name, key, file);
                    if (offsets.length != 2) {
                        throw new InvalidFileException(file + ": tensor '" + name + "': data_offsets must be [begin, end]");
                    }
                }
                default -> throw new InvalidFileException(file + ": tensor '" + name + "' has an unknown key '" + key + "'");
            }
        }
        if (dtype == null || shape == null || offsets == null) {
            throw new InvalidFileException(file + ": tensor '" + name + "' needs dtype, shape and data_offsets");
        }
        Encoding enc = encoding(dtype, name, file);
        long count = 1;
        for (long d : shape) {
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                throw new InvalidFileException(file + ": tensor '" + name + "': shape " + Arrays.toString(shape) + " overflows the element count");
            }
        }
        return new Entry(name, dtype, enc, shape, count, offsets[0], offsets[1]);
    }

    private static long[] integers(JsonParser p, String name, String key, String file) throws IOException {
        expect(p.currentToken(), JsonToken.START_ARRAY, "tensor '" + name + "': " + key + " must be an array of integers", file);
        List<Long> values = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
                throw new InvalidFileException(file + ": tensor '" + name + "': " + key + " must hold non-negative 64-bit integers");
            }
            if (values.size() >= 64) throw new InvalidFileException(file + ": tensor '" + name + "': " + key + " has more than 64 entries");
            values.add(p.getLongValue());
        }
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = values.get(i);
        return out;
    }

    private static Encoding encoding(String dtype, String name, String file) {
        return switch (dtype) {
            case "F32" -> Encoding.F32;
            case "F64" -> Encoding.F64;
            case "I32" -> Encoding.I32;
            case "I64" -> Encoding.I64;
            case "BOOL" -> Encoding.BOOL;
            case "F16" -> Encoding.F16;
            case "BF16" -> Encoding.BF16;
            case "U8" -> Encoding.U8;
            case "I8" -> Encoding.I8;
            case "I16" -> Encoding.I16;
            case "U16" -> Encoding.U16;
            case "U32" -> Encoding.U32;
            default -> throw new InvalidFileException(file + ": tensor '" + name + "' has dtype '" + dtype
                    + "', which nabla does not read (F32 F64 I32 I64 BOOL F16 BF16 U8 I8 I16 U16 U32)");
        };
    }

    /** The reference loader's checks, in its order: sorted by offsets, each range starting where the last ended. */
    private static void validate(List<Entry> entries, long bufferLength, String file) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long start = 0;
        for (Entry e : sorted) {
            if (e.begin() != start || e.end() < e.begin()) {
                throw new InvalidFileException(file + ": tensor '" + e.name() + "' has data_offsets [" + e.begin() + ", " + e.end()
                        + "] but the previous tensor ends at " + start + " (ranges must be contiguous, without holes or overlap)");
            }
            start = e.end();
            if (e.count() > Long.MAX_VALUE / e.encoding().size) {
                throw new InvalidFileException(file + ": tensor '" + e.name() + "': byte size of shape " + Arrays.toString(e.shape()) + " overflows");
            }
            long bytes = e.count() * e.encoding().size;
            if (e.end() - e.begin() != bytes) {
                throw new InvalidFileException(file + ": tensor '" + e.name() + "' of " + e.dtype() + " " + Arrays.toString(e.shape())
                        + " needs " + bytes + " bytes but data_offsets span " + (e.end() - e.begin()));
            }
        }
        if (start != bufferLength) {
            throw new InvalidFileException(file + ": the tensors cover " + start + " bytes of data but the file holds " + bufferLength
                    + " after the header");
        }
    }

    private static void expect(JsonToken got, JsonToken want, String what, String file) {
        if (got != want) throw new InvalidFileException(file + ": safetensors header: " + what);
    }

    private static InvalidFileException duplicate(String name, String key, String file) {
        return new InvalidFileException(file + ": tensor '" + name + "' repeats the key '" + key + "'");
    }

    /** The header JSON for tensors laid out back to back in the given order. */
    static String format(List<Entry> entries, Map<String, String> metadata) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            if (metadata != null && !metadata.isEmpty()) {
                g.writeObjectFieldStart("__metadata__");
                for (Map.Entry<String, String> m : metadata.entrySet()) g.writeStringField(m.getKey(), m.getValue());
                g.writeEndObject();
            }
            for (Entry e : entries) {
                g.writeObjectFieldStart(e.name());
                g.writeStringField("dtype", e.dtype());
                g.writeArrayFieldStart("shape");
                for (long d : e.shape()) g.writeNumber(d);
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(e.begin());
                g.writeNumber(e.end());
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("safetensors: writing JSON to a string failed", e);
        }
        return w.toString();
    }
}
