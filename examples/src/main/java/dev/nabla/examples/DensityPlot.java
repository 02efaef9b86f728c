package dev.nabla.examples;

import dev.nabla.algo.HessianSpectrum;
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
import java.util.List;
import java.util.Locale;

/**
 * The spectral densities (stochastic Lanczos quadrature) side by side, on a log scale as Ghorbani
 * et al. and PyHessian draw them: the bulk near zero is many orders of magnitude above the outliers.
 */
final class DensityPlot {
    private DensityPlot() {}

    /** Densities below this are drawn at it: a log axis cannot show zero. */
    private static final double FLOOR = 1e-9;

    static void write(Path png, List<SpectrumDemo.Summary> panels) {
        List<XYChart> charts = new ArrayList<>();
        for (SpectrumDemo.Summary s : panels) {
            HessianSpectrum.Density d = s.density();
            XYChart c = new XYChartBuilder().width(640).height(420)
                    .title(String.format(Locale.ROOT, "Hessian spectral density, %s (σ = %.3g)", s.label(), d.sigma()))
                    .xAxisTitle("eigenvalue").yAxisTitle("density (log)").build();
            c.getStyler().setYAxisLogarithmic(true);
            c.getStyler().setYAxisMin(FLOOR);
            c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
            c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
            c.getStyler().setPlotGridLinesVisible(true);
            c.getStyler().setXAxisDecimalPattern("#0.##");
            double[] y = new double[d.values().length];
            for (int i = 0; i < y.length; i++) y[i] = Math.max(FLOOR, d.values()[i]);
            XYSeries series = c.addSeries(String.format(Locale.ROOT, "SLQ, %d runs", d.runs().size()), d.grid(), y);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineWidth(1.2f);
            charts.add(c);
        }
        try {
            BitmapEncoder.saveBitmap(charts, 1, charts.size(), png.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
