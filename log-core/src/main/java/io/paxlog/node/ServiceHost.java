package io.paxlog.node;

import io.paxlog.core.Entry;
import io.paxlog.sm.StateMachine;

import java.util.HashMap;
import java.util.Map;

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
    private final Map<Long, long[]> lastSequence = new HashMap<>();
    private final Map<Long, byte[]> lastResult = new HashMap<>();
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
        final long[] last = lastSequence.computeIfAbsent(entry.sessionId(), k -> new long[1]);
        if (entry.sequence() <= last[0])
        {
            final byte[] cached = entry.sequence() == last[0] ? lastResult.get(entry.sessionId()) : null;
            return new Applied(false, cached == null ? EMPTY : cached);
        }
        final byte[] result = machine.apply(slot, entry.timestampNs(), entry.payload());
        last[0] = entry.sequence();
        lastResult.put(entry.sessionId(), result);
        return new Applied(true, result);
    }

    /** The cached result if {@code sequence} is the session's last applied command, else null. */
    public byte[] cached(final long sessionId, final long sequence)
    {
        final long[] last = lastSequence.get(sessionId);
        return last != null && last[0] == sequence ? lastResult.get(sessionId) : null;
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
