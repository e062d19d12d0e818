package io.paxlog.bench.run;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The latency-throughput curve of the {@code throughput} scenario: p99 against offered rate, both axes logarithmic,
 * every system one line, one chart per message size ({@code throughput-32B.png}), and the sustain limit as a dashed
 * line. With {@code --repeat} each point is the median p99 of its runs. A point where nothing was answered has no
 * p99 and is left out. Written as a PNG with XChart (headless AWT), like {@link PercentilePlot}.
 */
final class ThroughputPlot
{
    static
    {
        System.setProperty("java.awt.headless", "true"); // a results folder, never a window
    }

    private ThroughputPlot()
    {
    }

    /** The file name of the chart of one size: {@code throughput-32B.png}. */
    static String fileName(final int bytes)
    {
        return "throughput-" + bytes + "B.png";
    }

    /** One chart per size with throughput rows; returns the PNG file names written into {@code out}. */
    static List<String> plotAll(final Results results, final Path out) throws IOException
    {
        final List<String> files = new ArrayList<>();
        final List<ResultRow> rows = results.rows();
        for (final int bytes : Throughput.sizes(rows))
        {
            final XYChart chart = new XYChartBuilder().width(1000).height(600)
                .title(String.format(Locale.ROOT, "p99 against offered rate, %d B (open loop)", bytes))
                .xAxisTitle("offered rate (msg/s)").yAxisTitle("p99 latency (µs)").build();
            chart.getStyler().setXAxisLogarithmic(true);
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setXAxisDecimalPattern("#,###");
            chart.getStyler().setYAxisDecimalPattern("#,###.#");
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE); // the low-rate points sit top left
            chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            double minRate = Double.MAX_VALUE;
            double maxRate = 0;
            int series = 0;
            for (final String system : Throughput.systems(rows))
            {
                final List<Double> xs = new ArrayList<>();
                final List<Double> ys = new ArrayList<>();
                for (final Throughput.Point p : results.throughputPoints(system, bytes))
                {
                    final var p99 = p.us(99);
                    if (p99.isPresent())
                    {
                        xs.add((double)p.rateMsgPerSec());
                        ys.add(Math.max(1e-3, p99.get().median()));
                        minRate = Math.min(minRate, p.rateMsgPerSec());
                        maxRate = Math.max(maxRate, p.rateMsgPerSec());
                    }
                }
                if (!xs.isEmpty())
                {
                    chart.addSeries(system, xs, ys).setMarker(SeriesMarkers.CIRCLE);
                    series++;
                }
            }
            if (series == 0)
            {
                continue;
            }
            final double limitUs = results.throughputP99LimitUs();
            chart.addSeries(String.format(Locale.ROOT, "p99 limit %,.1f ms", limitUs / 1000.0),
                List.of(minRate, Math.max(maxRate, minRate * 2)), List.of(limitUs, limitUs))
                .setMarker(SeriesMarkers.NONE).setLineStyle(SeriesLines.DASH_DASH);
            final String file = fileName(bytes);
            BitmapEncoder.saveBitmap(chart, out.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
            files.add(file);
        }
        return files;
    }
}
