package io.paxlog.bench;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.Locale;

/**
 * An open-loop load against a {@link BenchTarget}, corrected for coordinated omission.
 *
 * <p>Message {@code i} (from 0) has the fixed intended send time {@code start + i * 1e9 / rate} (integer
 * nanoseconds, computed from {@code i} so there is no drift), whatever happened to earlier messages. The load sends
 * every message whose intended time has come, carrying that intended time; when the target is back-pressured it
 * keeps retrying (polling for responses in between) until the message is sent, then sends whatever became due in the
 * meantime. Latency is {@code receiveNs - intendedSendNs}, so a stall in the target (or in the load) shows up as
 * latency for every message that should have been sent during it, not just for the one that was held up.
 *
 * <p>Messages whose intended time falls in the warm-up are sent and received but not measured. After the last
 * message is sent the load polls up to {@link #stragglerTimeoutNs} (2 s by default) for the outstanding responses;
 * what has not arrived by then is lost. A response is counted once per id (duplicates are counted apart).
 *
 * <p>One thread (the caller's) does all sending and receiving; nothing is allocated per message (the bitmap of
 * received ids and the histogram are allocated before the run). Between due times, when a poll finds nothing, the
 * thread idles with {@link YieldingIdleStrategy} unless another strategy is given.
 */
public final class OpenLoopLoad
{
    /** Highest latency the histogram tracks (larger values are recorded as this). */
    public static final long HIGHEST_TRACKABLE_NS = 60_000_000_000L;
    public static final int SIGNIFICANT_DIGITS = 3;
    public static final long DEFAULT_STRAGGLER_TIMEOUT_NS = 2_000_000_000L;
    /** Most messages in one run (warm-up included): the bitmap of answered ids is then 1 GiB. */
    public static final long MAX_MESSAGES = 1L << 33;

    private final long ratePerSecond;
    private final long durationNs;
    private final long warmupNs;
    private long stragglerTimeoutNs = DEFAULT_STRAGGLER_TIMEOUT_NS;
    private IdleStrategy idle = new YieldingIdleStrategy();
    private Runnable measuredWindowStart = () -> { };

    /**
     * @param ratePerSecond messages per second, 1 to 1e9
     * @param durationNs    how long the measured part of the run lasts (after the warm-up)
     * @param warmupNs      how long the unmeasured warm-up lasts, at the same rate, before it
     */
    public OpenLoopLoad(final long ratePerSecond, final long durationNs, final long warmupNs)
    {
        if (ratePerSecond < 1 || ratePerSecond > 1_000_000_000L)
        {
            throw new IllegalArgumentException("rate must be 1..1e9 msg/s, got " + ratePerSecond);
        }
        if (durationNs <= 0 || warmupNs < 0)
        {
            throw new IllegalArgumentException("duration must be > 0 and warm-up >= 0");
        }
        try
        {
            if (Math.multiplyExact(Math.addExact(durationNs, warmupNs), ratePerSecond) / 1_000_000_000L > MAX_MESSAGES)
            {
                throw new ArithmeticException();
            }
        }
        catch (final ArithmeticException ex)
        {
            throw new IllegalArgumentException("too many messages for one run (at most " + MAX_MESSAGES + ")");
        }
        this.ratePerSecond = ratePerSecond;
        this.durationNs = durationNs;
        this.warmupNs = warmupNs;
    }

    /** How long to wait for outstanding responses after the last send (default 2 s). */
    public OpenLoopLoad stragglerTimeoutNs(final long ns)
    {
        if (ns < 0)
        {
            throw new IllegalArgumentException("straggler timeout must be >= 0");
        }
        this.stragglerTimeoutNs = ns;
        return this;
    }

    /** The load thread's idle strategy between due times (default {@link YieldingIdleStrategy}). */
    public OpenLoopLoad idleStrategy(final IdleStrategy idleStrategy)
    {
        this.idle = idleStrategy;
        return this;
    }

    /**
     * Called once per {@link #run}, on the load thread, when the measured window opens: just before the first
     * measured message is sent (its intended time, the end of the warm-up, has come), or at the end of the sending
     * if the run gave up before then. The window closes when {@link #run} returns (the last answer arrived or the
     * straggler timeout ran out). Used to read meters, such as garbage-collection pauses, over the measured window
     * alone. Default: nothing.
     */
    public OpenLoopLoad onMeasuredWindowStart(final Runnable callback)
    {
        this.measuredWindowStart = callback;
        return this;
    }

    /** The intended send time of message {@code i}, relative to the start of the run. */
    public long intendedOffsetNs(final long i)
    {
        return Math.multiplyExact(i, 1_000_000_000L) / ratePerSecond;
    }

    /** Messages whose intended time falls before {@code offsetNs} after the start: ceil(offsetNs * rate / 1e9). */
    long messagesBefore(final long offsetNs)
    {
        return (offsetNs * ratePerSecond + 999_999_999L) / 1_000_000_000L;
    }

