package io.paxlog.ops;

import io.paxlog.node.LocalProcessCluster;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The demo's live view: one line per second with the seconds elapsed, the writes acknowledged in that second, their
 * p50 and p99 (the clients' call round trips in that second), the leader, and the lock grants so far; events (the
 * kill, the election) are printed as they happen, each on a line of its own.
 *
 * <p>Threading: {@link #record} and {@link #event} from any thread; the ticker is a daemon thread of its own.
 */
final class DemoProgress implements AutoCloseable
{
    private final Recorder latencies = new Recorder(60_000_000_000L, 2);
    private final LocalProcessCluster cluster;
    private final LongSupplier acknowledged;
    private final LongSupplier grants;
    private final PrintStream out;
    private final AtomicLong lines = new AtomicLong();
    private final Thread ticker;
    private final long startNs = System.nanoTime();
    private volatile boolean running = true;
    private Histogram interval;

    DemoProgress(final LocalProcessCluster cluster, final LongSupplier acknowledged, final LongSupplier grants,
        final PrintStream out)
    {
        this.cluster = cluster;
        this.acknowledged = acknowledged;
        this.grants = grants;
        this.out = out;
        this.ticker = new Thread(this::tick, "demo-progress");
        ticker.setDaemon(true);
        ticker.start();
    }

    /** A write's round trip, in nanoseconds (any thread). */
    void record(final long latencyNs)
    {
        latencies.recordValue(Math.min(latencyNs, 60_000_000_000L));
    }

    /** Prints an event line now, between the progress lines (any thread). */
    void event(final String text)
    {
        synchronized (out)
        {
            out.printf(Locale.ROOT, "t=%3ds  %s%n", seconds(), text);
        }
        lines.incrementAndGet();
    }

    /** Lines printed so far, progress and events. */
    long lines()
    {
        return lines.get();
    }

    private long seconds()
    {
        return (System.nanoTime() - startNs) / 1_000_000_000L;
    }

    private void tick()
    {
        long lastAcked = acknowledged.getAsLong();
        long nextNs = startNs + 1_000_000_000L;
        while (running)
        {
            final long waitNs = nextNs - System.nanoTime();
            if (waitNs > 0)
            {
                try
                {
                    Thread.sleep(waitNs / 1_000_000, (int)(waitNs % 1_000_000));
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
                continue;
            }
            nextNs += 1_000_000_000L;
            interval = latencies.getIntervalHistogram(interval);
            final long acked = acknowledged.getAsLong();
            final String latency = interval.getTotalCount() == 0 ? "p50 -      p99 -     " :
                String.format(Locale.ROOT, "p50 %5.1f ms p99 %5.1f ms", interval.getValueAtPercentile(50) / 1e6,
                interval.getValueAtPercentile(99) / 1e6);
            synchronized (out)
            {
                out.printf(Locale.ROOT, "t=%3ds  %6d writes/s  %s  leader %-7s  lock grants %d%n", seconds(),
                    acked - lastAcked, latency, leader(), grants.getAsLong());
            }
            lines.incrementAndGet();
            lastAcked = acked;
        }
    }

    private String leader()
    {
        try
        {
            for (int i = 0; i < cluster.members().length; i++)
            {
                final String status = cluster.status(i);
                if (status != null && status.contains("role=leader"))
                {
                    return "node " + i;
                }
            }
        }
        catch (final IOException ex)
        {
            return "?";
        }
        return "none";
    }

    public void close()
    {
        running = false;
        ticker.interrupt();
        try
        {
            ticker.join(2_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
