package io.paxlog.node;

import io.paxlog.core.Entry;
import io.paxlog.sm.StateMachine;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Iterator;

/**
 * Applies committed entries to the state machine with exactly-once semantics per (session, sequence).
 *
 * <p>Each session keeps the results of its {@link #SESSION_WINDOW} most recent sequences, so a client may pipeline
 * up to that many commands and a retried one (same session and sequence, perhaps in another slot after a leader
 * change, perhaps after later sequences were applied) is answered from the cache instead of being applied twice.
 * A sequence at or below the session's highest applied sequence minus the window can no longer be told apart
 * and is refused ({@link #TOO_OLD}); clients never have more than the window outstanding, so this happens only
 * to a client that broke that rule.
 *
 * <p>Sessions idle for {@link #SESSION_RETENTION_NS} of log time (entry timestamps, the leader's epoch clock)
 * are forgotten, so the table is bounded by the sessions active in that period. Deterministic: every replica
 * applies the same entries and so holds the same table. No allocation once a session and its cells exist.
 *
 * <p>After {@link #apply} or {@link #lookup}, the result is in {@link #result()} with {@link #resultLength()}
 * bytes, valid until the next call. Threading: the node's duty-cycle thread only.
 */
public final class ServiceHost
{
    /** Sequences per session whose results are kept (and the most a client may have outstanding). */
    public static final int SESSION_WINDOW = 128;
    /** Log time after which a silent session's results are forgotten. */
    public static final long SESSION_RETENTION_NS = 10L * 60 * 1_000_000_000L;
    private static final long SWEEP_INTERVAL_NS = 1_000_000_000L;

    /** {@link #apply}/{@link #lookup} outcome: the command was applied now. */
    public static final int APPLIED = 0;
    /** The entry was a no-op. */
    public static final int NOOP = 1;
    /** The sequence was applied before; its cached result is in {@link #result()}. */
    public static final int DUPLICATE = 2;
    /** The sequence is older than the session's window: not applied, no result. */
    public static final int TOO_OLD = 3;
    /** {@link #lookup}: the sequence has not been applied. */
    public static final int UNKNOWN = 4;

    private static final class SessionState
    {
        long highestSequence;
        long lastActiveNs;
        final long[] sequences = new long[SESSION_WINDOW];
        final int[] resultLengths = new int[SESSION_WINDOW];
        final ExpandableArrayBuffer[] results = new ExpandableArrayBuffer[SESSION_WINDOW];
    }

    private final StateMachine machine;
    private final Long2ObjectHashMap<SessionState> sessionStates = new Long2ObjectHashMap<>();
    private final UnsafeBuffer command = new UnsafeBuffer(0, 0);
    private final ExpandableArrayBuffer result = new ExpandableArrayBuffer(256);
    private int resultLength;
    private long appliedSlot;
    private long logTimeNs;
    private long lastSweepNs;

    public ServiceHost(final StateMachine machine)
    {
        this.machine = machine;
    }

    /** Applies one committed slot; returns {@link #APPLIED}, {@link #NOOP}, {@link #DUPLICATE} or {@link #TOO_OLD}. */
    public int apply(final long slot, final Entry entry)
    {
        appliedSlot = slot;
        resultLength = 0;
        logTimeNs = Math.max(logTimeNs, entry.timestampNs());
        sweep();
        if (entry.isNoop())
        {
            return NOOP;
        }
        SessionState state = sessionStates.get(entry.sessionId());
        if (state == null)
        {
            state = new SessionState();
            sessionStates.put(entry.sessionId(), state);
        }
        state.lastActiveNs = logTimeNs;
        final long sequence = entry.sequence();
        final int known = lookup(state, sequence);
        if (known != UNKNOWN)
        {
            return known;
        }
        command.wrap(entry.payloadArray(), 0, entry.payloadLength());
        resultLength = machine.apply(slot, entry.timestampNs(), command, 0, entry.payloadLength(), result);
        final int cell = cell(sequence);
        ExpandableArrayBuffer cached = state.results[cell];
        if (cached == null)
        {
            cached = new ExpandableArrayBuffer(16);
            state.results[cell] = cached;
        }
        cached.putBytes(0, result, 0, resultLength);
        state.resultLengths[cell] = resultLength;
        state.sequences[cell] = sequence;
        state.highestSequence = Math.max(state.highestSequence, sequence);
        return APPLIED;
    }

    /**
     * What became of ({@code sessionId}, {@code sequence}) so far: {@link #DUPLICATE} (result in {@link #result()}),
     * {@link #TOO_OLD} or {@link #UNKNOWN} (not applied yet).
     */
    public int lookup(final long sessionId, final long sequence)
    {
        resultLength = 0;
        final SessionState state = sessionStates.get(sessionId);
        return state == null ? (sequence < 1 ? TOO_OLD : UNKNOWN) : lookup(state, sequence);
    }

    private int lookup(final SessionState state, final long sequence)
    {
        if (sequence < 1 || sequence <= state.highestSequence - SESSION_WINDOW)
        {
            return TOO_OLD;
        }
        final int cell = cell(sequence);
        if (state.sequences[cell] != sequence)
        {
            return UNKNOWN;
        }
        resultLength = state.resultLengths[cell];
        result.putBytes(0, state.results[cell], 0, resultLength);
        return DUPLICATE;
    }

    private static int cell(final long sequence)
    {
        return (int)(sequence & (SESSION_WINDOW - 1));
    }

    private void sweep()
    {
        if (logTimeNs - lastSweepNs < SWEEP_INTERVAL_NS)
        {
            return;
        }
        lastSweepNs = logTimeNs;
        final Iterator<SessionState> it = sessionStates.values().iterator();
        while (it.hasNext())
        {
            if (logTimeNs - it.next().lastActiveNs > SESSION_RETENTION_NS)
            {
                it.remove();
            }
        }
    }

    /** Runs a read-only query; its result is then in {@link #result()}. */
    public void query(final DirectBuffer query, final int offset, final int length)
    {
        resultLength = machine.query(query, offset, length, result);
    }

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

    /** Sessions whose results are held. */
    public int sessionCount()
    {
        return sessionStates.size();
    }

    public StateMachine machine()
    {
        return machine;
    }
}
