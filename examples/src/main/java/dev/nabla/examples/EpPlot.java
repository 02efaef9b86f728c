package dev.nabla.examples;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The experiment's figure (XChart, PNG): a column per β; top row test accuracy, bottom row
 * cos(EP, BP), against the epoch. Colour is N (the number of nudges), the line style and marker
 * the homeostatic coefficient λ (solid with circles: off), black is BP.
 */
final class EpPlot {
    private EpPlot() {}

    private static final Color[] BY_N = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167)};

    static void write(Path png, Map<EpRun.Setting, List<EpRun.Epoch>> runs) {
        TreeSet<Double> betas = new TreeSet<>();
        TreeSet<Integer> ns = new TreeSet<>();
        TreeSet<Double> lambdas = new TreeSet<>();
        for (EpRun.Setting s : runs.keySet()) {
            if (s.bp()) continue;
            betas.add(s.beta());
            ns.add(s.nudges());
            lambdas.add(s.lambda());
        }
        List<XYChart> top = new ArrayList<>(), bottom = new ArrayList<>();
        for (double beta : betas) {
            XYChart acc = chart("Test accuracy, β = " + beta, "test accuracy (%)");
            XYChart cos = chart("cos(EP estimate, BP gradient), β = " + beta, "cosine");
            for (var entry : runs.entrySet()) {
                EpRun.Setting s = entry.getKey();
                List<EpRun.Epoch> es = entry.getValue();
                double[] x = new double[es.size()], a = new double[es.size()], c = new double[es.size()];
                for (int i = 0; i < es.size(); i++) {
                    x[i] = es.get(i).epoch();
                    a[i] = 100 * es.get(i).testAccuracy();
                    c[i] = es.get(i).cosine();
                }
                if (s.bp()) {
                    style(acc.addSeries(s.label(), x, a), Color.BLACK, SeriesLines.SOLID, SeriesMarkers.CIRCLE);
                    continue;
                }
                if (s.beta() != beta) continue;
                Color color = BY_N[new ArrayList<>(ns).indexOf(s.nudges()) % BY_N.length];
                int li = new ArrayList<>(lambdas).indexOf(s.lambda());
                // λ by line and marker both: dashes alone are hard to tell apart at this size
                BasicStroke line = switch (li) {
                    case 0 -> SeriesLines.SOLID;
                    case 1 -> SeriesLines.DASH_DASH;
                    default -> SeriesLines.DOT_DOT;
                };
                org.knowm.xchart.style.markers.Marker marker = switch (li) {
                    case 0 -> SeriesMarkers.CIRCLE;
                    case 1 -> SeriesMarkers.DIAMOND;
                    default -> SeriesMarkers.SQUARE;
                };
                String label = s.label().replace(" β=" + betaLabel(beta), "");
                style(acc.addSeries(label, x, a), color, line, marker);
                style(cos.addSeries(label, x, c), color, line, marker);
            }
            top.add(acc);
            bottom.add(cos);
        }
        List<XYChart> all = new ArrayList<>(top);
        all.addAll(bottom);
        try {
            BitmapEncoder.saveBitmap(all, 2, top.size(), png.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String betaLabel(double beta) {
        return String.valueOf(beta);
    }

    private static XYChart chart(String title, String y) {
        XYChart c = new XYChartBuilder().width(640).height(460).title(title).xAxisTitle("epoch").yAxisTitle(y).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesVisible(true);
        c.getStyler().setXAxisDecimalPattern("0");
        c.getStyler().setLegendFont(c.getStyler().getLegendFont().deriveFont(10f));
        return c;
    }

    private static void style(XYSeries s, Color color, BasicStroke line, org.knowm.xchart.style.markers.Marker marker) {
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setLineStyle(line);
        s.setMarker(marker);
    }
}
