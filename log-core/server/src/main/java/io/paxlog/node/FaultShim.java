package io.paxlog.node;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

/**
 * An in-process fault on a node's inbound consensus path, for test clusters on kernels that cannot delay or reorder
 * packets. While active, each consensus frame received is copied into a bounded {@link DelayedFrames} area with the
 * release time {@code receive + delay + uniform(0, jitter)} (jitter reorders frames) and handed to the consensus
 * adapter when due: the duty cycle calls {@link #releaseDue} before it polls, and the core sees the release time as
 * its {@code nowNs}, as if the frame had arrived then. While inactive, frames pass straight through; frames already
 * held are still released on schedule.
 *
 * <p>Switched by {@link #apply} (a FaultRequest, accepted only with {@code paxlog.faults.enabled=true}):
 * {@code delayNs = jitterNs = 0} switches it off; otherwise it stays on for {@code durationNs} (0: until switched
 * off). The jitter comes from a generator seeded from the node's seed, so a run can be repeated. Frames that do not
 * fit are dropped and counted. Nothing here allocates per frame. Threading: the node's duty cycle only.
 */
final class FaultShim implements FragmentHandler
{
    /** Bytes a held frame takes beyond its own length, at most (record header and alignment). */
    static final int RECORD_OVERHEAD = DelayedFrames.RECORD_HEADER + 8;
    /** The longest delay, jitter or duration a FaultRequest may ask for. */
    static final long DELAY_MAX_NS = 60_000_000_000L;
    static final long DURATION_MAX_NS = 24L * 3600 * 1_000_000_000L;
    /** A frame takes at least this many bytes in the holding area, which bounds how many frames it can hold. */
    private static final int SMALLEST_RECORD = 64;
    private static final int FRAMES_MAX = 1 << 20;

    private final DelayedFrames held;
    private final FragmentHandler direct;
    private final DelayedFrames.Sink released;
    private long random;
    private long nowNs;
    private boolean active;
    private long delayNs;
    private long jitterNs;
    private long untilNs;

    /**
     * @param direct   where frames go while the shim is off (the consensus adapter).
     * @param released where held frames go when due, with their release time (the consensus adapter, told the time).
     */
    FaultShim(final int holdBytes, final long seed, final FragmentHandler direct, final DelayedFrames.Sink released)
    {
        this.held = new DelayedFrames(holdBytes, Math.max(1, Math.min(FRAMES_MAX, holdBytes / SMALLEST_RECORD)));
        this.direct = direct;
        this.released = released;
        this.random = seed;
    }

    /** Whether a request's figures are in range: each in 0..{@link #DELAY_MAX_NS}, duration to one day. */
    static boolean valid(final long delayNs, final long jitterNs, final long durationNs)
    {
        return delayNs >= 0 && delayNs <= DELAY_MAX_NS && jitterNs >= 0 && jitterNs <= DELAY_MAX_NS &&
            durationNs >= 0 && durationNs <= DURATION_MAX_NS;
    }

    /** Switches the shim on from {@code nowNs} (or off, with delay and jitter 0); the figures must be valid. */
    void apply(final long nowNs, final long delayNs, final long jitterNs, final long durationNs)
    {
        if (!valid(delayNs, jitterNs, durationNs))
        {
            throw new IllegalArgumentException("delayNs=" + delayNs + " jitterNs=" + jitterNs + " durationNs=" +
                durationNs);
        }
        this.active = delayNs > 0 || jitterNs > 0;
        this.delayNs = active ? delayNs : 0;
        this.jitterNs = active ? jitterNs : 0;
        this.untilNs = durationNs == 0 ? Long.MAX_VALUE : nowNs + durationNs;
    }

    /** The time of the current duty cycle, used as the receive time of frames polled in it. */
    void nowNs(final long nowNs)
    {
        this.nowNs = nowNs;
        if (active && nowNs >= untilNs)
        {
            active = false;
            delayNs = 0;
            jitterNs = 0;
        }
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (!active)
        {
            direct.onFragment(buffer, offset, length, header);
            return;
        }
        final long extraNs = jitterNs == 0 ? 0 : Long.remainderUnsigned(nextRandom(), jitterNs + 1);
        held.hold(buffer, offset, length, nowNs + delayNs + extraNs);
    }

    /** Releases (at most {@code limit}) held frames due at {@code nowNs}; returns how many. */
    int releaseDue(final long nowNs, final int limit)
    {
        return held.releaseDue(nowNs, limit, released);
    }

    boolean active()
    {
        return active;
    }

    /** The delay frames get now; 0 when off. */
    long delayNs()
    {
        return delayNs;
    }

    long jitterNs()
    {
        return jitterNs;
    }

    /** Frames held now. */
    long heldFrames()
    {
        return held.count();
    }

    /** Frames dropped because the holding area was full. */
    long dropped()
    {
        return held.dropped();
    }

    /** SplitMix64: a seeded, allocation-free generator. */
    private long nextRandom()
    {
        random += 0x9E3779B97F4A7C15L;
        long z = random;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
