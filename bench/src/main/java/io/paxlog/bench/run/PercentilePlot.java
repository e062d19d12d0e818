package io.paxlog.bench.run;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A latency-by-percentile chart in the style of HdrHistogram's plotter: the x axis counts "nines",
 * {@code log10(1 / (1 - percentile))}, so 90%, 99%, 99.9%, ... are evenly spaced, the y axis is logarithmic, and
 * every system of one scenario point is one line on the same chart. Written as a PNG with XChart (headless AWT).
 */
public final class PercentilePlot
{
    /** The x axis stops at six nines, 99.9999%: beyond it a run of this length has no samples. */
    static final double MAX_X = 6;

    static
    {
        System.setProperty("java.awt.headless", "true"); // a results folder, never a window
    }

    private final XYChart chart;
    private int series;

    public PercentilePlot(final String title, final String yUnit)
    {
        chart = new XYChartBuilder().width(1000).height(600).title(title)
            .xAxisTitle("percentile").yAxisTitle("latency (" + yUnit + ")").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(MAX_X);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.setCustomXAxisTickLabelsFormatter(PercentilePlot::percentileLabel);
    }

    /** The label of {@code x} nines: {@code 0 -> "0%"}, {@code 1 -> "90%"}, {@code 2 -> "99%"}, {@code 3 -> "99.9%"}. */
    static String percentileLabel(final double nines)
    {
        final double percentile = 100.0 * (1.0 - Math.pow(10, -nines));
        final String s = String.format(Locale.ROOT, "%.8f", percentile).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }

    /** Adds one system's distribution; {@code divisor} converts the histogram's nanoseconds to the y unit. */
    public void add(final String name, final Histogram histogram, final double divisor)
    {
        if (histogram.getTotalCount() == 0)
        {
            return;
        }
        final List<Double> xs = new ArrayList<>();
        final List<Double> ys = new ArrayList<>();
        for (final HistogramIterationValue v : histogram.percentiles(5))
        {
            final double p = v.getPercentileLevelIteratedTo();
            final double x = p >= 100.0 ? MAX_X : Math.min(MAX_X, Math.log10(1.0 / (1.0 - p / 100.0)));
            xs.add(x);
            ys.add(Math.max(1e-3, histogram.highestEquivalentValue(v.getValueIteratedTo()) / divisor));
            if (p >= 100.0)
            {
                break;
            }
        }
        chart.addSeries(name, xs, ys).setMarker(SeriesMarkers.NONE);
        series++;
    }

    public boolean isEmpty()
    {
        return series == 0;
    }

    public void save(final Path png) throws IOException
    {
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * One chart per write point (rate and size) with every system on it, one for the reads, one for the
     * max-rate probes and one for the fail-over trials; returns the PNG file names written into {@code out}.
     */
    static List<String> plotAll(final List<ResultRow> rows, final Path out) throws IOException
    {
        final Map<String, PercentilePlot> plots = new LinkedHashMap<>();
        for (final ResultRow r : rows)
        {
            if (!r.isLatency() || r.scenario().equals(Throughput.SCENARIO))
            {
                continue; // figures have no distribution; throughput points have their own chart (ThroughputPlot)
            }
            final boolean failover = r.scenario().equals("failover");
            final String file;
            final String title;
            final String label;
            switch (r.scenario())
            {
                case "write" ->
                {
                    file = String.format(Locale.ROOT, "write-%dmps-%dB.png", r.rate(), r.bytes());
                    title = String.format(Locale.ROOT, "write round trip, %,d msg/s, %d B (open loop)", r.rate(),
                        r.bytes());
                    label = r.repeat() > 0 ? r.system() + " run " + r.repeat() : r.system();
                }
                case "max-rate" ->
                {
                    file = "max-rate.png";
                    title = "at each system's max rate with p99 under the limit, 32 B";
                    label = r.system() + " @ " + r.rate() + " msg/s";
                }
                default ->
                {
                    file = r.scenario() + ".png";
                    title = failover ? "fail-over: leader kill to next acknowledged write" :
                        r.scenario().equals("reads") ? "Paxlog writes and reads, closed loop, 32 B" : r.scenario();
                    label = r.system() + " " + r.kind();
                }
            }
            plots.computeIfAbsent(file, f -> new PercentilePlot(title, failover ? "ms" : "µs"))
                .add(label, r.histogram(), failover ? 1_000_000.0 : 1000.0);
        }
        final List<String> files = new ArrayList<>();
        for (final Map.Entry<String, PercentilePlot> e : plots.entrySet())
        {
            if (!e.getValue().isEmpty())
            {
                e.getValue().save(out.resolve(e.getKey()));
                files.add(e.getKey());
            }
        }
        return files;
    }
}
