package dev.nabla.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conformance report of one device: a table of op × column (the dtypes, then errors,
 * derivatives, memory) whose cells say pass, FAIL or skip with the reason; the details of every
 * failure and skip; and the closing line {@code N passed, N failed, N skipped}.
 *
 * <pre>{@code
 * Report r = new ConformanceRunner(Device.cpu()).run(Registry.all());
 * System.out.println(r.text());
 * }</pre>
 */
public final class Report {
    static final List<String> COLUMNS = List.of("F32", "F64", "I32", "I64", "BOOL", "errors", "derivatives", "memory");

    private final String device;
    private final List<Result> results = new ArrayList<>();

    public Report(String device) { this.device = device; }

    public synchronized void add(Result r) { results.add(r); }

    public synchronized List<Result> results() { return List.copyOf(results); }

    public synchronized long count(Result.Status s) {
        return results.stream().filter(r -> r.status() == s).count();
    }

    /** The closing line. */
    public String summary() {
        return count(Result.Status.PASS) + " passed, " + count(Result.Status.FAIL) + " failed, "
                + count(Result.Status.SKIP) + " skipped";
    }

    private Map<String, Map<String, List<Result>>> table() {
        Map<String, Map<String, List<Result>>> t = new LinkedHashMap<>();
        for (Result r : results()) {
            t.computeIfAbsent(r.op(), k -> new LinkedHashMap<>()).computeIfAbsent(r.column(), k -> new ArrayList<>()).add(r);
        }
        return t;
    }

    private static String cell(List<Result> rs) {
        if (rs == null || rs.isEmpty()) return "—";
        long fail = rs.stream().filter(r -> r.status() == Result.Status.FAIL).count();
        long skip = rs.stream().filter(r -> r.status() == Result.Status.SKIP).count();
        if (fail > 0) return "FAIL (" + fail + "/" + rs.size() + ")";
        if (skip == rs.size()) return "skip: " + rs.get(0).detail();
        return skip == 0 ? "pass" : "pass, " + skip + " skip";
    }

    /** Markdown: the table, the failures and skips, the closing line. */
    public String markdown() {
        StringBuilder sb = new StringBuilder("# Conformance: " + device + "\n\n");
        sb.append("| op | ").append(String.join(" | ", COLUMNS)).append(" |\n|---|");
        sb.append("---|".repeat(COLUMNS.size())).append('\n');
        table().forEach((op, cols) -> {
            sb.append("| ").append(op);
            for (String c : COLUMNS) sb.append(" | ").append(cell(cols.get(c)).replace("|", "\\|"));
            sb.append(" |\n");
        });
        details(sb, "- ");
        sb.append('\n').append(summary()).append('\n');
        return sb.toString();
    }

    /** Plain text for a terminal: the same table in fixed-width columns. */
    public String text() {
        int w0 = 14, w = 13;
        StringBuilder sb = new StringBuilder("conformance: " + device + "\n");
        sb.append(pad("op", w0));
        for (String c : COLUMNS) sb.append(pad(c, w));
        sb.append('\n');
        table().forEach((op, cols) -> {
            sb.append(pad(op, w0));
            for (String c : COLUMNS) sb.append(pad(cell(cols.get(c)), w));
            sb.append('\n');
        });
        details(sb, "  ");
        sb.append(summary()).append('\n');
        return sb.toString();
    }

    private void details(StringBuilder sb, String bullet) {
        List<Result> notPassed = results().stream().filter(r -> r.status() != Result.Status.PASS).toList();
        if (notPassed.isEmpty()) return;
        sb.append("\nFailures and skips:\n\n");
        for (Result r : notPassed) {
            sb.append(bullet).append(r.status()).append(' ').append(r.op()).append(' ').append(r.column()).append(' ')
                    .append(r.check()).append(": ").append(r.detail()).append('\n');
        }
    }

    private static String pad(String s, int w) {
        if (s.length() >= w) s = s.substring(0, w - 2) + "…";
        return s + " ".repeat(w - s.length());
    }
}
