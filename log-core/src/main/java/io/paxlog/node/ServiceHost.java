package io.paxlog.node;

import io.paxlog.core.Entry;
import io.paxlog.sm.StateMachine;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Applies committed entries to the state machine with exactly-once semantics: each client session's last
 * sequence and its result are kept, so a retried command (same session and sequence, perhaps in another slot
 * after a leader change) is answered from the cache instead of being applied twice. Deterministic: every replica
 * holds the same table. After {@link #apply} or {@link #cached}, the result is in {@link #result()} with
 * {@link #resultLength()} bytes, valid until the next call. No allocation once a session exists.
 */
public final class ServiceHost
{
    /** Per session: the last applied sequence and its result. */
    private static final class SessionState
    {
        long lastSequence;
        final ExpandableArrayBuffer lastResult = new ExpandableArrayBuffer(16);
        int lastResultLength;
    }

    private final StateMachine machine;
    private final Long2ObjectHashMap<SessionState> sessionStates = new Long2ObjectHashMap<>();
    private final UnsafeBuffer command = new UnsafeBuffer(0, 0);
    private final ExpandableArrayBuffer result = new ExpandableArrayBuffer(256);
    private int resultLength;
    private long appliedSlot;

    public ServiceHost(final StateMachine machine)
    {
        this.machine = machine;
    }

    /** Applies one committed slot; returns true if it took effect (false for no-ops and duplicates). */
    public boolean apply(final long slot, final Entry entry)
    {
        appliedSlot = slot;
        resultLength = 0;
        if (entry.isNoop())
        {
            return false;
        }
        SessionState state = sessionStates.get(entry.sessionId());
        if (state == null)
        {
            state = new SessionState();
            sessionStates.put(entry.sessionId(), state);
        }
        if (entry.sequence() <= state.lastSequence)
        {
            if (entry.sequence() == state.lastSequence)
            {
                copyCached(state);
            }
            return false;
        }
        command.wrap(entry.payload());
        resultLength = machine.apply(slot, entry.timestampNs(), command, 0, entry.payload().length, result);
        state.lastSequence = entry.sequence();
        state.lastResult.putBytes(0, result, 0, resultLength);
        state.lastResultLength = resultLength;
        return true;
    }

    /** True if {@code sequence} is the session's last applied command; its result is then in {@link #result()}. */
    public boolean cached(final long sessionId, final long sequence)
    {
        final SessionState state = sessionStates.get(sessionId);
        if (state == null || state.lastSequence != sequence)
        {
            return false;
        }
        copyCached(state);
        return true;
    }

    private void copyCached(final SessionState state)
    {
        result.putBytes(0, state.lastResult, 0, state.lastResultLength);
        resultLength = state.lastResultLength;
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

    public StateMachine machine()
    {
        return machine;
    }
}
