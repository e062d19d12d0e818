package io.paxlog.sim;

import io.paxlog.check.KvKind;
import io.paxlog.core.Entry;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulator's deterministic state machine: registers/counters by key with READ, WRITE, CAS and ADD, and a
 * per-session cache that answers a retried (session, sequence) from the cached result (exactly-once).
 */
final class KvMachine
{
    /** Result of applying one entry. */
    record Applied(boolean effective, boolean duplicate, long result) { }

    private final TreeMap<Long, Long> values = new TreeMap<>();
    private final Map<Long, long[]> sessions = new HashMap<>();

    Applied apply(final Entry entry)
    {
        if (entry.isNoop())
        {
            return new Applied(false, false, 0);
        }
        final long[] session = sessions.computeIfAbsent(entry.sessionId(), k -> new long[] {0, 0});
        if (entry.sequence() <= session[0])
        {
            return new Applied(false, true, entry.sequence() == session[0] ? session[1] : 0);
        }
        final long result = execute(entry.copyPayload());
        session[0] = entry.sequence();
        session[1] = result;
        return new Applied(true, false, result);
    }

    /** The cached result of {@code sequence} if it is the session's last applied one, else null. */
    Long cached(final long sessionId, final long sequence)
    {
        final long[] session = sessions.get(sessionId);
        return session != null && session[0] == sequence ? session[1] : null;
    }

    long read(final long key)
    {
        return values.getOrDefault(key, 0L);
    }

    private long execute(final byte[] cmd)
    {
        final KvKind kind = KvCommand.kind(cmd);
        final long key = KvCommand.key(cmd);
        final long current = read(key);
        switch (kind)
        {
            case READ:
                return current;
            case WRITE:
                values.put(key, KvCommand.arg1(cmd));
                return 0;
            case CAS:
                if (current == KvCommand.arg1(cmd))
                {
                    values.put(key, KvCommand.arg2(cmd));
                    return 1;
                }
                return 0;
            case ADD:
                values.put(key, current + KvCommand.arg1(cmd));
                return current + KvCommand.arg1(cmd);
            default:
                throw new IllegalStateException("kind " + kind);
        }
    }

    /** A digest of the state (values and sessions) for comparing replicas. */
    String digest()
    {
        return values.toString() + new TreeMap<>(sessionsView());
    }

    private Map<Long, Long> sessionsView()
    {
        final Map<Long, Long> view = new HashMap<>();
        sessions.forEach((k, v) -> view.put(k, v[0]));
        return view;
    }
}
