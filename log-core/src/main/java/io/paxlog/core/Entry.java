package io.paxlog.core;

import java.util.Arrays;

/**
 * The value of one log slot: a client command (session, sequence, payload) or a no-op. Immutable. The leader
 * stamps {@code timestampNs} from its own clock when it proposes; state machines take time only from here.
 * The slot and the ballot a copy was accepted in are kept beside the entry, not inside it.
 */
public final class Entry
{
    public static final byte TYPE_NOOP = 0;
    public static final byte TYPE_COMMAND = 1;

    private static final byte[] EMPTY = new byte[0];

    private final byte type;
    private final long sessionId;
    private final long sequence;
    private final long timestampNs;
    private final byte[] payload;

    public Entry(final byte type, final long sessionId, final long sequence, final long timestampNs, final byte[] payload)
    {
        Invariants.check(type == TYPE_NOOP || type == TYPE_COMMAND, "entry type");
        this.type = type;
        this.sessionId = sessionId;
        this.sequence = sequence;
        this.timestampNs = timestampNs;
        this.payload = payload == null ? EMPTY : payload;
    }

    public static Entry noop(final long timestampNs)
    {
        return new Entry(TYPE_NOOP, 0, 0, timestampNs, EMPTY);
    }

    public static Entry command(final long sessionId, final long sequence, final long timestampNs, final byte[] payload)
    {
        return new Entry(TYPE_COMMAND, sessionId, sequence, timestampNs, payload);
    }

    public byte type()
    {
        return type;
    }

    public boolean isNoop()
    {
        return type == TYPE_NOOP;
    }

    public long sessionId()
    {
        return sessionId;
    }

    public long sequence()
    {
        return sequence;
    }

    public long timestampNs()
    {
        return timestampNs;
    }

    /** The payload; callers must not modify it. */
    public byte[] payload()
    {
        return payload;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof Entry))
        {
            return false;
        }
        final Entry e = (Entry)o;
        return type == e.type && sessionId == e.sessionId && sequence == e.sequence &&
            timestampNs == e.timestampNs && Arrays.equals(payload, e.payload);
    }

    @Override
    public int hashCode()
    {
        int h = type;
        h = 31 * h + Long.hashCode(sessionId);
        h = 31 * h + Long.hashCode(sequence);
        h = 31 * h + Long.hashCode(timestampNs);
        return 31 * h + Arrays.hashCode(payload);
    }

    @Override
    public String toString()
    {
        return isNoop() ? "noop@" + timestampNs :
            "cmd(s=" + sessionId + ",q=" + sequence + ",t=" + timestampNs + ",len=" + payload.length + ")";
    }
}
