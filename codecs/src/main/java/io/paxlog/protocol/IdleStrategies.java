package io.paxlog.protocol;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.List;

/**
 * The idle strategies a node's duty cycle ({@code paxlog.idle}) and a client's media driver
 * ({@code PaxlogClientContext.idleStrategy}) are named by, one list for both:
 * <ul>
 *   <li>{@code backoff} (the default): spins, then yields, then parks from 1 &micro;s doubling to 1 ms (Agrona's
 *       {@link BackoffIdleStrategy} defaults). Gentle on a shared machine; a thread woken from a long park adds up
 *       to a millisecond to the message that woke it.</li>
 *   <li>{@code yielding}: {@link Thread#yield()} when idle; the thread stays runnable and costs a core when the
 *       machine has one to spare.</li>
 *   <li>{@code busy-spin}: never gives the core up; only with a core per busy thread.</li>
 *   <li>{@code sleeping}: sleeps 1 ms when idle; for tests and idle demos, not for latency.</li>
 * </ul>
 * Each call to {@link #create} returns a new instance: an idle strategy keeps state and belongs to one thread.
 */
public final class IdleStrategies
{
    public static final String BACKOFF = "backoff";
    public static final String YIELDING = "yielding";
    public static final String BUSY_SPIN = "busy-spin";
    public static final String SLEEPING = "sleeping";
    /** Every name {@link #create} accepts. */
    public static final List<String> NAMES = List.of(BACKOFF, YIELDING, BUSY_SPIN, SLEEPING);

    private IdleStrategies()
    {
    }

    /** Whether {@code name} is one of {@link #NAMES}. */
    public static boolean known(final String name)
    {
        return name != null && NAMES.contains(name);
    }

    /** A new idle strategy by its name; IllegalArgumentException naming the choices when the name is unknown. */
    public static IdleStrategy create(final String name)
    {
        if (name == null)
        {
            throw new IllegalArgumentException("idle strategy: expected one of " + String.join(", ", NAMES) +
                ", got null");
        }
        switch (name)
        {
            case BACKOFF:
                return new BackoffIdleStrategy();
            case YIELDING:
                return new YieldingIdleStrategy();
            case BUSY_SPIN:
                return new BusySpinIdleStrategy();
            case SLEEPING:
                return new SleepingMillisIdleStrategy(1);
            default:
                throw new IllegalArgumentException("idle strategy: expected one of " + String.join(", ", NAMES) +
                    ", got " + Member.oneLine(name));
        }
    }
}
