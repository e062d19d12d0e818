package io.paxlog.bench.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rule of the {@code throughput} scenario, applied to its rows: when a run sustained its offered rate, which
 * rates a system sustained over its runs, and its throughput.
 *
 * <ul>
 *   <li>A run <em>sustains</em> its rate when it sent every message it was to send (the system never pushed back
 *       until the run gave up), every measured message was answered (none lost) and its p99 is under the limit
 *       (10 ms by default).</li>
 *   <li>A point (one system, size and rate) is sustained when more than half of its runs sustained it: with one
 *       run, when that run did; with {@code --repeat 2}, when both did; with 3, when 2 or 3 did.</li>
 *   <li>A system's <em>throughput</em> at a size is the highest rate whose point it sustained, whatever happened
 *       at lower rates: a system that failed at 40k msg/s and sustained 80k has a throughput of 80k. There is no
 *       early stop at the first failure. 0 when it sustained no rate.</li>
 *   <li>After the doubling scan, each system's throughput is refined ({@link #refineRate}): its next point is the
 *       geometric middle of its highest sustained rate and the lowest failed rate above it, so that two systems a
 *       few percent apart are not a factor of two apart, or equal, by the luck of one point.</li>
 * </ul>
 */
final class Throughput
{
    static final String SCENARIO = "throughput";

    private Throughput()
    {
    }

    /** Whether one run sustained its rate: all sent, all answered, none lost, p99 under {@code p99LimitUs}. */
    static boolean sustains(final ResultRow run, final long p99LimitUs)
    {
        return run.isLatency() && run.sent() > 0 && run.notSent() == 0 && run.received() == run.sent() &&
            run.lost() == 0 && run.histogram().getTotalCount() > 0 && run.us(99) < p99LimitUs;
    }

    /** Why a run did not sustain its rate, for the reader: {@code "lost 12"}, {@code "p99 12.3 ms"}, ... */
    static String verdict(final ResultRow run, final long p99LimitUs)
    {
        if (sustains(run, p99LimitUs))
        {
            return "sustained";
        }
        final List<String> why = new ArrayList<>();
        if (run.notSent() > 0)
        {
            why.add(run.notSent() + " not sent (back-pressure)");
        }
        if (run.lost() > 0)
        {
            why.add("lost " + run.lost());
        }
        if (run.histogram() == null || run.histogram().getTotalCount() == 0)
        {
            why.add("nothing answered");
        }
        else if (run.us(99) >= p99LimitUs)
        {
            why.add(String.format(Locale.ROOT, "p99 %.1f us >= %d us", run.us(99), p99LimitUs));
        }
        if (why.isEmpty())
        {
            why.add("nothing sent");
        }
        return "not sustained: " + String.join(", ", why);
    }

    /**
     * One system's runs at one offered rate and size.
     *
     * @param rateMsgPerSec the offered rate
     * @param runs          its runs, one per repeat
     * @param sustainedRuns how many of them sustained the rate
     */
    record Point(String system, int bytes, long rateMsgPerSec, List<ResultRow> runs, int sustainedRuns)
    {
        /** More than half of the runs sustained the rate. */
        boolean sustained()
        {
            return sustainedRuns * 2 > runs.size();
        }

        /** The percentile over the runs that answered anything: median and min-max, microseconds. */
        Optional<Results.Spread> us(final double percentile)
        {
            return Results.Spread.of(runs.stream().map(r -> r.us(percentile)).toList());
        }

        long sent()
        {
            return runs.stream().mapToLong(ResultRow::sent).sum();
        }

        long answered()
        {
            return runs.stream().mapToLong(ResultRow::received).sum();
        }

        long lost()
        {
            return runs.stream().mapToLong(ResultRow::lost).sum();
        }

        long notSent()
        {
            return runs.stream().mapToLong(ResultRow::notSent).sum();
        }

