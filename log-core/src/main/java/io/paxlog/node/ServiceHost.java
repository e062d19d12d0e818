package io.paxlog.node;

import io.paxlog.core.Entry;
import io.paxlog.sm.StateMachine;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * Applies committed entries to the state machine with exactly-once semantics: each client session's last
 * sequence and its result are kept, so a retried command (same session and sequence, perhaps in another slot
 * after a leader change) is answered from the cache instead of being applied twice. Deterministic: every replica
 * holds the same table.
 */
public final class ServiceHost
{
    /** Outcome of applying one slot. */
    public record Applied(boolean effective, byte[] result) { }

    private static final byte[] EMPTY = new byte[0];
    private static final Applied NOOP = new Applied(false, EMPTY);

    private final StateMachine machine;
    /** Per session: the last applied sequence and its result. */
    private static final class SessionState
    {
        long lastSequence;
        byte[] lastResult = EMPTY;
    }

    private final Long2ObjectHashMap<SessionState> sessionStates = new Long2ObjectHashMap<>();
    private long appliedSlot;

    public ServiceHost(final StateMachine machine)
    {
        this.machine = machine;
    }

    public Applied apply(final long slot, final Entry entry)
    {
        appliedSlot = slot;
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
        if (entry.sequence() <= state.lastSequence)
        {
            return new Applied(false, entry.sequence() == state.lastSequence ? state.lastResult : EMPTY);
        }
        final byte[] result = machine.apply(slot, entry.timestampNs(), entry.payload());
        state.lastSequence = entry.sequence();
        state.lastResult = result;
        return new Applied(true, result);
    }

    /** The cached result if {@code sequence} is the session's last applied command, else null. */
    public byte[] cached(final long sessionId, final long sequence)
    {
        final SessionState state = sessionStates.get(sessionId);
        return state != null && state.lastSequence == sequence ? state.lastResult : null;
    }

    public byte[] query(final byte[] query)
    {
        return machine.query(query);
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
