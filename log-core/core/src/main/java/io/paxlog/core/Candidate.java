package io.paxlog.core;

import java.util.Arrays;

/**
 * Phase 1 of one ballot: collects promises and, per slot, a copy of the value accepted in the highest ballot
 * (promised entries are only valid during the call that delivers them). Buffers are allocated once per node, or
 * on first use, and reused by every election.
 */
final class Candidate
{
    private final int capacity;
    private final long[] bestBallot;
    private final Entry[] bestEntry;
    /** Slots (offsets from fromSlot) whose best value was a configuration entry when reported. */
    private final int[] configOffsets = new int[Configurations.PENDING_MAX * 4];
    /** Most disjoint slot ranges kept per member while its promise's parts arrive (out of order at worst). */
    static final int COVER_RANGES_MAX = 64;
    /** Per member, the slot ranges its promise's parts have covered so far (merged; unordered). */
    private final long[][] coverFrom = new long[Membership.MEMBERS_MAX][COVER_RANGES_MAX];
    private final long[][] coverTo = new long[Membership.MEMBERS_MAX][COVER_RANGES_MAX];
    private final int[] coverCount = new int[Membership.MEMBERS_MAX];

    private long ballot;
    private long fromSlot;
    private long maxSlot;
    private long promised;
    private long refused;
    private long asked;
    private int configOffsetCount;
    private boolean tooManyConfigs;
    private long retryAfterNs;
    /** Whether the last part {@link #addPromise} took covered slots its sender's earlier parts had not. */
    private boolean lastPartProgressed;

    Candidate(final int capacity)
    {
        this.capacity = capacity;
        this.bestBallot = new long[capacity];
        this.bestEntry = new Entry[capacity];
    }

    void reset(final long ballot, final long fromSlot)
    {
        this.ballot = ballot;
        this.fromSlot = fromSlot;
        this.maxSlot = fromSlot - 1;
        this.promised = 0;
        this.refused = 0;
        this.asked = 0;
        this.configOffsetCount = 0;
        this.tooManyConfigs = false;
        this.retryAfterNs = 0;
        Arrays.fill(bestBallot, Ballot.NONE);
        Arrays.fill(coverCount, 0);
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
        return Long.bitCount(promised);
    }

    int refusalCount()
    {
        return Long.bitCount(refused);
    }

    long retryAfterNs()
    {
        return retryAfterNs;
    }

    /** Members already sent a Prepare in this ballot. */
    long asked()
    {
        return asked;
    }

    void markAsked(final long members)
    {
        asked |= members;
    }

