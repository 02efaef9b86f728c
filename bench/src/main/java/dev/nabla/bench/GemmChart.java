package dev.nabla.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The PNG chart of square F32 GEMM throughput against n: nabla, PyTorch (DJL), numpy, and the peak. */
final class GemmChart {
    private GemmChart() {}

    /** Writes the chart; returns false (nothing written) when no square case was measured. */
    static boolean write(Results r, Ceilings ceilings, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(800).height(500)
                .title("F32 matmul [n, n] @ [n, n], " + Runtime.getRuntime().availableProcessors() + " cores")
                .xAxisTitle("n").yAxisTitle("GFLOP/s").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        boolean any = false;
        any |= series(chart, "nabla", r, c -> GemmSection.nabla(r, c));
        any |= series(chart, "PyTorch " + DjlPeer.pytorchVersion() + " (DJL)", r, c -> GemmSection.torch(r, c));
        any |= series(chart, "numpy (OpenBLAS)", r, c -> GemmSection.numpy(r, c));
        if (!any) return false;
        if (ceilings.peakAll() != null) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (String name : GemmCase.ALL) {
                GemmCase c = GemmCase.parse(name);
                if (c.squareN() > 0) {
                    xs.add((double) c.squareN());
                    ys.add(ceilings.peakAll().seconds());
                }
            }
            XYSeries peak = chart.addSeries("FMA peak (Vector API, all cores)", xs, ys);
            peak.setMarker(SeriesMarkers.NONE);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }

    private static boolean series(XYChart chart, String label, Results r,
                                  java.util.function.Function<GemmCase, Timing> time) {
        List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (String name : GemmCase.ALL) {
            GemmCase c = GemmCase.parse(name);
            Timing t = time.apply(c);
            if (c.squareN() > 0 && t != null) {
                xs.add((double) c.squareN());
                ys.add(c.flops() / t.seconds() / 1e9);
            }
        }
        if (xs.isEmpty()) return false;
        chart.addSeries(label, xs, ys);
        return true;
    }
}
