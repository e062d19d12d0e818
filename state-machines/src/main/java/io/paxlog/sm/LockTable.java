package io.paxlog.sm;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongCounterMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Named exclusive locks held by client sessions, with fencing tokens, FIFO waiters with timeouts, release on
 * session close and an optional lock-delay. Commands and results are small big-endian records built and read with
 * the static helpers here (used by clients); the helpers prefix the {@link #MACHINE_ID} byte a
 * {@link StateMachineHost} routes by, and the layouts below follow that byte.
 *
 * <p><b>Commands:</b> {@code op(1) nameLength(2) name(UTF-8, 1..256 bytes)} then, by op:
 * <ul>
 *   <li>{@link #OP_ACQUIRE}: {@code timeoutMs(8)}, 0 for a try-lock ({@link #acquire}, {@link #tryAcquire});</li>
 *   <li>{@link #OP_RELEASE}: nothing ({@link #release});</li>
 *   <li>{@link #OP_CHECK}: {@code token(8)} ({@link #check}; also a query);</li>
 *   <li>{@link #OP_HOLDER}: nothing ({@link #holder}; also a query).</li>
 * </ul>
 * Names are compared as bytes. A malformed command (unknown op, bad name length, wrong total length, negative
 * timeout) or an acquire from session 0 changes nothing and gives an empty result. Queries answer only
 * {@link #OP_CHECK} and {@link #OP_HOLDER}; anything else queried gives an empty result.
 *
 * <p><b>Results:</b> {@code status(1) token(8)} (9 bytes) for acquire, release and check; {@code status(1)
 * token(8) holderSession(8)} (17 bytes) for holder. Read them with {@link #status}, {@link #token} and
 * {@link #holderSession}.
 * <ul>
 *   <li>acquire: {@link #GRANTED} with the caller's fencing token (also when it already holds the lock: acquire
 *   is idempotent); {@link #NOT_GRANTED} with the holder's token (or, during a lock-delay, the token of the holder
 *   whose session closed) when the timeout is 0; otherwise the request waits in FIFO order and the command
 *   returns {@link StateMachine#PENDING}; it is answered later through {@link ApplyContext#respond} with
 *   {@link #GRANTED} when its turn comes, or {@link #TIMED_OUT} (with the holder's token) once log time reaches
 *   its deadline ({@code timestamp + timeoutMs}); {@link #REJECTED} (token 0) when a bound is reached.</li>
 *   <li>release: {@link #RELEASED} with the released token, then the first waiter is granted at once;
 *   {@link #NOT_HOLDER} with the current holder's token (0 if none) if the caller does not hold the lock.</li>
 *   <li>check: {@link #CURRENT} if the token is the current holder's, else {@link #STALE}; the token field is
 *   the current holder's token (0 if none).</li>
 *   <li>holder: {@link #HELD} with token and holder session; {@link #DELAYED} with the last holder's token and
 *   session 0 during a lock-delay; {@link #FREE} with zeros.</li>
 * </ul>
 *
 * <p><b>Fencing tokens.</b> A grant's token is the slot of the entry that granted it ({@link ApplyContext#slot()})
 * so tokens of a lock strictly increase across leaders and restarts; when one entry grants more than once (a
 * closed session's locks passing to their waiters, or a lock-delay timer granting just before the entry
 * releases again) the later grants take the next numbers up: every token is above every earlier one of the whole
 * table, and at least its entry's slot.
 *
 * <p><b>Sessions.</b> When a session closes or expires, its waits are dropped unanswered and its locks are
 * released in name order; with a lock-delay ({@link #LockTable(long)}) each stays ungrantable until log time
 * {@code close + lockDelay} (a timer), then passes to its first waiter. An explicit release has no delay.
 *
 * <p><b>Bounds.</b> At most {@link #LOCKS_MAX} locks with state (held, delayed) and {@link #WAITERS_MAX} waiters
 * in total; an acquire that would exceed either is answered {@link #REJECTED} and changes nothing.
 *
 * <p><b>Timers.</b> Waiter timeouts and lock-delays use this machine's timer ids 1, 2, ... (48 bits), stored
 * in the state and snapshot, so the timers the host restores keep finding their targets.
 *
 * <p>Determinism: the state depends only on the calls; hash order never reaches state, results or the order of
 * answers (locks released on close go in name order; snapshots are sorted by name). Acquiring and releasing an
 * existing or recently used lock without waiters allocates nothing; new locks and waiters allocate.
 */
public final class LockTable implements StateMachine
{
    /** The id the static command helpers address: hosts place the lock table here ({@link Machines#standard()}). */
    public static final int MACHINE_ID = Machines.LOCKS;

    public static final byte OP_ACQUIRE = 1;
    public static final byte OP_RELEASE = 2;
    public static final byte OP_CHECK = 3;
    public static final byte OP_HOLDER = 4;

    /** {@link #status} of an empty result: the command was malformed (or refused by the host). */
    public static final int NO_STATUS = 0;
    public static final int GRANTED = 1;
    public static final int NOT_GRANTED = 2;
    public static final int TIMED_OUT = 3;
    public static final int RELEASED = 4;
    public static final int NOT_HOLDER = 5;
    public static final int CURRENT = 6;
    public static final int STALE = 7;
    public static final int HELD = 8;
    public static final int FREE = 9;
    public static final int DELAYED = 10;
    public static final int REJECTED = 11;

    /** The most locks with state (held or in lock-delay). */
    public static final int LOCKS_MAX = 1 << 16;
    /** The most queued waiters over all locks. */
    public static final int WAITERS_MAX = 1 << 16;
    public static final int NAME_LENGTH_MAX = 256;
    /** Length of acquire, release and check results. */
    public static final int RESULT_LENGTH = 9;
    /** Length of holder results. */
    public static final int HOLDER_RESULT_LENGTH = 17;

    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;
    private static final long TIMER_ID_MAX = (1L << 48) - 1;
    private static final int SNAPSHOT_VERSION = 1;
    private static final int POOL_MAX = 64;
    private static final int NAME_CAPACITY_MIN = 32;
    private static final Comparator<Lock> BY_NAME =
        (a, b) -> Arrays.compareUnsigned(a.name, 0, a.nameLength, b.name, 0, b.nameLength);

    /** A lock with state; absent from the table means free. */
    private static final class Lock
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

    private static final class Waiter
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

    private final long lockDelayNs;
    private Lock[] table = new Lock[64];
    private int lockCount;
    private int waiterCount;
    private long lastToken;
    private long nextTimerId = 1;
    private final Lock[] pool = new Lock[POOL_MAX];
    private int pooled;
    /** Timer id to its {@link Waiter} (timeout) or {@link Lock} (end of lock-delay). */
    private final Long2ObjectHashMap<Object> timers = new Long2ObjectHashMap<>();
    /** Per session: locks held, waits queued (absent when 0). Derived state, rebuilt on restore. */
    private final Long2LongCounterMap sessionHolds = new Long2LongCounterMap(0);
    private final Long2LongCounterMap sessionWaits = new Long2LongCounterMap(0);
    private final UnsafeBuffer answer = new UnsafeBuffer(new byte[RESULT_LENGTH]);

    /** A lock table without lock-delay. */
    public LockTable()
    {
        this(0);
    }

    /**
     * A lock table whose locks, when their holder's session closes or expires, stay ungrantable for
     * {@code lockDelayNs} of log time (0 for none). Every replica must use the same delay.
     */
    public LockTable(final long lockDelayNs)
    {
        if (lockDelayNs < 0)
        {
            throw new IllegalArgumentException("lock delay must be >= 0: " + lockDelayNs);
        }
        this.lockDelayNs = lockDelayNs;
    }

    // ------------------------------------------------------------------ commands

    public int apply(final ApplyContext ctx, final DirectBuffer command, final int offset, final int length,
        final MutableDirectBuffer result)
    {
        final int nameLength = nameLength(command, offset, length);
        if (nameLength < 0)
        {
            return 0;
        }
        final int nameOffset = offset + 3;
        switch (command.getByte(offset))
        {
            case OP_ACQUIRE:
                final long timeoutMs = command.getLong(nameOffset + nameLength, ORDER);
                if (timeoutMs < 0 || ctx.sessionId() == 0)
                {
                    return 0;
                }
                return acquire(ctx, command, nameOffset, nameLength, timeoutMs, result);
            case OP_RELEASE:
                return release(ctx, command, nameOffset, nameLength, result);
            default:
                return read(command, offset, nameOffset, nameLength, result);
        }
    }

    public int query(final DirectBuffer query, final int offset, final int length, final MutableDirectBuffer result)
    {
        final int nameLength = nameLength(query, offset, length);
        return nameLength < 0 ? 0 : read(query, offset, offset + 3, nameLength, result);
    }

    /** Validates the framing; returns the name length, or -1 if the command is malformed. */
    private static int nameLength(final DirectBuffer cmd, final int offset, final int length)
    {
        if (length < 3)
        {
            return -1;
        }
        final byte op = cmd.getByte(offset);
        if (op < OP_ACQUIRE || op > OP_HOLDER)
        {
            return -1;
        }
        final int nameLength = cmd.getShort(offset + 1, ORDER) & 0xFFFF;
        final int argLength = op == OP_ACQUIRE || op == OP_CHECK ? 8 : 0;
        if (nameLength == 0 || nameLength > NAME_LENGTH_MAX || length != 3 + nameLength + argLength)
        {
            return -1;
        }
        return nameLength;
    }

    private int acquire(final ApplyContext ctx, final DirectBuffer cmd, final int nameOffset, final int nameLength,
        final long timeoutMs, final MutableDirectBuffer result)
    {
        final long session = ctx.sessionId();
        final long hash = hash(cmd, nameOffset, nameLength);
        final int index = find(cmd, nameOffset, nameLength, hash);
        if (index < 0)
        {
            if (lockCount >= LOCKS_MAX)
            {
                return answer(result, REJECTED, 0);
            }
            final Lock lock = insert(-index - 1, cmd, nameOffset, nameLength, hash);
            grant(ctx, lock, session);
            return answer(result, GRANTED, lock.token);
        }
        final Lock lock = table[index];
        if (lock.holder == session)
        {
            return answer(result, GRANTED, lock.token);
        }
        if (timeoutMs == 0)
        {
            return answer(result, NOT_GRANTED, lock.token);
        }
        if (waiterCount >= WAITERS_MAX)
        {
            return answer(result, REJECTED, 0);
        }
        final Waiter w = new Waiter(lock, session, ctx.sequence(), deadline(ctx.timestampNs(), timeoutMs),
            newTimerId());
        enqueue(w);
        ctx.scheduleTimer(w.timerId, w.deadlineNs);
        return PENDING;
    }

    private int release(final ApplyContext ctx, final DirectBuffer cmd, final int nameOffset, final int nameLength,
        final MutableDirectBuffer result)
    {
        final long session = ctx.sessionId();
        final int index = find(cmd, nameOffset, nameLength, hash(cmd, nameOffset, nameLength));
        if (index < 0)
        {
            return answer(result, NOT_HOLDER, 0);
        }
        final Lock lock = table[index];
        if (lock.holder != session || session == 0)
        {
            return answer(result, NOT_HOLDER, lock.holder != 0 ? lock.token : 0);
        }
        final long released = lock.token;
        unhold(lock);
        handOver(ctx, lock);
        return answer(result, RELEASED, released);
    }

    /** CHECK and HOLDER: read-only, through the log or as a query. */
    private int read(final DirectBuffer cmd, final int offset, final int nameOffset, final int nameLength,
        final MutableDirectBuffer result)
    {
        final int index = find(cmd, nameOffset, nameLength, hash(cmd, nameOffset, nameLength));
        final Lock lock = index >= 0 ? table[index] : null;
        final long currentToken = lock != null && lock.holder != 0 ? lock.token : 0;
        switch (cmd.getByte(offset))
        {
            case OP_CHECK:
                final long token = cmd.getLong(nameOffset + nameLength, ORDER);
                return answer(result, currentToken != 0 && token == currentToken ? CURRENT : STALE, currentToken);
            case OP_HOLDER:
                final int status = lock == null ? FREE : lock.holder != 0 ? HELD : DELAYED;
                result.putByte(0, (byte)status);
                result.putLong(1, lock == null ? 0 : lock.token, ORDER);
                result.putLong(9, lock == null ? 0 : lock.holder, ORDER);
                return HOLDER_RESULT_LENGTH;
            default:
                return 0;
        }
    }

    // ------------------------------------------------------------------ sessions and timers

    public void onSessionClosed(final ApplyContext ctx, final long sessionId)
    {
        if (sessionId == 0)
        {
            return;
        }
        if (sessionWaits.get(sessionId) > 0)
        {
            for (final Lock lock : table)
            {
                if (lock != null)
                {
                    dropWaits(ctx, lock, sessionId);
                }
            }
        }
        final int holds = (int)sessionHolds.get(sessionId);
        if (holds == 0)
        {
            return;
        }
        final Lock[] held = new Lock[holds];
        int n = 0;
        for (final Lock lock : table)
        {
            if (lock != null && lock.holder == sessionId)
            {
                held[n++] = lock;
            }
        }
        Arrays.sort(held, 0, n, BY_NAME);
        for (int i = 0; i < n; i++)
        {
            final Lock lock = held[i];
            unhold(lock);
            if (lockDelayNs > 0)
            {
                lock.delayUntilNs = saturatingAdd(ctx.timestampNs(), lockDelayNs);
                lock.delayTimerId = newTimerId();
                timers.put(lock.delayTimerId, lock);
                ctx.scheduleTimer(lock.delayTimerId, lock.delayUntilNs);
            }
            else
            {
                handOver(ctx, lock);
            }
        }
    }

    private void dropWaits(final ApplyContext ctx, final Lock lock, final long sessionId)
    {
        Waiter w = lock.head;
        while (w != null)
        {
            final Waiter next = w.next;
            if (w.sessionId == sessionId)
            {
                unlink(ctx, w, true);
            }
            w = next;
        }
    }

    public void onTimer(final ApplyContext ctx, final long timerId)
    {
        final Object target = timers.get(timerId);
        if (target instanceof Waiter)
        {
            final Waiter w = (Waiter)target;
            unlink(ctx, w, false);
            respond(ctx, w, TIMED_OUT, w.lock.token);
        }
        else if (target instanceof Lock)
        {
            final Lock lock = (Lock)target;
            timers.remove(timerId);
            lock.delayUntilNs = 0;
            lock.delayTimerId = 0;
            handOver(ctx, lock);
        }
    }

    // ------------------------------------------------------------------ state changes

    private void grant(final ApplyContext ctx, final Lock lock, final long session)
    {
        final long token = Math.max(ctx.slot(), lastToken + 1);
        lastToken = token;
        lock.holder = session;
        lock.token = token;
        sessionHolds.incrementAndGet(session);
    }

    private void unhold(final Lock lock)
    {
        sessionHolds.decrementAndGet(lock.holder);
        lock.holder = 0;
    }

    /**
     * A lock that is neither held nor delayed passes to its first waiter (and answers the same session's other
     * waits on it with the same grant), or leaves the table if none waits.
     */
    private void handOver(final ApplyContext ctx, final Lock lock)
    {
        final Waiter w = lock.head;
        if (w == null)
        {
            remove(lock);
            return;
        }
        unlink(ctx, w, true);
        grant(ctx, lock, w.sessionId);
        respond(ctx, w, GRANTED, lock.token);
        if (sessionWaits.get(w.sessionId) > 0)
        {
            Waiter o = lock.head;
            while (o != null)
            {
                final Waiter next = o.next;
                if (o.sessionId == w.sessionId)
                {
                    unlink(ctx, o, true);
                    respond(ctx, o, GRANTED, lock.token);
                }
                o = next;
            }
        }
    }

    private void enqueue(final Waiter w)
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

    private void unlink(final ApplyContext ctx, final Waiter w, final boolean cancelTimer)
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
        if (cancelTimer)
        {
            ctx.cancelTimer(w.timerId);
        }
    }

    private void respond(final ApplyContext ctx, final Waiter w, final int status, final long token)
    {
        answer.putByte(0, (byte)status);
        answer.putLong(1, token, ORDER);
        ctx.respond(w.sessionId, w.sequence, answer, 0, RESULT_LENGTH);
    }

    private static int answer(final MutableDirectBuffer result, final int status, final long token)
    {
        result.putByte(0, (byte)status);
        result.putLong(1, token, ORDER);
        return RESULT_LENGTH;
    }

    private long newTimerId()
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

    private static long deadline(final long nowNs, final long timeoutMs)
    {
        return timeoutMs >= (Long.MAX_VALUE - Math.max(nowNs, 0)) / 1_000_000 ? Long.MAX_VALUE :
            nowNs + timeoutMs * 1_000_000;
    }

    private static long saturatingAdd(final long a, final long b)
    {
        return b > Long.MAX_VALUE - a ? Long.MAX_VALUE : a + b;
    }

    // ------------------------------------------------------------------ the table

    /** Open addressing with linear probing; returns the index of the name, or {@code -(free index) - 1}. */
    private int find(final DirectBuffer name, final int offset, final int length, final long hash)
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

    private Lock insert(final int index, final DirectBuffer name, final int offset, final int length, final long hash)
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
    private void remove(final Lock lock)
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

    private static long hash(final DirectBuffer b, final int offset, final int length)
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

    private Lock[] sortedLocks()
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

    // ------------------------------------------------------------------ snapshots

    /**
     * Writes {@code version(4) lastToken(8) nextTimerId(8) locks(4)}, then per lock in name order {@code name
     * holder(8) token(8) delayUntilNs(8) delayTimerId(8) waiters(4)} and per waiter in queue order
     * {@code session(8) sequence(8) deadlineNs(8) timerId(8)} (the {@link SnapshotWriter}'s encoding).
     */
    public void snapshot(final SnapshotWriter writer)
    {
        final Lock[] sorted = sortedLocks();
        writer.writeInt(SNAPSHOT_VERSION).writeLong(lastToken).writeLong(nextTimerId).writeInt(sorted.length);
        final UnsafeBuffer name = new UnsafeBuffer(new byte[0]);
        for (final Lock lock : sorted)
        {
            name.wrap(lock.name, 0, lock.nameLength);
            writer.writeBytes(name, 0, lock.nameLength);
            writer.writeLong(lock.holder).writeLong(lock.token).writeLong(lock.delayUntilNs)
                .writeLong(lock.delayTimerId).writeInt(lock.waiters);
            for (Waiter w = lock.head; w != null; w = w.next)
            {
                writer.writeLong(w.sessionId).writeLong(w.sequence).writeLong(w.deadlineNs).writeLong(w.timerId);
            }
        }
    }

    public void restore(final SnapshotReader reader)
    {
        table = new Lock[64];
        lockCount = 0;
        waiterCount = 0;
        Arrays.fill(pool, null);
        pooled = 0;
        timers.clear();
        sessionHolds.clear();
        sessionWaits.clear();
        final int version = reader.readInt();
        if (version != SNAPSHOT_VERSION)
        {
            throw new IllegalStateException("lock table snapshot version " + version + ", expected " +
                SNAPSHOT_VERSION);
        }
        lastToken = reader.readLong();
        nextTimerId = reader.readLong();
        final int count = reader.readInt();
        if (count < 0 || nextTimerId < 1 || nextTimerId > TIMER_ID_MAX)
        {
            throw new IllegalStateException("lock table snapshot corrupt: " + count + " locks, next timer " +
                nextTimerId);
        }
        final UnsafeBuffer name = new UnsafeBuffer(new byte[0]);
        for (int i = 0; i < count; i++)
        {
            final byte[] bytes = reader.readBytes();
            name.wrap(bytes);
            final long hash = hash(name, 0, bytes.length);
            final int index = find(name, 0, bytes.length, hash);
            if (bytes.length == 0 || bytes.length > NAME_LENGTH_MAX || index >= 0)
            {
                throw new IllegalStateException("lock table snapshot corrupt: bad or repeated lock name");
            }
            final Lock lock = insert(-index - 1, name, 0, bytes.length, hash);
            lock.holder = reader.readLong();
            lock.token = reader.readLong();
            lock.delayUntilNs = reader.readLong();
            lock.delayTimerId = reader.readLong();
            if ((lock.holder == 0) == (lock.delayTimerId == 0))
            {
                throw new IllegalStateException("lock table snapshot corrupt: a lock must be held or delayed");
            }
            if (lock.holder != 0)
            {
                sessionHolds.incrementAndGet(lock.holder);
            }
            else
            {
                restoreTimer(lock.delayTimerId, lock);
            }
            final int waiters = reader.readInt();
            for (int k = 0; k < waiters; k++)
            {
                final Waiter w = new Waiter(lock, reader.readLong(), reader.readLong(), reader.readLong(),
                    reader.readLong());
                restoreTimer(w.timerId, null);
                enqueue(w);
            }
        }
    }

    private void restoreTimer(final long timerId, final Object target)
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

    // ------------------------------------------------------------------ inspection (tests, tools)

    /** Locks with state (held or delayed). */
    public int lockCount()
    {
        return lockCount;
    }

    /** Queued waiters over all locks. */
    public int waiterCount()
    {
        return waiterCount;
    }

    public long lockDelayNs()
    {
        return lockDelayNs;
    }

    /** A readable dump of the whole state in name order, for comparing replicas. */
    public String digest()
    {
        final StringBuilder b = new StringBuilder();
        b.append("lastToken=").append(lastToken).append(" nextTimer=").append(nextTimerId).append(" locks=")
            .append(lockCount).append(" waiters=").append(waiterCount);
        for (final Lock lock : sortedLocks())
        {
            b.append("\n  ").append(new String(lock.name, 0, lock.nameLength, StandardCharsets.UTF_8))
                .append(" holder=").append(lock.holder).append(" token=").append(lock.token)
                .append(" delayUntil=").append(lock.delayUntilNs).append('/').append(lock.delayTimerId)
                .append(" queue=[");
            for (Waiter w = lock.head; w != null; w = w.next)
            {
                b.append(' ').append(w.sessionId).append(':').append(w.sequence).append('@').append(w.deadlineNs)
                    .append('/').append(w.timerId);
            }
            b.append(" ]");
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ client helpers

    /**
     * Acquires {@code name}, waiting up to {@code timeoutMs} of log time behind earlier requests if another
     * session holds it (0: answer at once, see {@link #tryAcquire}).
     */
    public static byte[] acquire(final String name, final long timeoutMs)
    {
        if (timeoutMs < 0)
        {
            throw new IllegalArgumentException("timeout must be >= 0 ms: " + timeoutMs);
        }
        return command(OP_ACQUIRE, name, true, timeoutMs);
    }

    /** Acquires {@code name} only if it is free now: {@link #GRANTED} or {@link #NOT_GRANTED}. */
    public static byte[] tryAcquire(final String name)
    {
        return acquire(name, 0);
    }

    public static byte[] release(final String name)
    {
        return command(OP_RELEASE, name, false, 0);
    }

    /** Whether {@code token} is the current holder's fencing token: {@link #CURRENT} or {@link #STALE}. */
    public static byte[] check(final String name, final long token)
    {
        return command(OP_CHECK, name, true, token);
    }

    /** Who holds {@code name}: {@link #HELD}, {@link #DELAYED} or {@link #FREE}, with token and session. */
    public static byte[] holder(final String name)
    {
        return command(OP_HOLDER, name, false, 0);
    }

    private static byte[] command(final byte op, final String name, final boolean withArg, final long arg)
    {
        final byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length == 0 || n.length > NAME_LENGTH_MAX)
        {
            throw new IllegalArgumentException("lock name must be 1.." + NAME_LENGTH_MAX + " bytes of UTF-8");
        }
        final ByteBuffer b = ByteBuffer.allocate(1 + 3 + n.length + (withArg ? 8 : 0)).order(ORDER);
        b.put((byte)MACHINE_ID).put(op).putShort((short)n.length).put(n);
        if (withArg)
        {
            b.putLong(arg);
        }
        return b.array();
    }

    /** The status of a result, or {@link #NO_STATUS} if it is empty. */
    public static int status(final byte[] result)
    {
        return result.length == 0 ? NO_STATUS : result[0] & 0xFF;
    }

    public static int status(final DirectBuffer result, final int offset, final int length)
    {
        return length < 1 ? NO_STATUS : result.getByte(offset) & 0xFF;
    }

    /** The fencing token of a result (0 if it has none). */
    public static long token(final byte[] result)
    {
        return result.length < RESULT_LENGTH ? 0 : ByteBuffer.wrap(result).order(ORDER).getLong(1);
    }

    public static long token(final DirectBuffer result, final int offset, final int length)
    {
        return length < RESULT_LENGTH ? 0 : result.getLong(offset + 1, ORDER);
    }

    /** The holder session of a holder result (0 if none). */
    public static long holderSession(final byte[] result)
    {
        return result.length < HOLDER_RESULT_LENGTH ? 0 : ByteBuffer.wrap(result).order(ORDER).getLong(9);
    }

    public static long holderSession(final DirectBuffer result, final int offset, final int length)
    {
        return length < HOLDER_RESULT_LENGTH ? 0 : result.getLong(offset + 9, ORDER);
    }

    /** A status's name, for tools and logs. */
    public static String statusName(final int status)
    {
        switch (status)
        {
            case NO_STATUS: return "NO_STATUS";
            case GRANTED: return "GRANTED";
            case NOT_GRANTED: return "NOT_GRANTED";
            case TIMED_OUT: return "TIMED_OUT";
            case RELEASED: return "RELEASED";
            case NOT_HOLDER: return "NOT_HOLDER";
            case CURRENT: return "CURRENT";
            case STALE: return "STALE";
            case HELD: return "HELD";
            case FREE: return "FREE";
            case DELAYED: return "DELAYED";
            case REJECTED: return "REJECTED";
            default: return "STATUS_" + status;
        }
    }
}
