package io.paxlog.core;

/**
 * Reusable arrays for a batch of log entries sent in one message (a promise's accepted values, a catch-up
 * response): slot, ballot and entry at the same index. The entries are the log's own cells, lent for the
 * duration of one call and cleared after it, so the batch never keeps a cell alive.
 *
 * <p>Not thread-safe: owned by one {@link ConsensusNode}.
 */
final class EntryBatch
{
    final long[] slots;
    final long[] ballots;
    final Entry[] entries;

    EntryBatch(final int capacity)
    {
        slots = new long[capacity];
        ballots = new long[capacity];
        entries = new Entry[capacity];
    }

    /** Every slot the log holds from {@code fromSlot} to its last, up to the capacity; returns the count. */
    int collectHeld(final EntryLog log, final long fromSlot)
    {
        int count = 0;
        for (long slot = fromSlot; slot <= log.lastSlot() && count < slots.length; slot++)
        {
            if (log.has(slot))
            {
                add(count++, log, slot);
            }
        }
        return count;
    }

    /** The unbroken run of held slots from {@code fromSlot} to at most {@code lastSlot}; returns the count. */
    int collectRun(final EntryLog log, final long fromSlot, final long lastSlot)
    {
        int count = 0;
        for (long slot = fromSlot; slot <= lastSlot && count < slots.length && log.has(slot); slot++)
        {
            add(count++, log, slot);
        }
        return count;
    }

    private void add(final int i, final EntryLog log, final long slot)
    {
        slots[i] = slot;
        ballots[i] = log.ballot(slot);
        entries[i] = log.entry(slot);
    }

    /** Lets go of the first {@code count} lent cells. */
    void clear(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            entries[i] = null;
        }
    }
}
