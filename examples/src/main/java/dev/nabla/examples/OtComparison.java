package dev.nabla.examples;

import dev.nabla.Device;
import dev.nabla.DeviceStatus;
import dev.nabla.data.Mnist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./nabla ot}: the SNS paper's comparison of Sinkhorn and Sinkhorn-Newton-Sparse on every
 * problem of {@link OtProblemSet#standard} and every device given (default: cpu and opencl:0 when
 * available): iterations and wall time of each to the same marginal error, the plot of error
 * against iteration and time, a report in {@code runs/ot-<time>/}, and the table in the
 * "Optimal transport" section of {@code examples/RESULTS.md} (between its markers; the rest of the
 * file is left alone).
 *
 * <pre>{@code
 * ./nabla ot                                  # everything, about 3 minutes on 2 idle cores
 * ./nabla ot --devices cpu --budget 20        # Sinkhorn stops after 20 s per problem
 * }</pre>
 *
 * Options: --quick (the tour's one small problem), --devices LIST, --target E (marginal error, default
 * 1e-10), --budget S (Sinkhorn's seconds per problem and device, default 30), --max-sinkhorn N
 * (default 20000), --data DIR (Fashion-MNIST), --out DIR, --results FILE (default
 * examples/RESULTS.md; "none" to leave it).
 */
public final class OtComparison {
    private OtComparison() {}

    static final String BEGIN = "<!-- ot-comparison:begin -->", END = "<!-- ot-comparison:end -->";

    public static void main(String[] argv) {
        System.setProperty("java.awt.headless", "true");
        boolean quick = false;
        List<Device> devices = null;
        double target = 1e-10, budget = 30;
        int maxSinkhorn = 20_000;
        Path data = null, out = Path.of("runs"), results = Path.of("examples/RESULTS.md");
        try {
            for (int i = 0; i < argv.length; i++) {
                switch (argv[i]) {
                    case "--quick" -> quick = true;
                    case "--devices" -> devices = java.util.Arrays.stream(argv[++i].split(",")).map(Device::parse).toList();
                    case "--target" -> target = Double.parseDouble(argv[++i]);
                    case "--budget" -> budget = Double.parseDouble(argv[++i]);
                    case "--max-sinkhorn" -> maxSinkhorn = Integer.parseInt(argv[++i]);
                    case "--data" -> data = Path.of(argv[++i]);
                    case "--out" -> out = Path.of(argv[++i]);
                    case "--results" -> {
                        String v = argv[++i];
                        results = v.equals("none") ? null : Path.of(v);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + argv[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("ot: " + e.getMessage());
            System.err.println("usage: ./nabla ot [--quick] [--devices cpu,opencl:0] [--target E] [--budget S] [--max-sinkhorn N]"
                    + " [--data DIR] [--out DIR] [--results FILE|none]");
            System.exit(2);
        }
        if (devices == null) devices = defaultDevices();
        Path folder = folder(out);
        List<OtProblemSet> problems;
        try (FashionMnistSource source = FashionMnistSource.load(data, false)) {
            problems = OtProblemSet.standard(quick, source.test());
            if (!quick) System.out.println("Fashion-MNIST: " + source.description() + "; test images 0 and 1");
        }
        List<OtDemo.Comparison> rows = new ArrayList<>();
        long t0 = System.nanoTime();
        for (OtProblemSet p : problems) {
            for (Device d : devices) {
                System.out.printf(Locale.ROOT, "%s, eta %.0f, on %s ...%n", p.name(), p.eta(), d);
                OtDemo.Comparison c = OtDemo.run(p, d, target, maxSinkhorn, budget);
                rows.add(c);
                System.out.println("   " + OtDemo.table(List.of(c)).getLast());
            }
        }
        List<String> table = OtDemo.table(rows);
        Path png = folder.resolve("ot-convergence.png");
        OtPlot.write(png, rows);
        String section = section(table, rows, target, budget, maxSinkhorn, shownArgs(argv));
        write(folder.resolve("report.md"), "# Sinkhorn against Sinkhorn-Newton-Sparse\n\n" + section);
        if (results != null && !quick) {
            Path copy = results.resolveSibling("ot-convergence.png");
            try {
                Files.copy(png, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            updateResults(results, section);
            System.out.println("table in " + results + ", plot " + copy);
        }
        System.out.println();
        table.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "%nRun folder: %s (%.0f s in all)%n", folder.toAbsolutePath(), (System.nanoTime() - t0) / 1e9);
    }

    /** The arguments as the user typed them: without the --results FILE that the launcher adds. */
    static String shownArgs(String[] argv) {
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            if (argv[i].equals("--results") && i + 1 < argv.length && !argv[i + 1].equals("none")) i++;
            else shown.add(argv[i]);
        }
        return String.join(" ", shown);
    }

    private static List<Device> defaultDevices() {
        List<Device> d = new ArrayList<>(List.of(Device.cpu()));
        for (DeviceStatus s : Device.probe()) if (s.available() && s.device().equals(Device.opencl(0))) d.add(s.device());
        return d;
    }

    private static Path folder(Path out) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        try {
            return Files.createDirectories(out.resolve("ot-" + stamp));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String section(List<String> table, List<OtDemo.Comparison> rows, double target, double budget, int maxSinkhorn, String args) {
        StringBuilder s = new StringBuilder();
        String cpu = System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores";
        s.append(String.format(Locale.ROOT, "Command: `./nabla ot%s` (%s; %s, Java %s). Every problem in float64, "
                        + "both solvers to a marginal error ‖P1 − r‖₁ + ‖Pᵀ1 − c‖₁ of %.0e; Sinkhorn (log domain) stops there, after %d "
                        + "iterations or after %.0f s; SNS takes 20 Sinkhorn steps, then Newton steps with the plan sparsified to "
                        + "λn² entries (λ = 2/n; 15/n for the L1 image cost, as in the paper). Times are wall time after one "
                        + "untimed warm-up solve; the iteration counts include SNS's 20 Sinkhorn steps. \"> N\" means Sinkhorn's "
                        + "iteration or time budget ran out first (its ratio is then a lower bound); \"SNS to Sinkhorn's last error\" "
                        + "is where SNS got to Sinkhorn's final error. opencl:0 is PoCL, OpenCL compiled for the same CPU cores: "
                        + "the same problems at full size, to show the shared kernels run, not what a GPU does.%n%n",
                args.isEmpty() ? "" : " " + args, LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd")), cpu,
                Runtime.version(), target, maxSinkhorn, budget));
        for (String line : table) s.append(line).append('\n');
        s.append("\n![marginal error against iteration and time](ot-convergence.png)\n");
        return s.toString();
    }

    /** Replaces the text between the markers (adding a section with them at the end when absent). */
    static void updateResults(Path results, String section) {
        try {
            String old = Files.exists(results) ? Files.readString(results) : "# nabla examples: results\n";
            String block = BEGIN + "\n" + section + END;
            int b = old.indexOf(BEGIN), e = old.indexOf(END);
            String updated = b >= 0 && e > b ? old.substring(0, b) + block + old.substring(e + END.length())
                    : old + (old.endsWith("\n") ? "" : "\n") + "\n## Optimal transport: Sinkhorn against Sinkhorn-Newton-Sparse\n\n" + block + "\n";
            Files.writeString(results, updated);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void write(Path p, String text) {
        try {
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
