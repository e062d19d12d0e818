package io.paxlog.bench.run;

import org.HdrHistogram.Histogram;

import java.util.Locale;

/**
 * One line of a benchmark run's results: either a latency distribution (a write, throughput, read or fail-over point,
 * with its histogram) or a single named figure (a throughput, a max rate, a replay rate, an allocation rate, a JMH
 * score).
 *
 * @param scenario  the scenario that produced it: {@code write}, {@code throughput}, {@code max-rate},
 *                  {@code reads}, {@code failover}, {@code replay}, {@code allocation} or {@code jmh}
 * @param system    {@code paxlog}, {@code aeron-cluster}, {@code aeron-floor-1} or {@code aeron-floor-2}
 * @param kind      what was measured within the scenario: {@code write}, {@code lease-read}, {@code follower-read},
 *                  {@code kill-to-ack}, or the figure's name for figure rows
 * @param rate      the offered rate in messages per second (0 when not a fixed-rate run)
 * @param bytes     the message size in bytes (0 when not applicable)
 * @param histogram latencies in nanoseconds, or {@code null} for a figure row
 * @param sent      measured messages (or trials) sent
 * @param received  measured messages (or trials) answered
 * @param value     the figure of a figure row, else {@link Double#NaN}
 * @param unit      the unit of {@code value} ({@code msg/s}, {@code entries/s}, {@code B/op}, {@code ns/op})
 * @param note      free text for the reader (configuration, why something is missing), may be empty
 * @param repeat    which of the {@code --repeat} runs of a write or throughput point this is (1..N), or 0 when the
 *                  point ran once
 * @param notSent   messages of an open-loop run never sent because the system pushed back until the run gave up
 *                  (0 for other rows)
 * @param gc        this JVM's garbage-collection pauses inside the run's measured window, or {@code null} when not
 *                  measured
 */
public record ResultRow(String scenario, String system, String kind, long rate, int bytes, Histogram histogram,
    long sent, long received, double value, String unit, String note, int repeat, long notSent, GcPauses gc)
{
    public static ResultRow latency(final String scenario, final String system, final String kind, final long rate,
        final int bytes, final Histogram histogram, final long sent, final long received, final String note)
    {
        return latency(scenario, system, kind, rate, bytes, histogram, sent, received, note, 0);
    }

    /** A latency row of run {@code repeat} (1..N) of a point measured {@code --repeat N} times (0: once). */
    public static ResultRow latency(final String scenario, final String system, final String kind, final long rate,
        final int bytes, final Histogram histogram, final long sent, final long received, final String note,
        final int repeat)
    {
        return new ResultRow(scenario, system, kind, rate, bytes, histogram, sent, received, Double.NaN, "", note,
            repeat, 0, null);
    }

    /**
     * The row of one open-loop run at a fixed rate ({@code write} or {@code throughput} scenario): its measured
     * messages, those it could not send, and the GC pauses of its measured window.
     */
    public static ResultRow openLoop(final String scenario, final String system, final long rate, final int bytes,
        final Histogram histogram, final long sent, final long received, final long notSent, final GcPauses gc,
        final String note, final int repeat)
    {
        return new ResultRow(scenario, system, "write", rate, bytes, histogram, sent, received, Double.NaN, "", note,
            repeat, notSent, gc);
    }

    public static ResultRow figure(final String scenario, final String system, final String kind, final double value,
        final String unit, final String note)
    {
        return new ResultRow(scenario, system, kind, 0, 0, null, 0, 0, value, unit, note, 0, 0, null);
    }

    public boolean isLatency()
    {
        return histogram != null;
    }

    public long lost()
    {
        return sent - received;
    }

    /** The latency at {@code percentile} in microseconds, NaN for a figure row or an empty histogram. */
    public double us(final double percentile)
    {
        if (histogram == null || histogram.getTotalCount() == 0)
        {
            return Double.NaN;
        }
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxUs()
    {
        if (histogram == null || histogram.getTotalCount() == 0)
        {
            return Double.NaN;
        }
        return histogram.getMaxValue() / 1000.0;
    }

    /** A file-name-safe key: {@code write-paxlog-10000mps-32B}, {@code reads-paxlog-lease-read}, ... */
    public String key()
    {
        final StringBuilder sb = new StringBuilder(scenario).append('-').append(system);
        if (!kind.equals(scenario) && !kind.equals("write"))
        {
            sb.append('-').append(kind);
        }
        if (rate > 0)
        {
            sb.append('-').append(rate).append("mps");
        }
        if (bytes > 0)
        {
            sb.append('-').append(bytes).append('B');
        }
        if (repeat > 0)
        {
            sb.append("-r").append(repeat);
        }
        return sb.toString().replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** One console line. */
    public String consoleLine()
    {
        if (!isLatency())
        {
            return String.format(Locale.ROOT, "%-10s %-14s %-28s %,.1f %s%s", scenario, system, kind, value, unit,
                note.isEmpty() ? "" : "  (" + note + ")");
        }
        return String.format(Locale.ROOT,
            "%-10s %-14s %-14s rate=%-6d bytes=%-5d p50=%.1fus p90=%.1fus p99=%.1fus p99.9=%.1fus max=%.1fus " +
            "sent=%d lost=%d%s%s%s",
            scenario, system, kind, rate, bytes, us(50), us(90), us(99), us(99.9), maxUs(), sent, lost(),
            notSent > 0 ? " not_sent=" + notSent : "", repeat > 0 ? " repeat=" + repeat : "",
            note.isEmpty() ? "" : "  (" + note + ")");
    }
}
