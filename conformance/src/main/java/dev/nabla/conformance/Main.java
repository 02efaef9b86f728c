package dev.nabla.conformance;

import dev.nabla.Device;
import dev.nabla.DeviceStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./nabla conformance [device ...] [--out DIR]}: runs the whole suite on each device (by default
 * every available one), prints the per-op table and writes it as Markdown to
 * {@code DIR/conformance-<device>.md} (DIR defaults to {@code target}). The last line is the total
 * {@code N passed, N failed, N skipped}; the exit status is 1 if anything failed or a device is
 * unusable.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws IOException {
        List<Device> devices = new ArrayList<>();
        Path dir = Path.of("target");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) dir = Path.of(args[++i]);
            else devices.add(Device.parse(args[i]));
        }
        boolean bad = false;
        if (devices.isEmpty()) {
            for (DeviceStatus s : Device.probe()) {
                if (s.available()) devices.add(s.device());
                else System.out.println("skipping " + s);
            }
        }
        long pass = 0, fail = 0, skip = 0;
        Files.createDirectories(dir);
        for (Device d : devices) {
            Report r;
            try {
                r = new ConformanceRunner(d).run(Registry.all());
            } catch (RuntimeException e) {
                System.out.println(d + ": unusable: " + e.getMessage());
                bad = true;
                continue;
            }
            Path md = dir.resolve("conformance-" + d.toString().replace(':', '-') + ".md");
            Files.writeString(md, r.markdown());
            System.out.println(r.text());
            System.out.println(d + ": " + r.summary() + " (Markdown: " + md + ")\n");
            pass += r.count(Result.Status.PASS);
            fail += r.count(Result.Status.FAIL);
            skip += r.count(Result.Status.SKIP);
        }
        System.out.println(pass + " passed, " + fail + " failed, " + skip + " skipped");
        System.exit(fail > 0 || bad ? 1 : 0);
    }
}
