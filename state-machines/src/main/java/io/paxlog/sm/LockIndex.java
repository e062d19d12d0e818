package io.paxlog.sm;

import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongCounterMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Where the {@link LockTable} keeps its locks with state and their waiters, and finds them:
 * <ul>
 *   <li>by name: an open-addressing table (linear probing, backward-shift deletion, doubling at half full) keyed
 *   by the name's bytes, and a small pool of emptied locks (with their name arrays) kept for reuse, so acquiring
 *   and releasing a recently used name allocates nothing;</li>
 *   <li>by session: how many locks each session holds and how many waits it has queued (derived state, rebuilt
 *   on restore);</li>
 *   <li>by timer id: each waiter's timeout timer and each lock-delay timer, with the allocation of timer ids
 *   1..2<sup>48</sup>-1 (wrapping, skipping ids in use).</li>
 * </ul>
 * This class keeps those structures consistent with one another (a queued waiter is linked, counted and
 * registered by its timer id, or none of these); the lock table decides what happens to locks (grants, tokens,
 * answers, timers scheduled with the host). Iteration order (by slot) is hash order: whatever reaches state or
 * results goes through {@link #sorted()} or {@link #heldBy}.
 *
 * <p>Threading: owned by one lock table, on its thread.
 */
final class LockIndex
{
    /** The largest timer id (48 bits). */
    static final long TIMER_ID_MAX = (1L << 48) - 1;
    private static final int CAPACITY_INITIAL = 64;
    private static final int POOL_MAX = 64;
    private static final int NAME_CAPACITY_MIN = 32;
    /** Name order: unsigned bytes. */
    static final Comparator<Lock> BY_NAME =
        (a, b) -> Arrays.compareUnsigned(a.name, 0, a.nameLength, b.name, 0, b.nameLength);

    /** A lock with state; absent from the table means free. */
    static final class Lock
    {
        byte[] name;
        int nameLength;
        long hash;
        long holder;
        long token;
        long delayUntilNs;
        long delayTimerId;
        Waiter head;
        Waiter tail;
        int waiters;
    }

    /** A queued acquire: FIFO per lock (doubly linked), with its deadline and timeout timer. */
    static final class Waiter
    {
        final Lock lock;
        final long sessionId;
        final long sequence;
        final long deadlineNs;
        final long timerId;
        Waiter prev;
        Waiter next;

        Waiter(final Lock lock, final long sessionId, final long sequence, final long deadlineNs, final long timerId)
        {
            this.lock = lock;
            this.sessionId = sessionId;
            this.sequence = sequence;
            this.deadlineNs = deadlineNs;
            this.timerId = timerId;
        }
    }

    private Lock[] table = new Lock[CAPACITY_INITIAL];
    private int lockCount;
    private final Lock[] pool = new Lock[POOL_MAX];
    private int pooled;
    private int waiterCount;
    private long nextTimerId = 1;
    /** Timer id to its {@link Waiter} (timeout) or {@link Lock} (end of lock-delay). */
    private final Long2ObjectHashMap<Object> timers = new Long2ObjectHashMap<>();
    /** Per session: locks held, waits queued (absent when 0). */
    private final Long2LongCounterMap sessionHolds = new Long2LongCounterMap(0);
    private final Long2LongCounterMap sessionWaits = new Long2LongCounterMap(0);

    /** Locks with state. */
    int count()
    {
        return lockCount;
    }

    /** Slots to scan with {@link #at}; a scan must not insert or remove. */
    int capacity()
    {
        return table.length;
    }

    /** The lock in slot {@code index} (of {@link #find} or a scan), or null. */
    Lock at(final int index)
    {
        return table[index];
    }

    /** Empties everything but the next timer id (before a restore). */
    void clear()
    {
        table = new Lock[CAPACITY_INITIAL];
        lockCount = 0;
        waiterCount = 0;
        Arrays.fill(pool, null);
        pooled = 0;
        timers.clear();
        sessionHolds.clear();
        sessionWaits.clear();
    }

    /** Open addressing with linear probing; returns the index of the name, or {@code -(free index) - 1}. */
    int find(final DirectBuffer name, final int offset, final int length, final long hash)
    {
        final int mask = table.length - 1;
        int i = home(hash, mask);
        Lock lock;
        while ((lock = table[i]) != null)
        {
            if (lock.hash == hash && equal(lock, name, offset, length))
            {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -i - 1;
    }

    /** Puts a new lock for the name at {@code index} (from {@link #find}); may grow the table. */
    Lock insert(final int index, final DirectBuffer name, final int offset, final int length, final long hash)
    {
        final Lock lock;
        if (pooled > 0)
        {
            lock = pool[--pooled];
            pool[pooled] = null;
        }
        else
        {
            lock = new Lock();
        }
        if (lock.name == null || lock.name.length < length)
        {
            lock.name = new byte[Math.max(NAME_CAPACITY_MIN, length)];
        }
        name.getBytes(offset, lock.name, 0, length);
        lock.nameLength = length;
        lock.hash = hash;
        table[index] = lock;
        if (++lockCount * 2 > table.length)
        {
            grow();
        }
        return lock;
    }

    /** Takes a lock without state out of the table (backward-shift deletion) and keeps it for reuse. */
    void remove(final Lock lock)
    {
        final int mask = table.length - 1;
        int gap = home(lock.hash, mask);
        while (table[gap] != lock)
        {
            gap = (gap + 1) & mask;
        }
        table[gap] = null;
        int j = gap;
        while (true)
        {
            j = (j + 1) & mask;
            final Lock e = table[j];
            if (e == null)
            {
                break;
            }
            final int h = home(e.hash, mask);
            final boolean staysPut = gap <= j ? (gap < h && h <= j) : (gap < h || h <= j);
            if (!staysPut)
            {
                table[gap] = e;
                table[j] = null;
                gap = j;
            }
        }
        lockCount--;
        lock.holder = 0;
        lock.token = 0;
        lock.delayUntilNs = 0;
        lock.delayTimerId = 0;
        lock.head = null;
        lock.tail = null;
        lock.waiters = 0;
        if (pooled < POOL_MAX)
        {
            pool[pooled++] = lock;
        }
    }

    private void grow()
    {
        final Lock[] old = table;
        table = new Lock[old.length * 2];
        final int mask = table.length - 1;
        for (final Lock lock : old)
        {
            if (lock != null)
            {
                int i = home(lock.hash, mask);
                while (table[i] != null)
                {
                    i = (i + 1) & mask;
                }
                table[i] = lock;
            }
        }
    }

    private static int home(final long hash, final int mask)
    {
        return (int)(hash ^ (hash >>> 32)) & mask;
    }

    static long hash(final DirectBuffer b, final int offset, final int length)
    {
        long h = 0x9E3779B97F4A7C15L ^ length;
        for (int k = 0; k < length; k++)
        {
            h = (h ^ (b.getByte(offset + k) & 0xFF)) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h;
    }

    private static boolean equal(final Lock lock, final DirectBuffer b, final int offset, final int length)
    {
        if (lock.nameLength != length)
        {
            return false;
        }
        final byte[] name = lock.name;
        for (int k = 0; k < length; k++)
        {
            if (name[k] != b.getByte(offset + k))
            {
                return false;
            }
        }
        return true;
    }

    /** The locks in name order (a new array). */
    Lock[] sorted()
    {
        final Lock[] sorted = new Lock[lockCount];
        int n = 0;
        for (final Lock lock : table)
        {
            if (lock != null)
            {
                sorted[n++] = lock;
            }
        }
        Arrays.sort(sorted, BY_NAME);
        return sorted;
    }

    // ------------------------------------------------------------------ by session

    /** Locks {@code session} holds. */
    long holds(final long session)
    {
        return sessionHolds.get(session);
    }

    /** Waits {@code session} has queued, over all locks. */
    long waits(final long session)
    {
        return sessionWaits.get(session);
    }

    /** {@code session} now holds {@code lock}. */
    void hold(final Lock lock, final long session)
    {
        lock.holder = session;
        sessionHolds.incrementAndGet(session);
    }

    /** The holder of {@code lock} lets go of it. */
    void unhold(final Lock lock)
    {
        sessionHolds.decrementAndGet(lock.holder);
        lock.holder = 0;
    }

    /** A restored lock is held by {@code session}. */
    void countHold(final long session)
    {
        sessionHolds.incrementAndGet(session);
    }

    /** The locks {@code session} holds, in name order (a new array). */
    Lock[] heldBy(final long session)
    {
        final Lock[] held = new Lock[(int)sessionHolds.get(session)];
        int n = 0;
        for (final Lock lock : table)
        {
            if (lock != null && lock.holder == session)
            {
                held[n++] = lock;
            }
        }
        Arrays.sort(held, 0, n, BY_NAME);
        return n == held.length ? held : Arrays.copyOf(held, n);
    }

    // ------------------------------------------------------------------ waiters

    /** Queued waiters over all locks. */
    int waiterCount()
    {
        return waiterCount;
    }

    /** Appends {@code w} to its lock's queue, counts it and registers its timer id. */
    void enqueue(final Waiter w)
    {
        final Lock lock = w.lock;
        w.prev = lock.tail;
        if (lock.tail == null)
        {
            lock.head = w;
        }
        else
        {
            lock.tail.next = w;
        }
        lock.tail = w;
        lock.waiters++;
        waiterCount++;
        sessionWaits.incrementAndGet(w.sessionId);
        timers.put(w.timerId, w);
    }

    /** Takes {@code w} out of its lock's queue, the counts and the timers (the host's timer is the caller's). */
    void unlink(final Waiter w)
    {
        final Lock lock = w.lock;
        if (w.prev == null)
        {
            lock.head = w.next;
        }
        else
        {
            w.prev.next = w.next;
        }
        if (w.next == null)
        {
            lock.tail = w.prev;
        }
        else
        {
            w.next.prev = w.prev;
        }
        w.prev = null;
        w.next = null;
        lock.waiters--;
        waiterCount--;
        sessionWaits.decrementAndGet(w.sessionId);
        timers.remove(w.timerId);
    }

    // ------------------------------------------------------------------ by timer id

    /** The {@link Waiter} or {@link Lock} timer {@code timerId} belongs to, or null. */
    Object timer(final long timerId)
    {
        return timers.get(timerId);
    }

    /** Registers a lock-delay timer. */
    void addTimer(final long timerId, final Lock lock)
    {
        timers.put(timerId, lock);
    }

    void removeTimer(final long timerId)
    {
        timers.remove(timerId);
    }

    /** A timer id not in use: the next one up, wrapping after {@link #TIMER_ID_MAX}. */
    long newTimerId()
    {
        long id;
        do
        {
            id = nextTimerId;
            nextTimerId = nextTimerId >= TIMER_ID_MAX ? 1 : nextTimerId + 1;
        }
        while (timers.containsKey(id));
        return id;
    }

    long nextTimerId()
    {
        return nextTimerId;
    }

    /** From a snapshot; the caller checked the range. */
    void nextTimerId(final long nextTimerId)
    {
        this.nextTimerId = nextTimerId;
    }

    /**
     * Checks a restored timer id (in range, not repeated) and registers it for {@code target}; a waiter's (null
     * here) is registered when the waiter is enqueued.
     */
    void restoreTimer(final long timerId, final Object target)
    {
        if (timerId < 1 || timerId > TIMER_ID_MAX || timers.containsKey(timerId))
        {
            throw new IllegalStateException("lock table snapshot corrupt: bad or repeated timer id " + timerId);
        }
        if (target != null)
        {
            timers.put(timerId, target);
        }
    }
}
