package io.paxlog.core;

import java.util.Arrays;

/**
 * Phase 1 of one ballot: collects promises and, per slot, a copy of the value accepted in the highest ballot
 * (promised entries are only valid during the call that delivers them). Buffers are allocated once per node, or
 * on first use, and reused by every election.
 */
final class Candidate
{
    private final int memberCount;
    private final int capacity;
    private final boolean[] promised;
    private final boolean[] refused;
    private final long[] bestBallot;
    private final Entry[] bestEntry;

    private long ballot;
    private long fromSlot;
    private long maxSlot;
    private int promiseCount;
    private int refusalCount;
    private long retryAfterNs;

    Candidate(final int memberCount, final int capacity)
    {
        this.memberCount = memberCount;
        this.capacity = capacity;
        this.promised = new boolean[memberCount];
        this.refused = new boolean[memberCount];
        this.bestBallot = new long[capacity];
        this.bestEntry = new Entry[capacity];
    }

    void reset(final long ballot, final long fromSlot)
    {
        this.ballot = ballot;
        this.fromSlot = fromSlot;
        this.maxSlot = fromSlot - 1;
        this.promiseCount = 0;
        this.refusalCount = 0;
        this.retryAfterNs = 0;
        Arrays.fill(promised, false);
        Arrays.fill(refused, false);
        Arrays.fill(bestBallot, Ballot.NONE);
    }

    long ballot()
    {
        return ballot;
    }

    long fromSlot()
    {
        return fromSlot;
    }

    long maxSlot()
    {
        return maxSlot;
    }

    int promiseCount()
    {
        return promiseCount;
    }

    int refusalCount()
    {
        return refusalCount;
    }

    long retryAfterNs()
    {
        return retryAfterNs;
    }

    /** Adds one promise; duplicates are ignored. Returns true if it was new. */
    boolean addPromise(final int from, final long[] slots, final long[] ballots, final Entry[] entries,
        final int count)
    {
        if (promised[from])
        {
            return false;
        }
        promised[from] = true;
        promiseCount++;
        for (int i = 0; i < count; i++)
        {
            final long slot = slots[i];
            if (slot < fromSlot || slot - fromSlot >= capacity)
            {
                continue;
            }
            final int k = (int)(slot - fromSlot);
            if (ballots[i] > bestBallot[k])
            {
                bestBallot[k] = ballots[i];
                if (bestEntry[k] == null)
                {
                    bestEntry[k] = new Entry();
                }
                bestEntry[k].copyFrom(entries[i]);
            }
            maxSlot = Math.max(maxSlot, slot);
        }
        return true;
    }

    /** Records a refusal; returns true if it was new. */
    boolean addRefusal(final int from, final long retryAfterNs)
    {
        this.retryAfterNs = Math.max(this.retryAfterNs, retryAfterNs);
        if (refused[from] || promised[from])
        {
            return false;
        }
        refused[from] = true;
        refusalCount++;
        return true;
    }

    boolean cannotWin(final int electionQuorum)
    {
        return memberCount - refusalCount < electionQuorum;
    }

    /** The value to re-propose at {@code slot}: the one accepted in the highest ballot, or null for a no-op. */
    Entry recovered(final long slot)
    {
        final int k = (int)(slot - fromSlot);
        return bestBallot[k] == Ballot.NONE ? null : bestEntry[k];
    }
}