    /** Runs the load against a started target. */
    public Result run(final BenchTarget target)
    {
        final long total = messagesBefore(warmupNs + durationNs);
        final long warmupCount = messagesBefore(warmupNs);
        final Recorder recorder = new Recorder(total, warmupCount);
        final BenchTarget.ResponseHandler handler = recorder;

        final long startNs = System.nanoTime();
        final long giveUpNs = startNs + warmupNs + durationNs + stragglerTimeoutNs;
        long next = 0;
        long notSent = 0;
        boolean windowOpen = false;
        idle.reset();
        while (next < total)
        {
            final long intendedNs = startNs + intendedOffsetNs(next);
            int work = 0;
            if (System.nanoTime() - intendedNs >= 0)
            {
                if (next == warmupCount && !windowOpen)
                {
                    windowOpen = true;
                    measuredWindowStart.run();
                }
                boolean sent = target.offer(next, intendedNs);
                while (!sent && System.nanoTime() - giveUpNs < 0)
                {
                    idle.idle(target.poll(handler));
                    sent = target.offer(next, intendedNs);
                }
                if (!sent)
                {
                    notSent = total - next;
                    break;
                }
                idle.reset();
                next++;
                work = 1;
            }
            work += target.poll(handler);
            idle.idle(work);
        }
        final long sentTotal = next;
        if (!windowOpen)
        {
            measuredWindowStart.run(); // the sending ended before the first measured message went out
        }

        final long lastSendNs = System.nanoTime();
        final long stragglerDeadlineNs = lastSendNs + stragglerTimeoutNs;
        while (recorder.receivedTotal < sentTotal && System.nanoTime() - stragglerDeadlineNs < 0)
        {
            idle.idle(target.poll(handler));
        }

        final long sent = Math.max(0, sentTotal - warmupCount);
        final long warmupSent = Math.min(sentTotal, warmupCount);
        return new Result(target.name(), ratePerSecond, durationNs, warmupNs, sent, recorder.received,
            sent - recorder.received, warmupSent, recorder.receivedTotal - recorder.received, notSent,
            recorder.duplicates, recorder.unknown, recorder.histogram);
    }

    /** Marks each response's id, records the latency of measured ones. Allocation-free per response. */
    private static final class Recorder implements BenchTarget.ResponseHandler
    {
        final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
        final long[] seen;
        final long total;
        final long warmupCount;
        long received;
        long receivedTotal;
        long duplicates;
        long unknown;

        Recorder(final long total, final long warmupCount)
        {
            this.total = total;
            this.warmupCount = warmupCount;
            this.seen = new long[(int)((total + 63) >>> 6)];
        }

        @Override
        public void onResponse(final long messageId, final long intendedSendNs)
        {
            final long receiveNs = System.nanoTime();
            if (messageId < 0 || messageId >= total)
            {
                unknown++;
                return;
            }
            final int word = (int)(messageId >>> 6);
            final long bit = 1L << messageId;
            if ((seen[word] & bit) != 0)
            {
                duplicates++;
                return;
            }
            seen[word] |= bit;
            receivedTotal++;
            if (messageId >= warmupCount)
            {
                received++;
                final long latencyNs = receiveNs - intendedSendNs;
                histogram.recordValue(Math.min(Math.max(latencyNs, 0), HIGHEST_TRACKABLE_NS));
            }
        }
    }

    /**
     * The outcome of one run. {@code sent}, {@code received} and {@code lost} count the measured messages (those
     * after the warm-up); {@code lost = sent - received}. The histogram holds their latencies in nanoseconds from
     * the intended send time.
     *
     * @param warmupSent     messages sent during the warm-up
     * @param warmupReceived warm-up messages answered
     * @param notSent        messages never sent because the target stayed back-pressured until the give-up time
     *                       (end of run plus the straggler timeout)
     * @param duplicates     responses for an id already answered (not counted as received)
     * @param unknown        responses carrying an id that was never sent
     */
    public record Result(String target, long ratePerSecond, long durationNs, long warmupNs, long sent, long received,
        long lost, long warmupSent, long warmupReceived, long notSent, long duplicates, long unknown,
        Histogram histogram)
    {
        /** Latency at the percentile in microseconds (0 when nothing was received). */
        public double percentileUs(final double percentile)
        {
            return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
        }

        public double maxUs()
        {
            return histogram.getTotalCount() == 0 ? 0 : histogram.getMaxValue() / 1000.0;
        }

        /** {@code target=... sent=... received=... lost=... p50_us=... p99_us=... p999_us=... max_us=...} */
        public String summaryLine()
        {
            final StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "target=%s sent=%d received=%d lost=%d p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f",
                target, sent, received, lost, percentileUs(50), percentileUs(99), percentileUs(99.9), maxUs()));
            if (notSent != 0 || duplicates != 0 || unknown != 0)
            {
                sb.append(String.format(Locale.ROOT, " not_sent=%d duplicates=%d unknown=%d", notSent, duplicates,
                    unknown));
            }
            return sb.toString();
        }
    }
}
