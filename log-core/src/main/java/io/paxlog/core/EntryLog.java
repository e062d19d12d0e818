package io.paxlog.core;

import java.util.Arrays;

/**
 * The in-memory view of a node's log: for each slot the entry it holds and the ballot it holds it in, and the
 * commit point. {@code commitSlot} is contiguous: every slot up to it is committed and held with its chosen value.
 * Slots start at 1.
 */
final class EntryLog
{
    private static final int INITIAL_CAPACITY = 1024;

    private Entry[] entries = new Entry[INITIAL_CAPACITY];
    private long[] ballots = new long[INITIAL_CAPACITY];
    private boolean[] committedFlags = new boolean[INITIAL_CAPACITY];
    private long lastSlot;
    private long commitSlot;

    long lastSlot()
    {
        return lastSlot;
    }

    long commitSlot()
    {
        return commitSlot;
    }

    boolean has(final long slot)
    {
        return slot >= 1 && slot <= lastSlot && entries[index(slot)] != null;
    }

    Entry entry(final long slot)
    {
        return slot >= 1 && slot <= lastSlot ? entries[index(slot)] : null;
    }

    long ballot(final long slot)
    {
        return slot >= 1 && slot <= lastSlot ? ballots[index(slot)] : Ballot.NONE;
    }

    /** Stores {@code entry} at {@code slot} in {@code ballot}; a committed slot may only be re-stored with its value. */
    void put(final long slot, final long ballot, final Entry entry)
    {
        Invariants.check(slot >= 1, "slot must be >= 1");
        ensureCapacity(slot);
        final int i = index(slot);
        if (slot <= commitSlot || committedFlags[i])
        {
            Invariants.check(entry.equals(entries[i]), "committed slot " + slot + " rewritten with a different value");
        }
        entries[i] = entry;
        ballots[i] = ballot;
        if (slot > lastSlot)
        {
            lastSlot = slot;
        }
    }

    /** Marks {@code slot} as committed with the value held; returns true if the commit point advanced. */
    boolean markCommitted(final long slot)
    {
        Invariants.check(has(slot), "cannot commit slot " + slot + " without its entry");
        committedFlags[index(slot)] = true;
        return advanceCommit();
    }

    private boolean advanceCommit()
    {
        final long before = commitSlot;
        while (commitSlot < lastSlot && committedFlags[index(commitSlot + 1)])
        {
            commitSlot++;
        }
        return commitSlot > before;
    }

    /** Restores the commit point from a journal commit mark: every slot up to it is held and committed. */
    void restoreCommit(final long slot)
    {
        for (long s = commitSlot + 1; s <= slot && s <= lastSlot; s++)
        {
            if (entries[index(s)] != null)
            {
                committedFlags[index(s)] = true;
            }
        }
        advanceCommit();
    }

    /**
     * The highest slot such that every slot after the commit point up to it is held in {@code ballot}: what an
     * acceptor may acknowledge to the leader of {@code ballot}.
     */
    long contiguousInBallot(final long ballot)
    {
        long s = commitSlot;
        while (s < lastSlot && entries[index(s + 1)] != null && ballots[index(s + 1)] == ballot)
        {
            s++;
        }
        return s;
    }

    private static int index(final long slot)
    {
        final long i = slot - 1;
        Invariants.check(i < Integer.MAX_VALUE - 8, "slot beyond in-memory log capacity");
        return (int)i;
    }

    private void ensureCapacity(final long slot)
    {
        final int needed = index(slot) + 1;
        if (needed > entries.length)
        {
            int capacity = entries.length;
            while (capacity < needed)
            {
                capacity = capacity << 1;
            }
            entries = Arrays.copyOf(entries, capacity);
            ballots = Arrays.copyOf(ballots, capacity);
            committedFlags = Arrays.copyOf(committedFlags, capacity);
        }
    }
}
