package io.paxlog.ops.campaign;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The campaign's timeline, one row per second: operations answered, failed and unanswered, who led, and the faults
 * active (a member replacement shows as {@code replace-member} while it runs); as text and as a PNG (XChart,
 * headless), where each fault is a bar under the operation rates.
 */
final class Timeline
{
    private Timeline()
    {
    }

    static void write(final History history, final List<Op> ops, final long endNs, final Path text, final Path png)
        throws IOException
    {
        final int seconds = (int)(endNs / 1_000_000_000L) + 1;
        final long[] ok = new long[seconds];
        final long[] failed = new long[seconds];
        final long[] unknown = new long[seconds];
        for (final Op op : ops)
        {
            final int s = (int)Math.min(seconds - 1, Math.max(0, (op.outcome() == Op.Outcome.UNKNOWN ?
                op.invokeNs() : op.completeNs()) / 1_000_000_000L));
            switch (op.outcome())
            {
                case OK -> ok[s]++;
                case FAIL -> failed[s]++;
                default -> unknown[s]++;
            }
        }
        final int[] leader = new int[seconds];
        final List<History.LeaderSample> samples = history.leaders();
        for (int s = 0, i = -1; s < seconds; s++)
        {
            while (i + 1 < samples.size() && samples.get(i + 1).atNs() <= (s + 1) * 1_000_000_000L)
            {
                i++;
            }
            leader[s] = i < 0 ? -1 : samples.get(i).leaderId();
        }
        final List<History.Fault> faults = history.faults();
        history.replacements().forEach(r -> faults.add(r.asFault()));
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(text)))
        {
            out.println("# second ok failed unknown leader faults");
            for (int s = 0; s < seconds; s++)
            {
                final StringBuilder active = new StringBuilder();
                for (final History.Fault f : faults)
                {
                    final long from = f.startNs();
                    final long to = f.endNs() < 0 ? endNs : f.endNs();
                    if (from < (s + 1) * 1_000_000_000L && to >= s * 1_000_000_000L)
                    {
                        active.append(active.length() == 0 ? "" : ",").append(f.name());
                    }
                }
                out.printf("%5d %6d %6d %6d %6s %s%n", s, ok[s], failed[s], unknown[s],
                    leader[s] < 0 ? "-" : Integer.toString(leader[s]), active.length() == 0 ? "-" : active);
            }
            out.println("# faults: name [detail] start_s end_s");
            for (final History.Fault f : faults)
            {
                out.printf("# %s [%s] %.3f %.3f%n", f.name(), f.detail(), f.startNs() / 1e9,
                    (f.endNs() < 0 ? endNs : f.endNs()) / 1e9);
            }
            for (final History.Replacement r : history.replacements())
            {
                out.printf("# %s at %.3f s%n", r.line(), r.startNs() / 1e9);
            }
        }
        plot(ok, failed, unknown, leader, faults, endNs, png);
    }

    private static void plot(final long[] ok, final long[] failed, final long[] unknown, final int[] leader,
        final List<History.Fault> faults, final long endNs, final Path png) throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final XYChart chart = new XYChartBuilder().width(1400).height(700)
            .title("paxlog campaign: operations per second, leader and faults").xAxisTitle("seconds")
            .yAxisTitle("operations / s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setMarkerSize(4);
        final double[] x = new double[ok.length];
        for (int s = 0; s < x.length; s++)
        {
            x[s] = s;
        }
        chart.addSeries("answered", x, toDouble(ok)).setMarker(SeriesMarkers.NONE);
        chart.addSeries("failed", x, toDouble(failed)).setMarker(SeriesMarkers.NONE);
        chart.addSeries("unanswered", x, toDouble(unknown)).setMarker(SeriesMarkers.NONE);
        final double[] leaderY = new double[leader.length];
        for (int s = 0; s < leader.length; s++)
        {
            leaderY[s] = leader[s] < 0 ? Double.NaN : leader[s];
        }
        final XYSeries leaders = chart.addSeries("leader (right axis)", x, leaderY);
        leaders.setYAxisGroup(1);
        leaders.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.setYAxisGroupTitle(1, "leader id / faults");
        // faults: one bar per kind, below zero on the right axis
        final Map<String, List<double[]>> byKind = new LinkedHashMap<>();
        for (final History.Fault f : faults)
        {
            byKind.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(new double[] {f.startNs() / 1e9,
                (f.endNs() < 0 ? endNs : f.endNs()) / 1e9});
        }
        int row = 0;
        for (final Map.Entry<String, List<double[]>> e : byKind.entrySet())
        {
            row++;
            final List<Double> fx = new ArrayList<>();
            final List<Double> fy = new ArrayList<>();
            for (final double[] span : e.getValue())
            {
                fx.add(span[0]);
                fy.add(-0.5 * row);
                fx.add(span[1]);
                fy.add(-0.5 * row);
                fx.add(span[1]);
                fy.add(Double.NaN);
            }
            final XYSeries bar = chart.addSeries(e.getKey(), fx, fy);
            bar.setYAxisGroup(1);
            bar.setMarker(SeriesMarkers.NONE);
            bar.setLineWidth(6f);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static double[] toDouble(final long[] values)
    {
        final double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++)
        {
            d[i] = values[i];
        }
        return d;
    }
}
