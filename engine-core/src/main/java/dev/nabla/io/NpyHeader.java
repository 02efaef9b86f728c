package dev.nabla.io;

import dev.nabla.InvalidFileException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of a .npy file, a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}, parsed by a strict grammar
 * rather than evaluated: strings without escapes, True/False, non-negative decimal integers and
 * tuples of them; exactly the keys descr, fortran_order and shape, each once; nothing after the
 * closing brace but whitespace.
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {

    static NpyHeader parse(String text, String file) {
        return new Parser(text, file).header();
    }

    /** The header dict as numpy writes it. */
    static String format(String descr, long[] shape) {
        StringBuilder s = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) s.append(i > 0 ? ", " : "").append(shape[i]);
        if (shape.length == 1) s.append(',');
        return s.append("), }").toString();
    }

    private static final class Parser {
        private final String s;
        private final String file;
        private int i;

        Parser(String s, String file) {
            this.s = s;
            this.file = file;
        }

        private InvalidFileException error(String what) {
            return new InvalidFileException(file + ": .npy header " + what + " at character " + i + " of " + s.length());
        }

        private void skipSpace() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n' || s.charAt(i) == '\r')) i++;
        }

        private boolean peek(char c) {
            skipSpace();
            return i < s.length() && s.charAt(i) == c;
        }

        private void expect(char c) {
            if (!peek(c)) throw error("expected '" + c + "'");
            i++;
        }

        NpyHeader header() {
            Map<String, Object> entries = new LinkedHashMap<>();
            expect('{');
            while (!peek('}')) {
                String key = string();
                expect(':');
                Object value = value();
                if (entries.containsKey(key)) throw error("repeats the key '" + key + "'");
                entries.put(key, value);
                if (!peek(',')) break;
                i++;
            }
            expect('}');
            skipSpace();
            if (i != s.length()) throw error("has text after the closing brace");
            if (!entries.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
                throw new InvalidFileException(file + ": .npy header keys must be exactly descr, fortran_order and shape, got "
                        + entries.keySet());
            }
            if (!(entries.get("descr") instanceof String descr)) {
                throw new InvalidFileException(file + ": .npy descr must be a string (structured dtypes are not supported)");
            }
            if (!(entries.get("fortran_order") instanceof Boolean fortran)) {
                throw new InvalidFileException(file + ": .npy fortran_order must be True or False");
            }
            if (!(entries.get("shape") instanceof long[] shape)) {
                throw new InvalidFileException(file + ": .npy shape must be a tuple of integers");
            }
            return new NpyHeader(descr, fortran, shape);
        }

        private Object value() {
            skipSpace();
            if (i >= s.length()) throw error("ends inside a value");
            char c = s.charAt(i);
            if (c == '\'' || c == '"') return string();
            if (c == '(') return tuple();
            if (s.startsWith("True", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (c == '[') throw error("has a list where a string, boolean or tuple was expected (structured dtypes are not supported)");
            throw error("has an unexpected value");
        }

        private String string() {
            skipSpace();
            if (i >= s.length() || (s.charAt(i) != '\'' && s.charAt(i) != '"')) throw error("expected a quoted string");
            char q = s.charAt(i++);
            int start = i;
            while (i < s.length() && s.charAt(i) != q) {
                char c = s.charAt(i);
                if (c == '\\' || c == '\n') throw error("has an escape or line break inside a string");
                i++;
            }
            if (i >= s.length()) throw error("has an unterminated string");
            return s.substring(start, i++);
        }

        private long[] tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            boolean comma = false;
            while (!peek(')')) {
                dims.add(integer());
                comma = peek(',');
                if (!comma) break;
                i++;
            }
            expect(')');
            if (dims.size() == 1 && !comma) throw error("has (n) without a comma, which is not a tuple");
            long[] out = new long[dims.size()];
            for (int k = 0; k < out.length; k++) out[k] = dims.get(k);
            return out;
        }

        private long integer() {
            skipSpace();
            int start = i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
            if (i == start) throw error("expected a non-negative integer");
            if (i - start > 1 && s.charAt(start) == '0') throw error("has an integer with a leading zero");
            if (i - start > 18) throw error("has a dimension too large");
            return Long.parseLong(s, start, i, 10);
        }
    }
}
