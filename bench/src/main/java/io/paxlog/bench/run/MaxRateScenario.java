package io.paxlog.bench.run;

import io.paxlog.bench.BenchSettings;
import io.paxlog.bench.BenchTarget;
import io.paxlog.bench.OpenLoopLoad;
import io.paxlog.bench.Systems;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The highest rate each system sustains with p99 under the limit (1 ms by default) and no loss, 32-byte messages.
 * A search over rates in two phases. First a scan: from {@link #START_RATE} the rate doubles (up to
 * {@link #MAX_RATE}) until a probe fails after one passed. A failing probe before any pass does not end the scan:
 * with a backoff idle strategy the tail is often worse at low rates than at moderate ones (every thread on the
 * path is parked when a message arrives), so p99 is not monotonic in the rate. Then a bisection between the best
 * passing rate and the failing rate above it, until they are within 5% of each other or the probe budget is
 * spent. Each probe is a short open-loop run (its own warm-up) on the same started system, restarted after a probe
 * that lost messages. Reports the best passing rate (0 if none passed) and that probe's distribution.
 */
final class MaxRateScenario
{
    static final long START_RATE = 1_000;
    static final long MAX_RATE = 1_000_000;

    private final RunConfig config;
    private final Results results;

    MaxRateScenario(final RunConfig config, final Results results)
    {
        this.config = config;
        this.results = results;
    }

    void run()
    {
        for (final String system : config.systems())
        {
            try
            {
                search(system);
            }
            catch (final Exception ex)
            {
                results.fail("max-rate " + system + ": " + ex);
            }
        }
    }

    private void search(final String system) throws Exception
    {
        final BenchSettings settings = config.settings().withMessageBytes(Results.HEADLINE_BYTES);
        final long limitNs = TimeUnit.MICROSECONDS.toNanos(config.p99LimitUs());
        long best = 0;
        long lowestFailing = 0;
        OpenLoopLoad.Result bestResult = null;
        final StringBuilder probes = new StringBuilder();
        BenchTarget target = null;
        try
        {
            long rate = START_RATE;
            for (int probe = 0; probe < config.maxProbes(); probe++)
            {
                if (target == null)
                {
                    target = Systems.create(system);
                    target.start(settings);
                }
                final OpenLoopLoad.Result r = new OpenLoopLoad(rate, TimeUnit.SECONDS.toNanos(config.probeSeconds()),
                    TimeUnit.SECONDS.toNanos(Math.max(1, config.warmupSeconds() / 2))).run(target);
                final boolean lost = r.lost() != 0 || r.notSent() != 0;
                final long p99Ns = r.histogram().getTotalCount() == 0 ? Long.MAX_VALUE :
                    r.histogram().getValueAtPercentile(99);
                final boolean pass = !lost && p99Ns < limitNs;
                probes.append(String.format(Locale.ROOT, "%s%d:%s", probes.length() == 0 ? "" : " ", rate,
                    lost ? "lost" : String.format(Locale.ROOT, "%.0fus", p99Ns / 1000.0)));
                System.out.printf(Locale.ROOT, "max-rate   %-14s probe %d msg/s: p99=%.1fus lost=%d -> %s%n", system,
                    rate, p99Ns == Long.MAX_VALUE ? Double.NaN : p99Ns / 1000.0, r.lost(), pass ? "pass" : "fail");
                if (lost)
                {
                    target.close();
                    target = null;
                }
                if (pass)
                {
                    if (rate > best)
                    {
                        best = rate;
                        bestResult = r;
                    }
                }
                else if (best > 0 && (lowestFailing == 0 || rate < lowestFailing))
                {
                    lowestFailing = rate; // the first failure above a pass (the scan ends) or a lower one (bisection)
                }
                final long next;
                if (lowestFailing == 0)
                {
                    next = rate * 2; // still scanning upward
                    if (next > MAX_RATE)
                    {
                        break;
                    }
                }
                else
                {
                    next = (best + lowestFailing) / 2;
                    if (lowestFailing - best <= lowestFailing / 20 || next == rate)
                    {
                        break;
                    }
                }
                rate = next;
            }
        }
        finally
        {
            if (target != null)
            {
                target.close();
            }
        }
        final String note = "p99 < " + config.p99LimitUs() + " us, 32 B; probes " + probes;
        results.add(ResultRow.figure("max-rate", system, "max-rate", best, "msg/s", note));
        if (bestResult != null)
        {
            results.add(ResultRow.latency("max-rate", system, "at-max-rate", best, Results.HEADLINE_BYTES,
                bestResult.histogram(), bestResult.sent(), bestResult.received(), "the best passing probe"));
        }
    }
}
