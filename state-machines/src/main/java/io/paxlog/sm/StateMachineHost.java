package io.paxlog.sm;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Hosts the state machines of one log and everything they share: client sessions (opened and closed through the
 * log, with an exactly-once window per session), deterministic timers, deferred answers, routing by machine id,
 * and snapshots of the whole. The node and the simulator both drive this class with committed entries.
 *
 * <p><b>Entries.</b> A client command entry carries its session, its sequence (1, 2, ...) and a payload whose
 * first byte is the machine id; the rest goes to that machine. An entry with sequence 0 is a host event, its
 * first byte the kind: {@link #EVENT_OPEN} (then the session TTL in ms, 8 bytes, and its window, 4),
 * {@link #EVENT_CLOSE} or {@link #EVENT_TICK} (only lets log time advance so timers fire). Build them with the static helpers.
 *
 * <p><b>Exactly-once.</b> Each session keeps the results of its {@code window} most recent sequences, the window its
 * client asked for when it opened the session (its most commands in flight, rounded up to a power of two, at most
 * {@link #SESSION_WINDOW}); a retried command is answered from there. Memory per session: about 21 bytes per window
 * cell plus each cached result. A sequence at or below the session's highest minus the window is
 * refused ({@link #TOO_OLD}). Commands of an unknown (never opened, or closed) session are refused
 * ({@link #NO_SESSION}).
 *
 * <p><b>Time.</b> Log time is the highest entry timestamp applied so far. Before each entry the host fires every
 * timer whose deadline that entry's timestamp reaches, ordered by (deadline, machine, timer id).
 *
 * <p>Threading: one thread. Determinism: the state depends only on the entries applied (and the snapshot
 * restored); iteration over hash maps never reaches state or output unsorted. No allocation on the steady-state
 * path once sessions and result cells exist.
 */
public final class StateMachineHost
{
    /** The largest exactly-once window a session may ask for (a power of two). */
    public static final int SESSION_WINDOW = 4096;
    /** The window of a session whose open did not state one (an open entry written before windows were stated). */
    public static final int SESSION_WINDOW_UNSTATED = 128;
    public static final byte EVENT_OPEN = 1;
    public static final byte EVENT_CLOSE = 2;
    public static final byte EVENT_TICK = 3;
    public static final long SESSION_TTL_DEFAULT_MS = 10_000;
    public static final long SESSION_TTL_MAX_MS = 24L * 3600 * 1000;
    /** The largest timer id a machine may use ({@link ApplyContext#scheduleTimer}): 2^48-1. */
    public static final long TIMER_ID_MAX = (1L << 48) - 1;

    /** Outcome: the command was applied; its result is in {@link #result()}. */
    public static final int APPLIED = 0;
    /** Outcome: a no-op or host event. */
    public static final int EVENT = 1;
    /** Outcome: applied before; the cached result is in {@link #result()}. */
    public static final int DUPLICATE = 2;
    /** Outcome: older than the session's window; not applied. */
    public static final int TOO_OLD = 3;
    /** Outcome of {@link #lookup}: not applied yet. */
    public static final int UNKNOWN = 4;
    /** Outcome: applied, the answer comes later (the machine returned {@link StateMachine#PENDING}). */
    public static final int PENDING = 5;
    /** Outcome: the session is not open; not applied. */
    public static final int NO_SESSION = 6;
    /** Outcome: no machine with that id, or an empty payload; not applied. */
    public static final int INVALID = 7;
    /** Outcome: applied before and still waiting for its answer (a retry of a {@link #PENDING} command). */
    public static final int WAITING = 8;

    /** An open event: kind, TTL in ms (8 bytes), window (4 bytes); big-endian. */
    public static final int OPEN_EVENT_LENGTH = 13;
    /** An open event written before windows were stated: kind and TTL; its session's window is 128. */
    static final int OPEN_EVENT_LENGTH_UNSTATED = 9;
    /** Version 2 added each session's window; version 1 snapshots (no version field) restore with 128. */
    private static final int SNAPSHOT_VERSION = 2;

    private static final byte CELL_EMPTY = 0;
    private static final byte CELL_DONE = 1;
    private static final byte CELL_PENDING = 2;

    /**
     * A session and its exactly-once cache: the outcomes of the sequences inside its window
     * ({@code (highestSequence - window, highestSequence]}), in {@code window} cells indexed by
     * {@code sequence & (window - 1)}. The window is the one its client asked for at open, rounded up to a power of
     * two; two sequences inside it never share a cell.
     */
    private static final class Session
    {
        final long id;
        final int window;
        long ttlNs;
        long highestSequence;
        final long[] sequences;
        final byte[] states;
        final int[] resultLengths;
        final ExpandableArrayBuffer[] results;

        Session(final long id, final long ttlNs, final int window)
        {
            this.id = id;
            this.ttlNs = ttlNs;
            this.window = window;
            sequences = new long[window];
            states = new byte[window];
            resultLengths = new int[window];
            results = new ExpandableArrayBuffer[window];
        }

        /** The cell holding {@code sequence}, or -1. */
        int find(final long sequence)
        {
            final int cell = (int)(sequence & (window - 1));
            return sequences[cell] == sequence && states[cell] != CELL_EMPTY ? cell : -1;
        }

        void store(final long sequence, final byte state, final DirectBuffer src, final int length)
        {
            final int cell = (int)(sequence & (window - 1));
            if (results[cell] == null)
            {
                results[cell] = new ExpandableArrayBuffer(Math.max(16, length));
            }
            results[cell].putBytes(0, src, 0, length);
            resultLengths[cell] = length;
            sequences[cell] = sequence;
            states[cell] = state;
        }
    }

    private final class Context implements ApplyContext
    {
        long slot;
        long sessionId;
        long sequence;
        int machineId;

        public long slot()
        {
            return slot;
        }

        public long timestampNs()
        {
            return logTimeNs;
        }

        public long sessionId()
        {
            return sessionId;
        }

        public long sequence()
        {
            return sequence;
        }

        public void scheduleTimer(final long timerId, final long deadlineNs)
        {
            checkTimerId(timerId);
            final long key = timerKey(machineId, timerId);
            timers.put(key, deadlineNs);
            nextDeadlineNs = Math.min(nextDeadlineNs, deadlineNs);
        }

        public void cancelTimer(final long timerId)
        {
            checkTimerId(timerId);
            if (timers.remove(timerKey(machineId, timerId)) != timers.missingValue())
            {
                nextDeadlineDirty = true;
            }
        }

        public void respond(final long sessionId, final long sequence, final DirectBuffer result, final int offset,
            final int length)
        {
            final Session s = sessions.get(sessionId);
            if (s == null || sequence < 1)
            {
                return;
            }
            final int cell = s.find(sequence);
            if (cell < 0 || s.states[cell] != CELL_PENDING)
            {
                return;
            }
            scratch.putBytes(0, result, offset, length);
            s.store(sequence, CELL_DONE, scratch, length);
            sink.onDeferredResponse(sessionId, sequence, slot, scratch, 0, length);
        }
    }

    private final StateMachine[] machines;
    private final ResponseSink sink;
    private final Context ctx = new Context();
    private final Long2ObjectHashMap<Session> sessions = new Long2ObjectHashMap<>();
    private final Long2LongHashMap timers = new Long2LongHashMap(Long.MIN_VALUE);
    private final LongArrayList dueKeys = new LongArrayList();
    private final LongArrayList dueDeadlines = new LongArrayList();
    private final ExpandableArrayBuffer result = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);
    private int resultLength;
    private long queryFailures;
    private long appliedSlot;
    private long logTimeNs;
    private long nextDeadlineNs = Long.MAX_VALUE;
    private boolean nextDeadlineDirty;

    /** Hosts {@code machines}; machine {@code i} is addressed by id {@code i} (at most 256). */
    public StateMachineHost(final ResponseSink sink, final StateMachine... machines)
    {
        if (machines.length == 0 || machines.length > 256)
        {
            throw new IllegalArgumentException("a host needs 1..256 state machines, got " + machines.length);
        }
        this.sink = sink;
        this.machines = machines.clone();
    }

    // ------------------------------------------------------------------ apply

    /** Applies a no-op entry (log time may advance, timers may fire). */
    public int applyNoop(final long slot, final long timestampNs)
    {
        advance(slot, timestampNs);
        return EVENT;
    }

    /**
     * Applies one committed entry of session {@code sessionId}; returns an outcome ({@link #APPLIED},
     * {@link #EVENT}, {@link #DUPLICATE}, {@link #TOO_OLD}, {@link #PENDING}, {@link #WAITING}, {@link #NO_SESSION},
     * {@link #INVALID}). A command's answer (every outcome but {@link #EVENT}) goes to the sink's
     * {@link ResponseSink#onAnswer}, after any deferred answers its apply produced: the one route of every answer.
     */
    public int apply(final long slot, final long timestampNs, final long sessionId, final long sequence,
        final DirectBuffer payload, final int offset, final int length)
    {
        advance(slot, timestampNs);
        if (sequence == 0)
        {
            return applyEvent(slot, sessionId, payload, offset, length);
        }
        final int outcome = applyCommand(slot, sessionId, sequence, payload, offset, length);
        sink.onAnswer(sessionId, sequence, slot, outcome, result, 0, resultLength);
        return outcome;
    }

    private int applyCommand(final long slot, final long sessionId, final long sequence, final DirectBuffer payload,
        final int offset, final int length)
    {
        final Session s = sessions.get(sessionId);
        if (s == null)
        {
            return NO_SESSION;
        }
        final int known = lookup(s, sequence);
        if (known != UNKNOWN)
        {
            return known;
        }
        final int machineId = length < 1 ? -1 : payload.getByte(offset) & 0xFF;
        if (machineId < 0 || machineId >= machines.length)
        {
            return INVALID;
        }
        ctx.slot = slot;
        ctx.sessionId = sessionId;
        ctx.sequence = sequence;
        ctx.machineId = machineId;
        final int r = machines[machineId].apply(ctx, payload, offset + 1, length - 1, result);
        s.highestSequence = Math.max(s.highestSequence, sequence);
        if (r == StateMachine.PENDING)
        {
            s.store(sequence, CELL_PENDING, result, 0);
            return PENDING;
        }
        resultLength = r;
        s.store(sequence, CELL_DONE, result, r);
        return APPLIED;
    }

    private int applyEvent(final long slot, final long sessionId, final DirectBuffer payload, final int offset,
        final int length)
    {
        final byte kind = length < 1 ? 0 : payload.getByte(offset);
        ctx.slot = slot;
        ctx.sessionId = sessionId;
        ctx.sequence = 0;
        if (kind == EVENT_OPEN && (length == OPEN_EVENT_LENGTH || length == OPEN_EVENT_LENGTH_UNSTATED))
        {
            final long ttlMs = payload.getLong(offset + 1, ByteOrder.BIG_ENDIAN);
            final int window = length == OPEN_EVENT_LENGTH ?
                windowFor(payload.getInt(offset + 9, ByteOrder.BIG_ENDIAN)) : SESSION_WINDOW_UNSTATED;
            final long ttlNs = Math.max(1, Math.min(ttlMs, SESSION_TTL_MAX_MS)) * 1_000_000L;
            final Session s = sessions.get(sessionId);
            if (s != null)
            {
                s.ttlNs = ttlNs; // a session's window is the one of its first open
                return EVENT;
            }
            sessions.put(sessionId, new Session(sessionId, ttlNs, window));
            for (int i = 0; i < machines.length; i++)
            {
                ctx.machineId = i;
                machines[i].onSessionOpened(ctx, sessionId);
            }
            return EVENT;
        }
        if (kind == EVENT_CLOSE && length == 1)
        {
            if (sessions.remove(sessionId) != null)
            {
                for (int i = 0; i < machines.length; i++)
                {
                    ctx.machineId = i;
                    machines[i].onSessionClosed(ctx, sessionId);
                }
            }
            return EVENT;
        }
        return kind == EVENT_TICK ? EVENT : INVALID;
    }

    private void advance(final long slot, final long timestampNs)
    {
        appliedSlot = slot;
        resultLength = 0;
        logTimeNs = Math.max(logTimeNs, timestampNs);
        fireTimers(slot);
    }

    /** Session {@code sessionId}'s exactly-once window (0 if it is not open). */
    public int sessionWindow(final long sessionId)
    {
        final Session s = sessions.get(sessionId);
        return s == null ? 0 : s.window;
    }

    /**
     * The window a session asking for {@code requested} gets: the power of two at or above it, within
     * 1..{@link #SESSION_WINDOW} ({@link #SESSION_WINDOW_UNSTATED} for 0 or less: not stated).
     */
    public static int windowFor(final int requested)
    {
        return requested <= 0 ? SESSION_WINDOW_UNSTATED :
            Integer.highestOneBit(Math.min(SESSION_WINDOW, requested) * 2 - 1);
    }

    /**
     * What became of ({@code sessionId}, {@code sequence}): {@link #DUPLICATE} (result in {@link #result()}),
     * {@link #WAITING} (applied, answer to come), {@link #TOO_OLD}, {@link #NO_SESSION} or {@link #UNKNOWN}.
     */
    public int lookup(final long sessionId, final long sequence)
    {
        resultLength = 0;
        final Session s = sessions.get(sessionId);
        return s == null ? NO_SESSION : lookup(s, sequence);
    }

    private int lookup(final Session s, final long sequence)
    {
        if (sequence < 1 || sequence <= s.highestSequence - s.window)
        {
            return TOO_OLD;
        }
        final int cell = s.find(sequence);
        if (cell < 0)
        {
            return UNKNOWN;
        }
        if (s.states[cell] == CELL_PENDING)
        {
            return WAITING;
        }
        resultLength = s.resultLengths[cell];
        result.putBytes(0, s.results[cell], 0, resultLength);
        return DUPLICATE;
    }

    /**
     * Runs a read-only query; the first byte names the machine. Returns false if there is no such machine or the
     * machine threw (a query it cannot read, say a malformed one: the client is answered REJECTED and
     * {@link #queryFailures()} counts it). A query changes no state, so its exception stops nothing, unlike one from
     * {@code apply}.
     */
    public boolean query(final DirectBuffer query, final int offset, final int length)
    {
        resultLength = 0;
        final int machineId = length < 1 ? -1 : query.getByte(offset) & 0xFF;
        if (machineId < 0 || machineId >= machines.length)
        {
            return false;
        }
        try
        {
            resultLength = machines[machineId].query(query, offset + 1, length - 1, result);
            return true;
        }
        catch (final RuntimeException ex)
        {
            resultLength = 0;
            queryFailures++;
            return false;
        }
    }

    /** Queries a machine threw from, answered REJECTED ({@link #query}). */
    public long queryFailures()
    {
        return queryFailures;
    }

    // ------------------------------------------------------------------ timers

    private static long timerKey(final int machineId, final long timerId)
    {
        return ((long)machineId << 48) | timerId;
    }

    private static void checkTimerId(final long timerId)
    {
        if (timerId < 0 || timerId > TIMER_ID_MAX)
        {
            throw new IllegalArgumentException("timer id must be in 0.." + TIMER_ID_MAX + ": " + timerId);
        }
    }

    /** The earliest timer deadline in log time, or {@link Long#MAX_VALUE} if none is scheduled. */
    public long nextTimerDeadlineNs()
    {
        if (nextDeadlineDirty)
        {
            nextDeadlineDirty = false;
            long min = Long.MAX_VALUE;
            final Long2LongHashMap.EntryIterator it = timers.entrySet().iterator();
            while (it.hasNext())
            {
                it.next();
                min = Math.min(min, it.getLongValue());
            }
            nextDeadlineNs = min;
        }
        return nextDeadlineNs;
    }

    private void fireTimers(final long slot)
    {
        while (nextTimerDeadlineNs() <= logTimeNs)
        {
            dueKeys.clear();
            dueDeadlines.clear();
            final Long2LongHashMap.EntryIterator it = timers.entrySet().iterator();
            while (it.hasNext())
            {
                it.next();
                if (it.getLongValue() <= logTimeNs)
                {
                    insertSorted(it.getLongKey(), it.getLongValue());
                }
            }
            for (int i = 0; i < dueKeys.size(); i++)
            {
                final long key = dueKeys.getLong(i);
                if (timers.get(key) != dueDeadlines.getLong(i))
                {
                    continue; // cancelled or moved by an earlier timer of this round
                }
                timers.remove(key);
                ctx.slot = slot;
                ctx.sessionId = 0;
                ctx.sequence = 0;
                ctx.machineId = (int)(key >>> 48);
                machines[ctx.machineId].onTimer(ctx, key & TIMER_ID_MAX);
            }
            nextDeadlineDirty = true;
        }
    }

    /** Keeps the due timers ordered by (deadline, key): hash order must not decide firing order. */
    private void insertSorted(final long key, final long deadline)
    {
        int i = dueKeys.size();
        dueKeys.addLong(key);
        dueDeadlines.addLong(deadline);
        while (i > 0 && (dueDeadlines.getLong(i - 1) > deadline ||
            (dueDeadlines.getLong(i - 1) == deadline && dueKeys.getLong(i - 1) > key)))
        {
            dueKeys.setLong(i, dueKeys.getLong(i - 1));
            dueDeadlines.setLong(i, dueDeadlines.getLong(i - 1));
            i--;
        }
        dueKeys.setLong(i, key);
        dueDeadlines.setLong(i, deadline);
    }

    // ------------------------------------------------------------------ sessions

    public boolean hasSession(final long sessionId)
    {
        return sessions.containsKey(sessionId);
    }

    /** The session's TTL (how long the leader waits without hearing from it before closing it), or -1. */
    public long sessionTtlNs(final long sessionId)
    {
        final Session s = sessions.get(sessionId);
        return s == null ? -1 : s.ttlNs;
    }

    public int sessionCount()
    {
        return sessions.size();
    }

    /** Fills {@code out} with the open sessions' ids (in no particular order). */
    public void sessionIds(final LongArrayList out)
    {
        out.clear();
        final Long2ObjectHashMap<Session>.KeyIterator it = sessions.keySet().iterator();
        while (it.hasNext())
        {
            out.addLong(it.nextLong());
        }
    }

    // ------------------------------------------------------------------ snapshots

    /** Writes the host's and every machine's state, deterministically (sorted, independent of hash order). */
    public void snapshot(final SnapshotWriter w)
    {
        w.writeInt(-SNAPSHOT_VERSION).writeInt(machines.length).writeLong(appliedSlot).writeLong(logTimeNs);
        final long[] ids = new long[sessions.size()];
        int n = 0;
        for (final Session s : sessions.values())
        {
            ids[n++] = s.id;
        }
        Arrays.sort(ids);
        w.writeInt(ids.length);
        for (final long id : ids)
        {
            final Session s = sessions.get(id);
            w.writeLong(s.id).writeLong(s.ttlNs).writeInt(s.window).writeLong(s.highestSequence);
            final long[] used = new long[s.window];
            int count = 0;
            for (int c = 0; c < s.sequences.length; c++)
            {
                if (s.states[c] != CELL_EMPTY)
                {
                    used[count++] = s.sequences[c];
                }
            }
            Arrays.sort(used, 0, count);
            w.writeInt(count);
            for (int u = 0; u < count; u++)
            {
                final int c = s.find(used[u]);
                w.writeLong(s.sequences[c]).writeByte(s.states[c]).writeBytes(s.results[c], 0, s.resultLengths[c]);
            }
        }
        final long[] keys = new long[timers.size()];
        n = 0;
        final Long2LongHashMap.KeyIterator kit = timers.keySet().iterator();
        while (kit.hasNext())
        {
            keys[n++] = kit.nextValue();
        }
        Arrays.sort(keys);
        w.writeInt(keys.length);
        for (final long key : keys)
        {
            w.writeLong(key).writeLong(timers.get(key));
        }
        for (final StateMachine m : machines)
        {
            m.snapshot(w);
        }
    }

    /** Replaces all state with a snapshot {@link #snapshot} wrote; call before applying anything. */
    public void restore(final SnapshotReader r)
    {
        final int first = r.readInt();
        final int version = first < 0 ? -first : 1; // version 1 began with the machine count; later ones with -version
        if (version > SNAPSHOT_VERSION)
        {
            throw new IllegalStateException("host snapshot version " + version + " is newer than this host's " +
                SNAPSHOT_VERSION);
        }
        final int machineCount = first < 0 ? r.readInt() : first;
        if (machineCount != machines.length)
        {
            throw new IllegalStateException("snapshot holds " + machineCount + " state machines, this host has " +
                machines.length);
        }
        appliedSlot = r.readLong();
        logTimeNs = r.readLong();
        sessions.clear();
        final int sessionCount = r.readInt();
        for (int i = 0; i < sessionCount; i++)
        {
            final long id = r.readLong();
            final long ttlNs = r.readLong();
            final Session s = new Session(id, ttlNs, version >= 2 ? windowFor(r.readInt()) : SESSION_WINDOW_UNSTATED);
            s.highestSequence = r.readLong();
            final int used = r.readInt();
            for (int u = 0; u < used; u++)
            {
                final long seq = r.readLong();
                final byte state = r.readByte();
                final byte[] bytes = r.readBytes();
                scratch.putBytes(0, bytes);
                s.store(seq, state, scratch, bytes.length);
            }
            sessions.put(s.id, s);
        }
        timers.clear();
        final int timerCount = r.readInt();
        for (int i = 0; i < timerCount; i++)
        {
            final long key = r.readLong();
            final long deadline = r.readLong();
            if (deadline == timers.missingValue())
            {
                throw new IllegalStateException("snapshot corrupt: timer " + key + " has no deadline");
            }
            timers.put(key, deadline);
        }
        nextDeadlineDirty = true;
        for (final StateMachine m : machines)
        {
            m.restore(r);
        }
    }

    // ------------------------------------------------------------------ results and helpers

    public DirectBuffer result()
    {
        return result;
    }

    public int resultLength()
    {
        return resultLength;
    }

    public long appliedSlot()
    {
        return appliedSlot;
    }

    public long logTimeNs()
    {
        return logTimeNs;
    }

    public StateMachine machine(final int machineId)
    {
        return machines[machineId];
    }

    /** The payload of an open-session event with a TTL in milliseconds and an exactly-once window. */
    public static byte[] openEvent(final long ttlMs, final int window)
    {
        final byte[] event = new byte[OPEN_EVENT_LENGTH];
        openEvent(new org.agrona.concurrent.UnsafeBuffer(event), 0, ttlMs, window);
        return event;
    }

    /** Writes an open-session event into {@code dst} ({@link #OPEN_EVENT_LENGTH} bytes); returns its length. */
    public static int openEvent(final MutableDirectBuffer dst, final int offset, final long ttlMs, final int window)
    {
        dst.putByte(offset, EVENT_OPEN);
        dst.putLong(offset + 1, ttlMs, ByteOrder.BIG_ENDIAN);
        dst.putInt(offset + 9, window, ByteOrder.BIG_ENDIAN);
        return OPEN_EVENT_LENGTH;
    }

    public static byte[] closeEvent()
    {
        return new byte[] {EVENT_CLOSE};
    }

    public static byte[] tickEvent()
    {
        return new byte[] {EVENT_TICK};
    }

    /** A command for machine {@code machineId}: the id byte, then the machine's own bytes. */
    public static byte[] command(final int machineId, final byte[] machineCommand)
    {
        if (machineId < 0 || machineId > 255)
        {
            throw new IllegalArgumentException("machine id must be in 0..255: " + machineId);
        }
        final byte[] b = new byte[machineCommand.length + 1];
        b[0] = (byte)machineId;
        System.arraycopy(machineCommand, 0, b, 1, machineCommand.length);
        return b;
    }
}
