package io.paxlog.bench.run;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The garbage-collection pauses of this JVM inside one window: their count, total and longest, from the collectors'
 * notifications (one per collection, with its duration). With the {@code in-process} topology that is every node,
 * driver and client of the system under test, so a pause inside a measured window is a pause of that system.
 * Concurrent cycles (G1's or ZGC's concurrent work, reported as "end of GC cycle" or by a collector named
 * "... Cycles") are not pauses and are not counted.
 *
 * <p>{@link #start} adds the listeners and opens the window; {@link #mark} moves the window's start to now (an
 * open-loop run calls it when its warm-up ends, so that warm-up pauses are left out); {@link #stop} closes the window
 * and removes the listeners. Which collections fall inside the window is decided by each collector's collection
 * count, read at both ends, against the id each notification carries (the collector's count after that collection),
 * not by when a notification arrives: the notifications come on the JMX service thread, possibly late, so
 * {@link #stop} waits (up to {@link #LATE_NOTIFICATION_WAIT_MS}) for those of the collections counted by then.
 */
final class GcMeter implements NotificationListener
{
    /** How long {@link #stop} waits for the notifications of collections that ended inside the window. */
    static final long LATE_NOTIFICATION_WAIT_MS = 1_000;

    /** One stop-the-world collection: its collector, its id (the collector's count after it), its duration. */
    private record Pause(String collector, long id, long durationMs)
    {
    }

    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final List<Pause> pauses = new ArrayList<>();
    /** The highest collection id notified so far, per collector (pauses and concurrent cycles alike). */
    private final Map<String, Long> notifiedIds = new HashMap<>();
    private volatile Map<String, Long> countsAtWindowStart = Map.of();

    void start()
    {
        synchronized (this)
        {
            pauses.clear();
            notifiedIds.clear();
        }
        for (final GarbageCollectorMXBean gc : collectors)
        {
            if (gc instanceof NotificationEmitter e)
            {
                e.addNotificationListener(this, null, null);
                emitters.add(e);
            }
        }
        mark();
    }

    /** The window starts again now: collections that ended before this call are not counted by {@link #stop}. */
    void mark()
    {
        countsAtWindowStart = counts();
    }

    /** Closes the window: the pauses of the collections counted after the window's start and by now. */
    GcPauses stop()
    {
        final Map<String, Long> end = counts();
        final long deadlineMs = System.currentTimeMillis() + LATE_NOTIFICATION_WAIT_MS;
        try
        {
            synchronized (this)
            {
                while (!allNotified(end) && System.currentTimeMillis() < deadlineMs)
                {
                    wait(10);
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        for (final NotificationEmitter e : emitters)
        {
            try
            {
                e.removeNotificationListener(this);
            }
            catch (final javax.management.ListenerNotFoundException ignored)
            {
                // never added: nothing to remove
            }
        }
        emitters.clear();
        synchronized (this)
        {
            return inWindow(end);
        }
    }

    /** Pauses counted so far in this window, from the notifications that arrived (any thread). */
    synchronized int pausesSoFar()
    {
        return inWindow(null).count();
    }

    private Map<String, Long> counts()
    {
        final Map<String, Long> counts = new HashMap<>();
        for (final GarbageCollectorMXBean gc : collectors)
        {
            counts.put(gc.getName(), gc.getCollectionCount());
        }
        return counts;
    }

    private boolean allNotified(final Map<String, Long> end)
    {
        for (final Map.Entry<String, Long> e : end.entrySet())
        {
            final long start = countsAtWindowStart.getOrDefault(e.getKey(), 0L);
            if (e.getValue() > start && notifiedIds.getOrDefault(e.getKey(), 0L) < e.getValue())
            {
                return false;
            }
        }
        return true;
    }

    /** The pauses after the window's start and, when {@code end} is given, counted by then. */
    private GcPauses inWindow(final Map<String, Long> end)
    {
        int count = 0;
        long totalMs = 0;
        long maxMs = 0;
        for (final Pause p : pauses)
        {
            if (p.id() > countsAtWindowStart.getOrDefault(p.collector(), 0L) &&
                (end == null || p.id() <= end.getOrDefault(p.collector(), Long.MAX_VALUE)))
            {
                count++;
                totalMs += p.durationMs();
                maxMs = Math.max(maxMs, p.durationMs());
            }
        }
        return new GcPauses(count, totalMs, maxMs);
    }

    public void handleNotification(final Notification notification, final Object handback)
    {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType()))
        {
            return;
        }
        final GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((CompositeData)notification.getUserData());
        final long id = info.getGcInfo().getId();
        synchronized (this)
        {
            notifiedIds.merge(info.getGcName(), id, Math::max);
            if (isPause(info.getGcName(), info.getGcAction()))
            {
                pauses.add(new Pause(info.getGcName(), id, info.getGcInfo().getDuration()));
            }
            notifyAll();
        }
    }

    /** Whether a collection reported as {@code action} by collector {@code name} stopped the application. */
    static boolean isPause(final String name, final String action)
    {
        return !action.contains("cycle") && !name.endsWith("Cycles") && !name.contains("Concurrent");
    }
}
