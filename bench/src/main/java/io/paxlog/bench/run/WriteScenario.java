package io.paxlog.bench.run;

import io.paxlog.bench.BenchSettings;
import io.paxlog.bench.BenchTarget;
import io.paxlog.bench.OpenLoopLoad;
import io.paxlog.bench.PaxlogTarget;
import io.paxlog.bench.Systems;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Write round trips at fixed rates, open loop, for every system, rate and size: each system is started once per
 * message size and loaded at each rate in ascending order (restarted after a run that lost messages, so late
 * answers cannot leak into the next run). With {@code --repeat N} this happens N times per size, the systems
 * interleaved (A B C, A B C, ...), so that a drift of the machine over the run falls on every system alike; each
 * run's rows carry their repeat number and {@link Results} reports medians with their min-max. A run that loses
 * messages fails the benchmark. Allocation is metered over every run: bytes per operation over every thread of
 * this JVM, and for Paxlog the leader's duty-cycle thread alone; at the headline point (10k msg/s and 32 B, or
 * else the first rate and size) these become the {@code allocation} scenario's figures. This JVM's
 * garbage-collection pauses ({@link GcMeter}: count, total, longest) are counted in each run's measured window
 * alone, from the end of its warm-up to its last answer.
 */
final class WriteScenario
{
    private final RunConfig config;
    private final Results results;

    WriteScenario(final RunConfig config, final Results results)
    {
        this.config = config;
        this.results = results;
    }

    void run(final List<Long> rates, final List<Integer> sizes, final boolean allocationFigures)
    {
        final OpenLoopLoad[] loads = new OpenLoopLoad[rates.size()];
        for (int i = 0; i < rates.size(); i++)
        {
            loads[i] = new OpenLoopLoad(rates.get(i), TimeUnit.SECONDS.toNanos(config.seconds()),
                TimeUnit.SECONDS.toNanos(config.warmupSeconds()));
        }
        final long allocationRate = rates.contains(Results.HEADLINE_RATE) ? Results.HEADLINE_RATE : rates.get(0);
        final int allocationSize = sizes.contains(Results.HEADLINE_BYTES) ? Results.HEADLINE_BYTES : sizes.get(0);
        for (final int size : sizes)
        {
            for (int repeat = 1; repeat <= config.repeat(); repeat++)
            {
                runSystems(rates, loads, size, config.repeat() > 1 ? repeat : 0,
                    allocationFigures && repeat == 1, allocationRate, allocationSize);
            }
        }
    }

    private void runSystems(final List<Long> rates, final OpenLoopLoad[] loads, final int size, final int repeat,
        final boolean allocationFigures, final long allocationRate, final int allocationSize)
    {
        for (final String system : config.systems())
        {
            final BenchSettings settings = config.settings().withMessageBytes(size);
            BenchTarget target = null;
            try
            {
                for (int i = 0; i < rates.size(); i++)
                {
                    if (target == null)
                    {
                        target = Systems.create(system);
                        target.start(settings);
                    }
                    final long rate = rates.get(i);
                    final Point p = measure(target, loads[i], system, rate, size, repeat);
                    if (p.lost)
                    {
                        target.close();
                        target = null;
                    }
                    if (allocationFigures && rate == allocationRate && size == allocationSize)
                    {
                        allocationFigures(system, p);
                    }
                }
            }
            catch (final Exception ex)
            {
                results.fail("write " + system + " " + size + " B: " + ex);
            }
            finally
            {
                if (target != null)
                {
                    target.close();
                }
            }
        }
    }

    private record Point(boolean lost, long ops, long processBytes, long leaderBytes) { }

    private Point measure(final BenchTarget target, final OpenLoopLoad load, final String system, final long rate,
        final int size, final int repeat)
    {
        final int leader = target instanceof PaxlogTarget px ? px.leaderId() : -1;
        final AllocationMeter meter = new AllocationMeter(leader >= 0 ? PaxlogTarget.nodeThreadName(leader) : null);
        final GcMeter gc = new GcMeter();
        meter.start();
        gc.start();
        final OpenLoopLoad.Result r = load.onMeasuredWindowStart(gc::mark).run(target);
        final GcPauses pauses = gc.stop();
        final long processBytes = meter.stopAll();
        final long leaderBytes = meter.stopNamed();
        final long ops = r.warmupReceived() + r.received();
        final String note = String.format(Locale.ROOT, "alloc %.1f B/op in this JVM%s (warm-up and measured); %s " +
            "in the measured window", perOp(processBytes, ops), leaderBytes >= 0 ? String.format(Locale.ROOT,
                ", %.2f B/op on the leader thread", perOp(leaderBytes, ops)) : "", pauses.text());
        results.add(ResultRow.openLoop("write", system, rate, size, r.histogram(), r.sent(), r.received(),
            r.notSent(), pauses, note, repeat));
        final boolean lost = r.lost() != 0 || r.notSent() != 0;
        if (lost)
        {
            results.fail(String.format(Locale.ROOT, "write %s %d msg/s %d B: %d of %d measured messages lost, %d " +
                "never sent (back-pressure)", system, rate, size, r.lost(), r.sent(), r.notSent()));
        }
        return new Point(lost, ops, processBytes, leaderBytes);
    }

    private void allocationFigures(final String system, final Point p)
    {
        results.add(ResultRow.figure("allocation", system, "process", perOp(p.processBytes, p.ops), "B/op",
            "all threads of the benchmark JVM (nodes, drivers, client, load) over " + p.ops + " ops" +
            (config.settings().topology().equals("in-process") ? "" : "; processes topology: the client JVM only")));
        if (p.leaderBytes >= 0)
        {
            results.add(ResultRow.figure("allocation", system, "leader-thread", perOp(p.leaderBytes, p.ops), "B/op",
                "the leader's duty-cycle thread over " + p.ops + " ops"));
        }
    }

    private static double perOp(final long bytes, final long ops)
    {
        return ops == 0 ? Double.NaN : (double)bytes / ops;
    }
}
