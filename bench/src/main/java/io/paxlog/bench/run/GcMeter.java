package io.paxlog.bench.run;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The garbage-collection pauses of this JVM between {@link #start} and {@link #stop}: their count, total and longest,
 * from the collectors' notifications (one per collection, with its duration). With the {@code in-process} topology
 * that is every node, driver and client of the system under test, so a pause inside a measured window is a pause of
 * that system. Concurrent cycles (G1's or ZGC's concurrent work, reported as "end of GC cycle" or by a collector
 * named "... Cycles") are not pauses and are not counted. Listeners are added at {@link #start} and removed at
 * {@link #stop}; the counters are updated on the JMX notification thread, read after {@link #stop}.
 */
final class GcMeter implements NotificationListener
{
    /** Pauses in one window: how many, their sum and the longest, in milliseconds. */
    record Pauses(int count, double totalMs, double maxMs)
    {
        String text()
        {
            return String.format(Locale.ROOT, "gc %d pauses, %.1f ms total, %.1f ms max", count, totalMs, maxMs);
        }
    }

    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private int count;
    private long totalMs;
    private long maxMs;

    void start()
    {
        synchronized (this)
        {
            count = 0;
            totalMs = 0;
            maxMs = 0;
        }
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            if (gc instanceof NotificationEmitter e)
            {
                e.addNotificationListener(this, null, null);
                emitters.add(e);
            }
        }
    }

    Pauses stop()
    {
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
            return new Pauses(count, totalMs, maxMs);
        }
    }

    /** Pauses counted so far in this window (any thread). */
    synchronized int pausesSoFar()
    {
        return count;
    }

    public void handleNotification(final Notification notification, final Object handback)
    {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType()))
        {
            return;
        }
        final GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((CompositeData)notification.getUserData());
        if (!isPause(info.getGcName(), info.getGcAction()))
        {
            return;
        }
        final long ms = info.getGcInfo().getDuration();
        synchronized (this)
        {
            count++;
            totalMs += ms;
            maxMs = Math.max(maxMs, ms);
        }
    }

    /** Whether a collection reported as {@code action} by collector {@code name} stopped the application. */
    static boolean isPause(final String name, final String action)
    {
        return !action.contains("cycle") && !name.endsWith("Cycles") && !name.contains("Concurrent");
    }
}
