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
import java.util.List;

/** The tour's figure (XChart, PNG): loss by batch (and each epoch's) on the left, accuracy by epoch on the right. */
final class Plot {
    private Plot() {}

    static void write(Path png, Training.History h, String title) {
        int epochs = h.epochs().size();
        int batches = h.batchLosses().size();
        double perEpoch = (double) batches / epochs;

        XYChart loss = new XYChartBuilder().width(640).height(420).title("Cross-entropy loss").xAxisTitle("batch").yAxisTitle("loss").build();
        double[] bx = new double[batches], by = new double[batches];
        for (int i = 0; i < batches; i++) {
            bx[i] = i + 1;
            by[i] = h.batchLosses().get(i);
        }
        style(loss, "0");
        XYSeries s = loss.addSeries("training batch", bx, by);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineWidth(0.6f);
        s.setLineColor(new java.awt.Color(150, 170, 220));
        // epoch figures at the batch that ends the epoch
        double[] ends = epochAxis(epochs);
        for (int i = 0; i < epochs; i++) ends[i] *= perEpoch;
        loss.addSeries("training (epoch mean)", ends, column(h.epochs(), 0)).setMarker(SeriesMarkers.CIRCLE);
        loss.addSeries("test (end of epoch)", ends, column(h.epochs(), 2)).setMarker(SeriesMarkers.DIAMOND);
        double[] ex = epochAxis(epochs);

        XYChart acc = new XYChartBuilder().width(640).height(420).title("Accuracy").xAxisTitle("epoch").yAxisTitle("accuracy (%)").build();
        style(acc, "0");
        acc.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        acc.addSeries("training", ex, scale(column(h.epochs(), 1))).setMarker(SeriesMarkers.CIRCLE);
        acc.addSeries("test", ex, scale(column(h.epochs(), 3))).setMarker(SeriesMarkers.DIAMOND);
        acc.setTitle("Accuracy: " + title);

        try {
            BitmapEncoder.saveBitmap(List.of(loss, acc), 1, 2, png.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void style(XYChart c, String xPattern) {
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setPlotGridLinesVisible(true);
        c.getStyler().setXAxisDecimalPattern(xPattern);
        c.getStyler().setXAxisTickMarkSpacingHint(90);
    }

    private static double[] epochAxis(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i + 1;
        return x;
    }

    private static double[] column(List<Training.Epoch> es, int which) {
        double[] v = new double[es.size()];
        for (int i = 0; i < v.length; i++) {
            Training.Epoch e = es.get(i);
            v[i] = switch (which) {
                case 0 -> e.trainLoss();
                case 1 -> e.trainAccuracy();
                case 2 -> e.testLoss();
                default -> e.testAccuracy();
            };
        }
        return v;
    }

    private static double[] scale(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = 100 * v[i];
        return out;
    }
}