        /** The GC pauses of the runs' measured windows together (count and total summed, the longest), if measured. */
        Optional<GcPauses> gc()
        {
            final List<GcPauses> all = runs.stream().map(ResultRow::gc).filter(g -> g != null).toList();
            if (all.isEmpty())
            {
                return Optional.empty();
            }
            return Optional.of(new GcPauses(all.stream().mapToInt(GcPauses::count).sum(),
                all.stream().mapToDouble(GcPauses::totalMs).sum(),
                all.stream().mapToDouble(GcPauses::maxMs).max().orElse(0)));
        }
    }

    /** The throughput rows of {@code system} at {@code bytes}, one point per offered rate, ascending. */
    static List<Point> points(final List<ResultRow> rows, final String system, final int bytes,
        final long p99LimitUs)
    {
        final Map<Long, List<ResultRow>> byRate = new TreeMap<>();
        for (final ResultRow r : rows)
        {
            if (r.scenario().equals(SCENARIO) && r.isLatency() && r.system().equals(system) && r.bytes() == bytes)
            {
                byRate.computeIfAbsent(r.rate(), k -> new ArrayList<>()).add(r);
            }
        }
        final List<Point> points = new ArrayList<>();
        byRate.forEach((rate, runs) -> points.add(new Point(system, bytes, rate, List.copyOf(runs),
            (int)runs.stream().filter(r -> sustains(r, p99LimitUs)).count())));
        return points;
    }

    /** The highest rate of a sustained point, 0 when none was sustained. */
    static long throughput(final List<Point> points)
    {
        long best = 0;
        for (final Point p : points)
        {
            if (p.sustained())
            {
                best = Math.max(best, p.rateMsgPerSec());
            }
        }
        return best;
    }

    /** Refinement rates are rounded to this many msg/s. */
    static final long REFINE_GRAIN_MSG_PER_SEC = 1_000;

    /**
     * The next rate to refine {@code points}' throughput at: the geometric middle (rounded to
     * {@value #REFINE_GRAIN_MSG_PER_SEC} msg/s) between the highest sustained rate and the lowest rate above it whose
     * point was not sustained; 0 when there is no such gap to narrow (nothing sustained, nothing failed above it, or
     * the two are within a grain).
     */
    static long refineRate(final List<Point> points)
    {
        final long sustained = throughput(points);
        if (sustained == 0)
        {
            return 0;
        }
        long failed = 0;
        for (final Point p : points)
        {
            if (p.rateMsgPerSec() > sustained && !p.sustained() && (failed == 0 || p.rateMsgPerSec() < failed))
            {
                failed = p.rateMsgPerSec();
            }
        }
        if (failed == 0)
        {
            return 0;
        }
        final long middle = Math.round(Math.sqrt((double)sustained * failed) / REFINE_GRAIN_MSG_PER_SEC) *
            REFINE_GRAIN_MSG_PER_SEC;
        return middle > sustained && middle < failed ? middle : 0;
    }

    /** With {@code --repeat}: each run's own throughput (the highest rate that run sustained), by repeat number. */
    static List<Long> perRun(final List<Point> points, final long p99LimitUs)
    {
        final Map<Integer, Long> best = new TreeMap<>();
        for (final Point p : points)
        {
            for (final ResultRow r : p.runs())
            {
                best.merge(r.repeat(), sustains(r, p99LimitUs) ? p.rateMsgPerSec() : 0L, Math::max);
            }
        }
        return List.copyOf(best.values());
    }

    /** The systems and sizes with throughput rows, in the order they first appear. */
    static List<String> systems(final List<ResultRow> rows)
    {
        return rows.stream().filter(r -> r.scenario().equals(SCENARIO) && r.isLatency()).map(ResultRow::system)
            .distinct().toList();
    }

    static List<Integer> sizes(final List<ResultRow> rows)
    {
        return List.copyOf(new TreeSet<>(rows.stream().filter(r -> r.scenario().equals(SCENARIO) && r.isLatency())
            .map(ResultRow::bytes).toList()));
    }
}
