package dev.nabla;

/** Conversions between the host arrays that stand for each dtype (float[], double[], int[], long[], boolean[]). */
final class HostArrays {
    private HostArrays() {}

    static Object empty(DType t, int n) {
        return switch (t) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            case I32 -> new int[n];
            case I64 -> new long[n];
            case BOOL -> new boolean[n];
        };
    }

    static double get(Object a, int i) {
        return switch (a) {
            case float[] f -> f[i];
            case double[] d -> d[i];
            case int[] x -> x[i];
            case long[] l -> l[i];
            case boolean[] b -> b[i] ? 1 : 0;
            default -> throw new IllegalArgumentException("not a host array: " + a.getClass());
        };
    }

    /** The array converted elementwise with the engine's cast rules (float to int truncates, nonzero is true). */
    static Object convert(Object src, DType to) {
        int n = java.lang.reflect.Array.getLength(src);
        switch (to) {
            case F32 -> {
                float[] o = new float[n];
                switch (src) {
                    case double[] d -> { for (int i = 0; i < n; i++) o[i] = (float) d[i]; }
                    case long[] l -> { for (int i = 0; i < n; i++) o[i] = (float) l[i]; }
                    case int[] x -> { for (int i = 0; i < n; i++) o[i] = (float) x[i]; }
                    default -> { for (int i = 0; i < n; i++) o[i] = (float) get(src, i); }
                }
                return o;
            }
            case F64 -> {
                double[] o = new double[n];
                switch (src) {
                    case long[] l -> { for (int i = 0; i < n; i++) o[i] = (double) l[i]; }
                    default -> { for (int i = 0; i < n; i++) o[i] = get(src, i); }
                }
                return o;
            }
            case I32 -> {
                int[] o = new int[n];
                switch (src) {
                    case long[] l -> { for (int i = 0; i < n; i++) o[i] = (int) l[i]; }
                    case float[] f -> { for (int i = 0; i < n; i++) o[i] = (int) f[i]; }
                    default -> { for (int i = 0; i < n; i++) o[i] = (int) get(src, i); }
                }
                return o;
            }
            case I64 -> {
                long[] o = new long[n];
                switch (src) {
                    case float[] f -> { for (int i = 0; i < n; i++) o[i] = (long) f[i]; }
                    case double[] d -> { for (int i = 0; i < n; i++) o[i] = (long) d[i]; }
                    case int[] x -> { for (int i = 0; i < n; i++) o[i] = x[i]; }
                    case boolean[] b -> { for (int i = 0; i < n; i++) o[i] = b[i] ? 1 : 0; }
                    default -> { for (int i = 0; i < n; i++) o[i] = ((long[]) src)[i]; }
                }
                return o;
            }
            case BOOL -> {
                boolean[] o = new boolean[n];
                switch (src) {
                    case long[] l -> { for (int i = 0; i < n; i++) o[i] = l[i] != 0; }
                    case int[] x -> { for (int i = 0; i < n; i++) o[i] = x[i] != 0; }
                    case float[] f -> { for (int i = 0; i < n; i++) o[i] = f[i] != 0; }   // NaN != 0 is true
                    case double[] d -> { for (int i = 0; i < n; i++) o[i] = d[i] != 0; }
                    default -> System.arraycopy(src, 0, o, 0, n);
                }
                return o;
            }
        }
        throw new AssertionError(to);
    }
}
