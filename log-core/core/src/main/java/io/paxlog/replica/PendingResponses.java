package io.paxlog.replica;

import org.agrona.BitUtil;

import java.util.Arrays;

/**
 * Which client waits for which slot on the leader: a ring indexed by slot, sized above the window of
 * uncommitted slots so two pending slots never share a cell. No allocation after construction.
 */
final class PendingResponses
{
    private final long[] slots;
    private final long[] sessionIds;
    private final long[] sequences;
    private final int mask;

    PendingResponses(final int windowSlots)
    {
        final int capacity = BitUtil.findNextPositivePowerOfTwo(Math.max(16, windowSlots * 2));
        slots = new long[capacity];
        sessionIds = new long[capacity];
        sequences = new long[capacity];
        mask = capacity - 1;
    }

    void add(final long slot, final long sessionId, final long sequence)
    {
        final int i = (int)(slot & mask);
        slots[i] = slot;
        sessionIds[i] = sessionId;
        sequences[i] = sequence;
    }

    /** True (and forgotten) if a client waits for {@code slot} with exactly this session and sequence. */
    boolean take(final long slot, final long sessionId, final long sequence)
    {
        final int i = (int)(slot & mask);
        if (slots[i] != slot)
        {
            return false;
        }
        slots[i] = 0;
        return sessionIds[i] == sessionId && sequences[i] == sequence;
    }

    void clear()
    {
        Arrays.fill(slots, 0);
    }
}
