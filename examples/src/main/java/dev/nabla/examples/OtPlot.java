package dev.nabla.examples;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The comparison's figure, as the SNS paper draws it: for each problem, the marginal error (log
 * scale) against the iteration and against wall time, Sinkhorn and SNS on each device.
 */
final class OtPlot {
    private OtPlot() {}

    /** Errors below this are drawn at it: a log axis cannot show zero. */
    private static final double FLOOR = 1e-16;

    static void write(Path png, List<OtDemo.Comparison> rows) {
        Map<String, List<OtDemo.Comparison>> byProblem = new LinkedHashMap<>();
        for (OtDemo.Comparison c : rows) byProblem.computeIfAbsent(c.problem().name(), k -> new ArrayList<>()).add(c);
        List<XYChart> charts = new ArrayList<>();
        for (Map.Entry<String, List<OtDemo.Comparison>> e : byProblem.entrySet()) {
            double eta = e.getValue().getFirst().problem().eta();
            charts.add(chart(e.getKey() + ", η = " + (long) eta, "iteration", e.getValue(), false));
            charts.add(chart(e.getKey() + ", η = " + (long) eta, "seconds", e.getValue(), true));
        }
        try {
            BitmapEncoder.saveBitmap(charts, byProblem.size(), 2, png.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static XYChart chart(String title, String xTitle, List<OtDemo.Comparison> rows, boolean time) {
        // long runs count iterations in thousands: XChart's labels of 5-digit counts run together
        int most = 0;
        for (OtDemo.Comparison row : rows) most = Math.max(most, Math.max(row.sinkhorn().last(), row.sns().last()));
        boolean thousands = !time && most >= 1000;
        XYChart c = new XYChartBuilder().width(640).height(360).title(title).xAxisTitle(thousands ? xTitle + " (thousands)" : xTitle).yAxisTitle("marginal error ‖P1 − r‖₁ + ‖Pᵀ1 − c‖₁").build();
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setPlotGridLinesVisible(true);
        c.getStyler().setYAxisDecimalPattern("0.0E0");
        if (time) {
            c.getStyler().setXAxisLogarithmic(true);
        } else {
            c.getStyler().setXAxisDecimalPattern(thousands ? "0.#" : "#");
        }
        for (OtDemo.Comparison row : rows) {
            for (OtDemo.Curve curve : List.of(row.sinkhorn(), row.sns())) {
                int n = curve.errors().length;
                double[] x = new double[n], y = new double[n];
                for (int i = 0; i < n; i++) {
                    // a log time axis cannot show 0: the start is drawn at the first step's time
                    x[i] = time ? Math.max(1e-4, Math.max(curve.seconds()[i], curve.seconds()[Math.min(1, n - 1)]))
                            : thousands ? curve.iterations()[i] / 1000.0 : curve.iterations()[i];
                    y[i] = Math.max(FLOOR, curve.errors()[i]);
                }
                XYSeries s = c.addSeries(curve.label() + " (" + row.device() + ")", x, y);
                s.setMarker(SeriesMarkers.NONE);
                s.setLineWidth(1.4f);
            }
        }
        return c;
    }
}
