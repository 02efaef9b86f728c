package dev.nabla.conformance;

/** The outcome of one check: pass, fail (with what differed) or skip (with why). */
public record Result(String op, String column, String check, Status status, String detail) {
    public enum Status { PASS, FAIL, SKIP }

    @Override
    public String toString() {
        return op + " " + column + " " + check + ": " + status + (detail == null ? "" : " (" + detail + ")");
    }
}
