package dev.nabla.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The targets, each with the figure it was checked against: sections add rows while they
 * render, and the report puts the table first. Pass/fail compares the point estimate; the error
 * is shown so a close call can be read as one.
 */
final class Targets {

    /** One target: what is compared, the measured value, the bound, and whether it holds. */
    record Row(String target, String measured, String bound, String result) {}

    private final List<Row> rows = new ArrayList<>();

    /** value ≥ min passes. */
    void atLeast(String target, Timing value, double min, String unit) {
        add(target, value, "≥ " + Fmt.sig(min) + unit, value == null ? null : value.seconds() >= min, unit);
    }

    /** value ≤ max passes. */
    void atMost(String target, Timing value, double max, String unit) {
        add(target, value, "≤ " + Fmt.sig(max) + unit, value == null ? null : value.seconds() <= max, unit);
    }

    private void add(String target, Timing value, String bound, Boolean pass, String unit) {
        String measured = value == null ? "not measured" : Fmt.value(value) + unit;
        rows.add(new Row(target, measured, bound, pass == null ? "-" : pass ? "pass" : "**fail**"));
    }

    long failures() {
        return rows.stream().filter(r -> r.result().equals("**fail**")).count();
    }

    String section() {
        StringBuilder md = new StringBuilder("## Targets\n\n");
        md.append("Every target of the CPU-speed issue against this run's figures (sections below give the detail). ")
          .append("Ratios are nabla's throughput over the peer's: above 1 when nabla is faster. ")
          .append(failures()).append(" of ").append(rows.size()).append(" not met.\n\n");
        md.append("| Target | Measured | Required | Result |\n|---|---:|---:|---|\n");
        for (Row r : rows) {
            md.append("| ").append(r.target()).append(" | ").append(r.measured()).append(" | ").append(r.bound())
              .append(" | ").append(r.result()).append(" |\n");
        }
        return md.toString();
    }
}
