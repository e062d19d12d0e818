package io.paxlog.sm;

import io.paxlog.sm.LockIndex.Lock;
import io.paxlog.sm.LockIndex.Waiter;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Named exclusive locks held by client sessions, with fencing tokens, FIFO waiters with timeouts, release on
 * session close and an optional lock-delay. Commands and results are small big-endian records: clients build them
 * with {@link LockCommands} and read them with {@link LockResults}; commands carry the {@link #MACHINE_ID} byte a
 * {@link StateMachineHost} routes by, and the layouts below follow that byte.
 *
 * <p><b>Commands:</b> {@code op(1) nameLength(2) name(UTF-8, 1..256 bytes)} then, by op:
 * <ul>
 *   <li>{@link #OP_ACQUIRE}: {@code timeoutMs(8)}, 0 for a try-lock ({@link LockCommands#acquire},
 *   {@link LockCommands#tryAcquire});</li>
 *   <li>{@link #OP_RELEASE}: nothing ({@link LockCommands#release});</li>
 *   <li>{@link #OP_CHECK}: {@code token(8)} ({@link LockCommands#check}; also a query);</li>
 *   <li>{@link #OP_HOLDER}: nothing ({@link LockCommands#holder}; also a query).</li>
 * </ul>
 * Names are compared as bytes. A malformed command (unknown op, bad name length, wrong total length, negative
 * timeout) or an acquire from session 0 changes nothing and gives an empty result. Queries answer only
 * {@link #OP_CHECK} and {@link #OP_HOLDER}; anything else queried gives an empty result.
 *
 * <p><b>Results:</b> {@code status(1) token(8)} (9 bytes) for acquire, release and check; {@code status(1)
 * token(8) holderSession(8)} (17 bytes) for holder. Read them with {@link LockResults#status},
 * {@link LockResults#token} and {@link LockResults#holderSession}.
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
 *
 * <p>Threading: as every {@link StateMachine}, called from one thread only (its host's). The client-side helpers
 * {@link LockCommands} and {@link LockResults} are stateless and may be used from any thread.
 */
public final class LockTable implements StateMachine
{
    /** The id {@link LockCommands} addresses: hosts place the lock table here ({@link Machines#standard()}). */
    public static final int MACHINE_ID = Machines.LOCKS;

    public static final byte OP_ACQUIRE = 1;
    public static final byte OP_RELEASE = 2;
    public static final byte OP_CHECK = 3;
    public static final byte OP_HOLDER = 4;

    /** {@link LockResults#status} of an empty result: the command was malformed (or refused by the host). */
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
    private static final int SNAPSHOT_VERSION = 1;

    private final long lockDelayNs;
    /** The locks with state and their waiters, by name, session and timer id. */
    private final LockIndex locks = new LockIndex();
    private long lastToken;
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
        final int nameLength = LockCommands.nameLength(command, offset, length);
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
        final int nameLength = LockCommands.nameLength(query, offset, length);
        return nameLength < 0 ? 0 : read(query, offset, offset + 3, nameLength, result);
    }

    private int acquire(final ApplyContext ctx, final DirectBuffer cmd, final int nameOffset, final int nameLength,
        final long timeoutMs, final MutableDirectBuffer result)
    {
        final long session = ctx.sessionId();
        final long hash = LockIndex.hash(cmd, nameOffset, nameLength);
        final int index = locks.find(cmd, nameOffset, nameLength, hash);
        if (index < 0)
        {
            if (locks.count() >= LOCKS_MAX)
            {
                return LockResults.write(result, REJECTED, 0);
            }
            final Lock lock = locks.insert(-index - 1, cmd, nameOffset, nameLength, hash);
            grant(ctx, lock, session);
            return LockResults.write(result, GRANTED, lock.token);
        }
        final Lock lock = locks.at(index);
        if (lock.holder == session)
        {
            return LockResults.write(result, GRANTED, lock.token);
        }
        if (timeoutMs == 0)
        {
            return LockResults.write(result, NOT_GRANTED, lock.token);
        }
        if (locks.waiterCount() >= WAITERS_MAX)
        {
            return LockResults.write(result, REJECTED, 0);
        }
        final Waiter w = new Waiter(lock, session, ctx.sequence(), deadline(ctx.timestampNs(), timeoutMs),
            locks.newTimerId());
        locks.enqueue(w);
        ctx.scheduleTimer(w.timerId, w.deadlineNs);
        return PENDING;
    }

    private int release(final ApplyContext ctx, final DirectBuffer cmd, final int nameOffset, final int nameLength,
        final MutableDirectBuffer result)
    {
        final long session = ctx.sessionId();
        final int index = locks.find(cmd, nameOffset, nameLength, LockIndex.hash(cmd, nameOffset, nameLength));
        if (index < 0)
        {
            return LockResults.write(result, NOT_HOLDER, 0);
        }
        final Lock lock = locks.at(index);
        if (lock.holder != session || session == 0)
        {
            return LockResults.write(result, NOT_HOLDER, lock.holder != 0 ? lock.token : 0);
        }
        final long released = lock.token;
        locks.unhold(lock);
        handOver(ctx, lock);
        return LockResults.write(result, RELEASED, released);
    }

    /** CHECK and HOLDER: read-only, through the log or as a query. */
    private int read(final DirectBuffer cmd, final int offset, final int nameOffset, final int nameLength,
        final MutableDirectBuffer result)
    {
        final int index = locks.find(cmd, nameOffset, nameLength, LockIndex.hash(cmd, nameOffset, nameLength));
        final Lock lock = index >= 0 ? locks.at(index) : null;
        final long currentToken = lock != null && lock.holder != 0 ? lock.token : 0;
        switch (cmd.getByte(offset))
        {
            case OP_CHECK:
                final long token = cmd.getLong(nameOffset + nameLength, ORDER);
                final int verdict = currentToken != 0 && token == currentToken ? CURRENT : STALE;
                return LockResults.write(result, verdict, currentToken);
            case OP_HOLDER:
                final int status = lock == null ? FREE : lock.holder != 0 ? HELD : DELAYED;
                return LockResults.writeHolder(result, status, lock == null ? 0 : lock.token,
                    lock == null ? 0 : lock.holder);
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
        if (locks.waits(sessionId) > 0)
        {
            for (int i = 0; i < locks.capacity(); i++)
            {
                final Lock lock = locks.at(i);
                if (lock != null)
                {
                    dropWaits(ctx, lock, sessionId);
                }
            }
        }
        if (locks.holds(sessionId) == 0)
        {
            return;
        }
        for (final Lock lock : locks.heldBy(sessionId))
        {
            locks.unhold(lock);
            if (lockDelayNs > 0)
            {
                lock.delayUntilNs = saturatingAdd(ctx.timestampNs(), lockDelayNs);
                lock.delayTimerId = locks.newTimerId();
                locks.addTimer(lock.delayTimerId, lock);
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
        final Object target = locks.timer(timerId);
        if (target instanceof Waiter)
        {
            final Waiter w = (Waiter)target;
            unlink(ctx, w, false);
            respond(ctx, w, TIMED_OUT, w.lock.token);
        }
        else if (target instanceof Lock)
        {
            final Lock lock = (Lock)target;
            locks.removeTimer(timerId);
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
        locks.hold(lock, session);
        lock.token = token;
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
            locks.remove(lock);
            return;
        }
        unlink(ctx, w, true);
        grant(ctx, lock, w.sessionId);
        respond(ctx, w, GRANTED, lock.token);
        if (locks.waits(w.sessionId) > 0)
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

    /** Takes a waiter out of its lock's queue; {@code cancelTimer} unless its timer is the one firing. */
    private void unlink(final ApplyContext ctx, final Waiter w, final boolean cancelTimer)
    {
        locks.unlink(w);
        if (cancelTimer)
        {
            ctx.cancelTimer(w.timerId);
        }
    }

    private void respond(final ApplyContext ctx, final Waiter w, final int status, final long token)
    {
        ctx.respond(w.sessionId, w.sequence, answer, 0, LockResults.write(answer, status, token));
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

    // ------------------------------------------------------------------ snapshots

    /**
     * Writes {@code version(4) lastToken(8) nextTimerId(8) locks(4)}, then per lock in name order {@code name
     * holder(8) token(8) delayUntilNs(8) delayTimerId(8) waiters(4)} and per waiter in queue order
     * {@code session(8) sequence(8) deadlineNs(8) timerId(8)} (the {@link SnapshotWriter}'s encoding).
     */
    public void snapshot(final SnapshotWriter writer)
    {
        final Lock[] sorted = locks.sorted();
        writer.writeInt(SNAPSHOT_VERSION).writeLong(lastToken).writeLong(locks.nextTimerId()).writeInt(sorted.length);
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
        locks.clear();
        final int version = reader.readInt();
        if (version != SNAPSHOT_VERSION)
        {
            throw new IllegalStateException("lock table snapshot version " + version + ", expected " +
                SNAPSHOT_VERSION);
        }
        lastToken = reader.readLong();
        final long nextTimerId = reader.readLong();
        final int count = reader.readInt();
        if (count < 0 || nextTimerId < 1 || nextTimerId > LockIndex.TIMER_ID_MAX)
        {
            throw new IllegalStateException("lock table snapshot corrupt: " + count + " locks, next timer " +
                nextTimerId);
        }
        locks.nextTimerId(nextTimerId);
        final UnsafeBuffer name = new UnsafeBuffer(new byte[0]);
        for (int i = 0; i < count; i++)
        {
            final byte[] bytes = reader.readBytes();
            name.wrap(bytes);
            final long hash = LockIndex.hash(name, 0, bytes.length);
            final int index = locks.find(name, 0, bytes.length, hash);
            if (bytes.length == 0 || bytes.length > NAME_LENGTH_MAX || index >= 0)
            {
                throw new IllegalStateException("lock table snapshot corrupt: bad or repeated lock name");
            }
            final Lock lock = locks.insert(-index - 1, name, 0, bytes.length, hash);
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
                locks.countHold(lock.holder);
            }
            else
            {
                locks.restoreTimer(lock.delayTimerId, lock);
            }
            final int waiters = reader.readInt();
            for (int k = 0; k < waiters; k++)
            {
                final Waiter w = new Waiter(lock, reader.readLong(), reader.readLong(), reader.readLong(),
                    reader.readLong());
                locks.restoreTimer(w.timerId, null);
                locks.enqueue(w);
            }
        }
    }

    // ------------------------------------------------------------------ inspection (tests, tools)

    /** Locks with state (held or delayed). */
    public int lockCount()
    {
        return locks.count();
    }

    /** Queued waiters over all locks. */
    public int waiterCount()
    {
        return locks.waiterCount();
    }

    public long lockDelayNs()
    {
        return lockDelayNs;
    }

    /** A readable dump of the whole state in name order, for comparing replicas. */
    public String digest()
    {
        final StringBuilder b = new StringBuilder();
        b.append("lastToken=").append(lastToken).append(" nextTimer=").append(locks.nextTimerId()).append(" locks=")
            .append(locks.count()).append(" waiters=").append(locks.waiterCount());
        for (final Lock lock : locks.sorted())
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
}
