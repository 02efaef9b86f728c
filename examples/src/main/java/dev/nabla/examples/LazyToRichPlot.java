package dev.nabla.examples;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lazy-to-rich figure: one panel per α with train and test loss against the step (both axes
 * logarithmic, so the step axis is step + 1) and the NTK–label alignment on a panel below, its
 * axis starting at zero so that its rise reads at its true size.
 */
final class LazyToRichPlot {
    private LazyToRichPlot() {}

    private static final Color TRAIN = new Color(40, 90, 200), TEST = new Color(210, 70, 40), ALIGN = new Color(30, 140, 60);

    static void write(Path png, List<LazyToRich.Run> runs, LazyToRich.Setup s) {
        List<XYChart> charts = new ArrayList<>();
        for (LazyToRich.Run r : runs) {
            XYChart c = chart(String.format(Locale.ROOT, "α = %s: loss (½·mean squared error)", LazyToRich.trim(r.alpha())), "loss");
            c.getStyler().setYAxisLogarithmic(true);
            series(c, "train", r.history(), 0, TRAIN, SeriesLines.SOLID);
            series(c, "test", r.history(), 1, TEST, SeriesLines.DASH_DASH);
            charts.add(c);
        }
        for (LazyToRich.Run r : runs) {
            XYChart c = chart(String.format(Locale.ROOT, "α = %s: centred NTK-label alignment on the %d training points",
                    LazyToRich.trim(r.alpha()), s.p()), "alignment");
            c.getStyler().setYAxisMin(0.0);
            c.getStyler().setYAxisDecimalPattern("0.000");
            series(c, "A(Θ_t, y)", r.aligned(), 2, ALIGN, SeriesLines.SOLID).setMarker(SeriesMarkers.CIRCLE);
            charts.add(c);
        }
        try {
            BitmapEncoder.saveBitmap(charts, 2, runs.size(), png.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(620).height(380).title(title).xAxisTitle("gradient-descent step + 1").yAxisTitle(yTitle).build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesVisible(true);
        c.getStyler().setXAxisDecimalPattern("0");
        return c;
    }

    private static XYSeries series(XYChart c, String name, List<LazyToRich.Point> points, int which, Color color,
                                   java.awt.BasicStroke line) {
        double[] x = new double[points.size()], y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            LazyToRich.Point p = points.get(i);
            x[i] = p.step() + 1;
            y[i] = which == 0 ? p.trainLoss() : which == 1 ? p.testLoss() : p.alignment();
        }
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(line);
        s.setLineWidth(1.8f);
        return s;
    }
}
