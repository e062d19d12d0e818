package io.paxlog.bench.run;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Bytes allocated by this JVM's threads between {@link #start} and {@link #stop}, from HotSpot's per-thread
 * allocation counters ({@code com.sun.management.ThreadMXBean}). With the whole system under test in this JVM
 * (the {@code in-process} topology) that is every node and the client; one named thread (Paxlog's leader duty
 * cycle, {@code paxlog-node-N}) can be measured on its own. Threads that end during the interval are not counted,
 * which is right for a steady state. Call from one thread.
 */
final class AllocationMeter
{
    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> before = new HashMap<>();
    private final String threadName;
    private long namedThreadId = -1;
    private long namedBefore;

    /** @param threadName a thread to report on its own, or {@code null} */
    AllocationMeter(final String threadName)
    {
        this.threadName = threadName;
    }

    static boolean supported()
    {
        return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t &&
            t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled();
    }

    void start()
    {
        before.clear();
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            before.put(t.getId(), threads.getThreadAllocatedBytes(t.getId()));
            if (t.getName().equals(threadName))
            {
                namedThreadId = t.getId();
                namedBefore = before.get(t.getId());
            }
        }
    }

    /** Bytes allocated since {@link #start} by the threads alive at both ends. */
    long stopAll()
    {
        long total = 0;
        for (final Map.Entry<Long, Long> e : before.entrySet())
        {
            final long now = threads.getThreadAllocatedBytes(e.getKey());
            if (now >= 0 && e.getValue() >= 0)
            {
                total += now - e.getValue();
            }
        }
        return total;
    }

    /** Bytes allocated since {@link #start} by the named thread, -1 if there was no such thread. */
    long stopNamed()
    {
        if (namedThreadId < 0)
        {
            return -1;
        }
        final long now = threads.getThreadAllocatedBytes(namedThreadId);
        return now < 0 ? -1 : now - namedBefore;
    }
}