    /**
     * Adds one part of a promise from {@code from}: its {@code count} entries from index {@code first}, covering the
     * slots {@code coverFrom}..{@code coverTo} ({@link Long#MAX_VALUE}: the last part). The promise counts once its
     * parts, in whatever order they came (duplicates and parts of a resent promise included), cover every slot from
     * this ballot's fromSlot up. Entries count whether or not the promise is whole: the sender promised this ballot,
     * so each is a value it accepted in a lower one (or a chosen one), evidence as good as a whole promise's; and a
     * range a part covers holds all the sender accepted there, whichever of its promises the part came from.
     * Returns true if this part completed the promise.
     */
    boolean addPromise(final int from, final long coverFrom, final long coverTo, final long[] slots,
        final long[] ballots, final Entry[] entries, final int first, final int count)
    {
        final long bit = 1L << from;
        lastPartProgressed = false;
        if ((promised & bit) != 0)
        {
            return false;
        }
        for (int i = first; i < first + count; i++)
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
                if (entries[i].isConfig())
                {
                    rememberConfigOffset(k);
                }
            }
            maxSlot = Math.max(maxSlot, slot);
        }
        if (!cover(from, Math.max(coverFrom, fromSlot), coverTo))
        {
            return false;
        }
        promised |= bit;
        return true;
    }

    /**
     * Adds the range {@code a..b} to what {@code member}'s parts covered, merging touching ranges; returns true once
     * one range covers fromSlot and everything above. Past {@link #COVER_RANGES_MAX} disjoint ranges a part adds no
     * coverage (the election times out and a new ballot asks again).
     */
    private boolean cover(final int member, final long a, final long b)
    {
        if (b < a)
        {
            return false;
        }
        final long[] lo = coverFrom[member];
        final long[] hi = coverTo[member];
        long from = a;
        long to = b;
        int n = coverCount[member];
        lastPartProgressed = true;
        for (int i = 0; i < n; i++)
        {
            if (lo[i] <= a && (hi[i] == Long.MAX_VALUE || (b != Long.MAX_VALUE && hi[i] >= b)))
            {
                lastPartProgressed = false; // a duplicate, or a part of a resent promise already covered
            }
        }
        boolean merged = true;
        while (merged)
        {
            merged = false;
            for (int i = 0; i < n && !merged; i++)
            {
                if (lo[i] <= (to == Long.MAX_VALUE ? to : to + 1) && (hi[i] == Long.MAX_VALUE || hi[i] + 1 >= from))
                {
                    from = Math.min(from, lo[i]);
                    to = Math.max(to, hi[i]);
                    n--;
                    lo[i] = lo[n];
                    hi[i] = hi[n];
                    merged = true; // the grown range may touch one checked before: look again
                }
            }
        }
        if (n == COVER_RANGES_MAX)
        {
            return false;
        }
        lo[n] = from;
        hi[n] = to;
        coverCount[member] = n + 1;
        return from <= fromSlot && to == Long.MAX_VALUE;
    }

    /**
     * Whether the last part added covered slots its sender's earlier parts had not (the promise is still arriving:
     * a candidate waits for the rest rather than time out).
     */
    boolean lastPartProgressed()
    {
        return lastPartProgressed;
    }

    /** Records a refusal; returns true if it was new. */
    boolean addRefusal(final int from, final long retryAfterNs)
    {
        this.retryAfterNs = Math.max(this.retryAfterNs, retryAfterNs);
        final long bit = 1L << from;
        if (((refused | promised) & bit) != 0)
        {
            return false;
        }
        refused |= bit;
        return true;
    }

    /**
     * True once the promises include an election quorum of {@code committed} (the configuration governing
     * fromSlot) and of every configuration recovered above it (docs/membership.md, rule 4).
     */
    boolean won(final Membership committed)
    {
        if (tooManyConfigs || !committed.electionQuorumIn(promised))
        {
            return false;
        }
        for (int i = 0; i < configOffsetCount; i++)
        {
            final Membership m = recoveredConfig(configOffsets[i]);
            if (m != null && !m.electionQuorumIn(promised))
            {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code member}'s promise counts already. */
    boolean promisedBy(final int member)
    {
        return (promised & (1L << member)) != 0;
    }

    /**
     * True if the promises so far and {@code member}'s would make an election quorum of {@code committed} and of
     * every configuration recovered so far: what a candidate waits for before it promises its own ballot.
     */
    boolean wouldWinWith(final int member, final Membership committed)
    {
        final long saved = promised;
        promised |= 1L << member;
        final boolean won = won(committed);
        promised = saved;
        return won;
    }

    /** True if the refusals leave some configuration that must be satisfied without an election quorum. */
    boolean cannotWin(final Membership committed)
    {
        if (committed.electionQuorumImpossible(refused))
        {
            return true;
        }
        for (int i = 0; i < configOffsetCount; i++)
        {
            final Membership m = recoveredConfig(configOffsets[i]);
            if (m != null && m.electionQuorumImpossible(refused))
            {
                return true;
            }
        }
        return false;
    }

    /** Every member of every configuration recovered so far (for Prepares to members the candidate did not know). */
    long recoveredMembers()
    {
        long members = 0;
        for (int i = 0; i < configOffsetCount; i++)
        {
            final Membership m = recoveredConfig(configOffsets[i]);
            if (m != null)
            {
                members |= m.members();
            }
        }
        return members;
    }

    /** The value to re-propose at {@code slot}: the one accepted in the highest ballot, or null for a no-op. */
    Entry recovered(final long slot)
    {
        final int k = (int)(slot - fromSlot);
        return bestBallot[k] == Ballot.NONE ? null : bestEntry[k];
    }

    private Membership recoveredConfig(final int k)
    {
        final Entry e = bestEntry[k];
        if (bestBallot[k] == Ballot.NONE || e == null || !e.isConfig())
        {
            return null; // since replaced by a higher-ballot value that is no configuration
        }
        return Membership.decode(e.payloadArray(), e.payloadOffset(), e.payloadLength());
    }

    private void rememberConfigOffset(final int k)
    {
        for (int i = 0; i < configOffsetCount; i++)
        {
            if (configOffsets[i] == k)
            {
                return;
            }
        }
        if (configOffsetCount == configOffsets.length)
        {
            // the fence leaves one configuration entry per ballot above a commit point, so this takes many deposed
            // leaders in a row; an election that cannot check them all cannot be won (safe), the next one may be
            tooManyConfigs = true;
            return;
        }
        configOffsets[configOffsetCount++] = k;
    }
}
