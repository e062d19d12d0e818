package io.paxlog.bench.run;

import io.paxlog.bench.BenchTarget;
import io.paxlog.bench.OpenLoopLoad;
import io.paxlog.bench.Systems;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Each system's throughput: the highest offered rate it sustains ({@link Throughput}: everything sent and answered,
 * nothing lost, p99 under the limit, 10 ms by default). For each message size the offered rate doubles from the
 * plan's start (10k msg/s by default) up to the first rate at or above its top (1M msg/s by default, so 1.28M from
 * 10k). Every system runs at every rate, whatever it did at lower ones: there is no early stop at a system's first
 * failure, because with a backoff idle strategy a system can fail a low rate and sustain a higher one. The scan
 * ends after the first rate that no system sustained, or at the top. Then each system's figure is refined
 * ({@code --throughput-refine}, 2 steps by default): a point at the geometric middle of its highest sustained rate
 * and the next rate it failed, twice, so that its throughput is known to within 19% instead of a factor of two.
 *
 * <p>Each point is a short open-loop run (1 s warm-up, 4 s measured by default) on a freshly started system, so
 * that a backlog left by an overloaded point cannot leak into the next one. With {@code --repeat N} each rate runs N
 * times with the systems interleaved (A B C, A B C, ...) before the next rate; {@link Throughput} then counts a
 * point as sustained when a majority of its runs sustained it, and the report gives median percentiles.
 *
 * <p>A point that is not sustained is the measurement, not a failure: unlike a write point that loses messages, it
 * does not make the benchmark exit non-zero. A system that does not start, or throws during a point, does; it is
 * then left out of the rest of that size's scan. Each point records p50/p99/p99.9, sent, answered, lost, not sent,
 * and this JVM's GC pauses inside its measured window ({@link GcMeter}).
 */
final class ThroughputScenario
{
    private final RunConfig config;
    private final Results results;

    ThroughputScenario(final RunConfig config, final Results results)
    {
        this.config = config;
        this.results = results;
    }

    void run()
    {
        final RunConfig.ThroughputPlan plan = config.throughput();
        for (final int size : plan.sizes())
        {
            final Set<String> broken = new HashSet<>();
            for (final long rate : plan.rates())
            {
                for (int repeat = 1; repeat <= config.repeat(); repeat++)
                {
                    for (final String system : config.systems())
                    {
                        if (!broken.contains(system))
                        {
                            measure(system, size, rate, config.repeat() > 1 ? repeat : 0, broken);
                        }
                    }
                }
                final List<String> sustainedBy = new ArrayList<>();
                for (final String system : config.systems())
                {
                    if (Throughput.points(results.rows(), system, size, plan.p99LimitUs()).stream()
                        .anyMatch(p -> p.rateMsgPerSec() == rate && p.sustained()))
                    {
                        sustainedBy.add(system);
                    }
                }
                System.out.printf(Locale.ROOT, "throughput %d B at %d msg/s: sustained by %s%n", size, rate,
                    sustainedBy.isEmpty() ? "no system, the scan ends" : String.join(", ", sustainedBy));
                if (sustainedBy.isEmpty())
                {
                    break;
                }
            }
            refine(size, broken);
            for (final String system : config.systems())
            {
                final List<Throughput.Point> points = Throughput.points(results.rows(), system, size,
                    plan.p99LimitUs());
                if (!points.isEmpty())
                {
                    results.add(ResultRow.figure(Throughput.SCENARIO, system, "throughput-" + size + "B",
                        Throughput.throughput(points), "msg/s", String.format(Locale.ROOT,
                        "highest offered rate sustained at %d B (all sent and answered, none lost, p99 < %d us)",
                        size, plan.p99LimitUs())));
                }
            }
        }
    }

    /**
     * The refinement steps: each system gets its own next rate ({@link Throughput#refineRate}), the systems
     * interleaved within each repeat as in the scan; a system with no gap left to narrow sits a step out.
     */
    private void refine(final int size, final Set<String> broken)
    {
        final RunConfig.ThroughputPlan plan = config.throughput();
        for (int step = 1; step <= plan.refineSteps(); step++)
        {
            final Map<String, Long> next = new LinkedHashMap<>();
            for (final String system : config.systems())
            {
                final long rate = broken.contains(system) ? 0 : Throughput.refineRate(Throughput.points(
                    results.rows(), system, size, plan.p99LimitUs()));
                if (rate > 0)
                {
                    next.put(system, rate);
                }
            }
            if (next.isEmpty())
            {
                return;
            }
            for (int repeat = 1; repeat <= config.repeat(); repeat++)
            {
                for (final Map.Entry<String, Long> e : next.entrySet())
                {
                    if (!broken.contains(e.getKey()))
                    {
                        measure(e.getKey(), size, e.getValue(), config.repeat() > 1 ? repeat : 0, broken);
                    }
                }
            }
            for (final Map.Entry<String, Long> e : next.entrySet())
            {
                final boolean held = Throughput.points(results.rows(), e.getKey(), size, plan.p99LimitUs()).stream()
                    .anyMatch(p -> p.rateMsgPerSec() == e.getValue() && p.sustained());
                System.out.printf(Locale.ROOT, "throughput %d B, refinement %d: %s at %d msg/s %s%n", size, step,
                    e.getKey(), e.getValue(), held ? "sustained" : "not sustained");
            }
        }
    }

    private void measure(final String system, final int size, final long rate, final int repeat,
        final Set<String> broken)
    {
        final RunConfig.ThroughputPlan plan = config.throughput();
        final String point = String.format(Locale.ROOT, "throughput %s %d msg/s %d B%s", system, rate, size,
            repeat > 0 ? " run " + repeat : "");
        final BenchTarget target = Systems.create(system);
        try
        {
            target.start(config.settings().withMessageBytes(size));
            final OpenLoopLoad load = new OpenLoopLoad(rate, TimeUnit.SECONDS.toNanos(plan.seconds()),
                TimeUnit.SECONDS.toNanos(plan.warmupSeconds()));
            final GcMeter gc = new GcMeter();
            gc.start();
            final OpenLoopLoad.Result r;
            final GcPauses pauses;
            try
            {
                r = load.onMeasuredWindowStart(gc::mark).run(target);
            }
            finally
            {
                pauses = gc.stop();
            }
            final ResultRow measured = ResultRow.openLoop(Throughput.SCENARIO, system, rate, size, r.histogram(),
                r.sent(), r.received(), r.notSent(), pauses, "", repeat);
            results.add(ResultRow.openLoop(Throughput.SCENARIO, system, rate, size, r.histogram(), r.sent(),
                r.received(), r.notSent(), pauses, Throughput.verdict(measured, plan.p99LimitUs()) + "; " +
                pauses.text() + " in the measured window", repeat));
        }
        catch (final Exception ex)
        {
            broken.add(system);
            results.fail(point + ": " + ex + " (left out of the rest of this size's scan)");
        }
        finally
        {
            target.close();
        }
    }
}
